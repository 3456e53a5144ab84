"""Assertion helpers: what users meet in a failing test.

deepdiff is imported only when two events differ, so passing tests never pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from pytest_thrillpots._errors import UnknownFieldError, did_you_mean, raised_at_the_call
from pytest_thrillpots._render import Occurrences, difference_lines, violation_lines
from pytest_thrillpots.coverage import _recorder as _coverage
from pytest_thrillpots.spec import EVENT_TYPES, check_event_type, field_paths, first_unknown_part, resolve_field_path
from pytest_thrillpots.spec._paths import ABSENT, PathPart, from_keyword, parse_human, to_human, value_at
from pytest_thrillpots.validation._validate import validate
from pytest_thrillpots.validation._violation import Violation


def json_equal(a: object, b: object) -> bool:
    """Equality as JSON means it: ``10 == 10.0``, but ``true`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(map(json_equal, a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a).__eq__ is object.__eq__ and type(b).__eq__ is not object.__eq__:
        # A matcher object on the expected side (pytest.approx, dirty-equals...) decides.
        return bool(b == a)
    return bool(a == b)


@raised_at_the_call
def assert_valid(payload: object, event_type: str, *, strict: bool = False, allow_legacy_winners: bool = False) -> None:
    """Raise ``AssertionError`` listing every violation of the spec in ``payload``."""
    __tracebackhide__ = True  # the failure is in the caller's payload, not in this helper
    violations = validate(payload, event_type, strict=strict, allow_legacy_winners=allow_legacy_winners)
    if _coverage.RECORDER is not None:
        _coverage.RECORDER.count_asserted(event_type)
    if violations:
        count = len(violations)
        header = (
            f"{event_type} is not valid{' (strict)' if strict else ''}: {count} violation{'s' if count != 1 else ''}"
        )
        raise AssertionError("\n".join([header, *violation_lines(violations)]))


def _ignore_patterns(ignore: Iterable[str]) -> list[str]:
    known = sorted({path for event_type in EVENT_TYPES for path in field_paths(event_type)})
    patterns = []
    for path in ignore:
        try:
            parts = parse_human(path)
        except ValueError as exc:
            raise UnknownFieldError(str(exc)) from None
        wildcard = [p if isinstance(p, int) else "*" if p == "*" else p for p in parts]
        # The spec model decides, so free-form objects (metadata), open maps (multipliers) and array
        # items (`pots[0]`, `pots[*]`) are as ignorable as the fields they sit in.
        if all(first_unknown_part(event_type, parts) is not None for event_type in EVENT_TYPES):
            shape = to_human(["*" if isinstance(p, int) else p for p in wildcard])
            raise UnknownFieldError(
                f"ignore={path!r} names no field of any ThrillPots event." + did_you_mean(shape, known)
            )
        regex = "root" + "".join(
            r"\[\d+\]" if p == "*" else rf"\[{p}\]" if isinstance(p, int) else rf"\['{re.escape(p)}'\]"
            for p in wildcard
        )
        patterns.append(regex + r"(\[.*)?$")
    return patterns


def event_differences(
    actual: object, expected: object, *, ignore: Iterable[str] = (), ignore_order: bool = False
) -> list[tuple[list[PathPart], object, object]]:
    """The paths where two events differ, as ``(path, expected, actual)``; empty when equal."""
    patterns = _ignore_patterns(ignore)
    if not patterns and json_equal(actual, expected):
        return []
    from deepdiff import DeepDiff
    from deepdiff.helper import NotPresent

    diff = DeepDiff(
        _json_numbers(expected),
        _json_numbers(actual),
        ignore_order=ignore_order,
        report_repetition=ignore_order,
        exclude_regex_paths=patterns or None,
        view="tree",
    )
    found: list[tuple[list[PathPart], object, object]] = []
    for levels in diff.values():
        for level in levels:
            old, new = level.t1, level.t2
            repetition = level.additional.get("repetition")
            if repetition:
                item = _as_given(old)
                old = Occurrences(item, repetition["old_repeat"])
                new = Occurrences(item, repetition["new_repeat"])
            elif not isinstance(old, NotPresent) and not isinstance(new, NotPresent) and json_equal(new, old):
                # Equal as JSON means it: 42 and 42.0, or a matcher such as pytest.approx on one side.
                continue
            found.append(
                (
                    list(level.path(output_format="list")),
                    ABSENT if isinstance(old, NotPresent) else _as_given(old),
                    ABSENT if isinstance(new, NotPresent) else _as_given(new),
                )
            )
    found.sort(key=lambda item: [(0, p) if isinstance(p, int) else (1, p) for p in item[0]])
    return found


_EXACT_INTEGERS = 2**53
"""Larger integers stay integers: a float would round them, and some would not fit one."""


class _Number(float):
    """A JSON number as the diff sees it: 7 and 7.0 alike (so arrays pair up), never a boolean."""

    given: int | float

    # Python counts False == 0 and True == 1; JSON does not, and deepdiff pairs array items by ``==``.
    def __eq__(self, other: object) -> bool:
        return not isinstance(other, bool) and float.__eq__(self, other) is True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = float.__hash__


def _json_numbers(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) or (isinstance(value, int) and abs(value) <= _EXACT_INTEGERS):
        number = _Number(value)
        number.given = value
        return number
    if isinstance(value, Mapping):
        return {key: _json_numbers(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_numbers(item) for item in value]
    return value


def _as_given(value: object) -> object:
    if isinstance(value, _Number):
        return value.given
    if isinstance(value, dict):
        return {key: _as_given(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_given(item) for item in value]
    return value


@raised_at_the_call
def assert_events_equal(
    actual: object, expected: object, *, ignore: Iterable[str] = (), ignore_order: bool = False
) -> None:
    """Raise ``AssertionError`` showing only the differing paths as ``- expected`` / ``+ actual``.

    ``ignore`` takes field paths (``"timestamp"``, ``"community_winners[*].player_id"``);
    ``ignore_order`` compares arrays as multisets.
    """
    __tracebackhide__ = True  # the failure is in the caller's events, not in this helper
    if _coverage.RECORDER is not None:
        ignore = tuple(ignore)
        _coverage.RECORDER.compare(actual, expected, ignore)
    if not ignore and actual == expected and json_equal(actual, expected):
        return
    differences = event_differences(actual, expected, ignore=ignore, ignore_order=ignore_order)
    if differences:
        count = len(differences)
        header = f"events differ at {count} path{'s' if count != 1 else ''}"
        raise AssertionError("\n".join([header, *difference_lines(differences)]))


class SpecMatcher:
    """Equal to any payload that is a valid ``event_type`` and has the named field values.

    The payload is parsed JSON or JSON text (``bytes``/``str``), as ``validate()`` takes it.

    ``assert event == matches_spec("WinEvent", player_id="p-1")``. After a successful
    comparison its ``repr`` is the payload's, so pytest's own diff of a larger structure shows
    only the parts that really differ (the dirty-equals trick).
    """

    __slots__ = ("_matched", "_paths", "event_type", "expected_fields", "strict")

    def __init__(self, event_type: str, *, strict: bool = False, **expected_fields: Any) -> None:
        self.event_type = check_event_type(event_type)
        self.expected_fields = expected_fields
        self.strict = strict
        self._paths = {name: resolve_field_path(event_type, _keyword_path(name)) for name in expected_fields}
        self._matched: object = ABSENT

    def violations(self, other: object) -> list[Violation]:
        return validate(other, self.event_type, strict=self.strict)

    @staticmethod
    def _payload(other: object) -> object:
        """JSON text (``bytes`` or ``str``, as validate() takes it) parsed; anything else as it is."""
        if isinstance(other, (bytes, bytearray, memoryview, str)):
            try:
                return orjson.loads(other)
            except orjson.JSONDecodeError:
                return ABSENT
        return other

    def field_differences(self, other: object) -> list[tuple[list[PathPart], object, object]]:
        out: list[tuple[list[PathPart], object, object]] = []
        for name, want in self.expected_fields.items():
            parts = self._paths[name]
            got = value_at(other, parts)
            if got is ABSENT or not json_equal(got, want):
                out.append((parts, want, got))
        return out

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpecMatcher):
            return other is self
        if _coverage.RECORDER is not None:
            _coverage.RECORDER.match(self.event_type, self._paths.values())
        payload = self._payload(other)
        if not isinstance(payload, Mapping) or self.violations(payload) or self.field_differences(payload):
            self._matched = ABSENT
            return False
        self._matched = other
        return True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self._matched is not ABSENT:
            return repr(self._matched)
        args = "".join(f", {k}={v!r}" for k, v in self.expected_fields.items())
        strict = ", strict=True" if self.strict else ""
        return f"matches_spec({self.event_type!r}{args}{strict})"

    def explain(self, other: object, *, colour: bool = False) -> list[str]:
        """Why ``other`` does not match: its violations, then its field differences."""
        lines = [f"payload does not match {self!r}"]
        payload = self._payload(other)
        if not isinstance(payload, Mapping):
            if payload is ABSENT:  # JSON text that does not parse: say where
                lines.append("spec violations:")
                lines.extend(violation_lines(self.violations(other)))
            else:
                lines.append(f"  expected a {self.event_type} object, got {type(payload).__name__}")
            return lines
        with _coverage.paused():  # the comparison that failed already counted this event
            violations = self.violations(payload)
        if violations:
            lines.append("spec violations:")
            lines.extend(violation_lines(violations))
        differences = self.field_differences(payload)
        if differences:
            lines.append("field differences:")
            lines.extend(difference_lines(differences, colour=colour))
        return lines


def _keyword_path(name: str) -> str:
    """``community_winners__0__win_amount`` -> ``community_winners[0].win_amount``."""
    return to_human(from_keyword(name))


@raised_at_the_call
def matches_spec(event_type: str, *, strict: bool = False, **expected_fields: Any) -> SpecMatcher:
    """A matcher: ``assert event == matches_spec("WinEvent", player_id="p-1")``.

    Equal when the payload is a valid ``event_type`` and every named field equals the given
    value. Nested fields use ``__``: ``currency_multipliers__base_currency="EUR"``.
    """
    return SpecMatcher(event_type, strict=strict, **expected_fields)

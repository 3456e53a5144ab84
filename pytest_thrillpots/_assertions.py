"""Assertion helpers: what users meet in a failing test.

``assert_valid``, ``assert_events_equal`` / ``event_differences`` and the ``matches_spec``
matcher. What counts as equal, and how differences are found without recursion and with
``ignore_order`` in near-linear time, is the ``comparison`` package's (its ``_core`` says the
rules); docs/assertions.md says the same for users.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from pytest_thrillpots._errors import (
    ThrillpotsError,
    UnknownFieldError,
    did_you_mean,
    raised_at_the_call,
)
from pytest_thrillpots._render import (
    MAX_MESSAGE_WIDTH,
    MAX_VALUE_WIDTH,
    cut,
    difference_lines,
    value_text,
    violation_lines,
)
from pytest_thrillpots.comparison._comparison import _Comparison, json_equal
from pytest_thrillpots.comparison._core import Difference, Ignores, _shortcut
from pytest_thrillpots.coverage import _recorder as _coverage
from pytest_thrillpots.spec import EVENT_TYPES, check_event_type, field_paths, first_unknown_part, resolve_field_path
from pytest_thrillpots.spec._paths import ABSENT, PathPart, from_keyword, parse_human, to_human, value_at
from pytest_thrillpots.validation._validate import validate
from pytest_thrillpots.validation._violation import Violation

# --- the helpers ---------------------------------------------------------------------------------------


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


@functools.lru_cache(maxsize=256)
def _ignore_patterns(ignore: tuple[str, ...]) -> Ignores:
    """``ignore=`` paths as patterns (``*`` any index), each checked against the spec model."""
    patterns = []
    for path in ignore:
        try:
            parts = parse_human(path)
        except ValueError as exc:
            raise UnknownFieldError(cut(str(exc), MAX_MESSAGE_WIDTH)) from None
        # The spec model decides, so free-form objects (metadata), open maps (multipliers) and array
        # items (`pots[0]`, `pots[*]`) are as ignorable as the fields they sit in.
        if all(first_unknown_part(event_type, parts) is not None for event_type in EVENT_TYPES):
            shape = to_human(["*" if isinstance(p, int) else p for p in parts])
            known = sorted({known for event_type in EVENT_TYPES for known in field_paths(event_type)})
            raise UnknownFieldError(
                f"ignore={cut(repr(path), MAX_VALUE_WIDTH)} names no field of any ThrillPots event."
                + did_you_mean(cut(shape, MAX_VALUE_WIDTH), known)
            )
        patterns.append(tuple(parts))
    return tuple(patterns)


def event_differences(
    actual: object, expected: object, *, ignore: Iterable[str] = (), ignore_order: bool = False
) -> list[Difference]:
    """The paths where two events differ, as ``(path, expected, actual)``; empty when equal."""
    patterns = _ignore_patterns(tuple(ignore))
    if actual is expected or _shortcut(actual, expected) is True:
        return []
    return _sorted(_Comparison(ignore_order=ignore_order).differences(expected, actual, patterns))


def _sorted(differences: list[Difference]) -> list[Difference]:
    def order(part: PathPart) -> tuple[int, Any]:
        if isinstance(part, int):
            return (0, part)
        return (1, part) if isinstance(part, str) else (2, repr(part))

    return sorted(differences, key=lambda difference: [order(p) for p in difference[0]])


def assert_events_equal(
    actual: object, expected: object, *, ignore: Iterable[str] = (), ignore_order: bool = False
) -> None:
    """Raise ``AssertionError`` showing only the differing paths as ``- expected`` / ``+ actual``.

    ``ignore`` takes field paths (``"timestamp"``, ``"community_winners[*].player_id"``);
    ``ignore_order`` compares arrays as multisets.
    """
    __tracebackhide__ = True  # the failure is in the caller's events, not in this helper
    patterns: Ignores = ()
    if ignore:
        ignore = tuple(ignore)
        try:
            patterns = _ignore_patterns(ignore)
        except ThrillpotsError as exc:  # a mistake in the call shows at the call (as raised_at_the_call does)
            raise exc.with_traceback(None) from None
    if _coverage.RECORDER is not None:
        _coverage.RECORDER.compare(actual, expected, tuple(ignore))
    if actual is expected or _shortcut(actual, expected) is True:
        return
    differences = _sorted(_Comparison(ignore_order=ignore_order).differences(expected, actual, patterns))
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
        try:
            return validate(other, self.event_type, strict=self.strict)
        except TypeError as exc:
            # A payload JSON cannot hold (a cycle, a set) is no event: a matcher answers, it does not raise.
            detail = str(exc).rpartition("cannot represent: ")[2]
            return [Violation("", "type", "a JSON value", "a value JSON cannot represent", f"not JSON: {detail}")]

    @staticmethod
    def _payload(other: object) -> object:
        """JSON text (``bytes`` or ``str``, as validate() takes it) parsed; anything else as it is."""
        if isinstance(other, (bytes, bytearray, memoryview, str)):
            try:
                return orjson.loads(str.__str__(other) if isinstance(other, str) else other)
            except orjson.JSONDecodeError:
                return ABSENT
        return other

    def field_differences(self, other: object) -> list[Difference]:
        out: list[Difference] = []
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
        # Text is validated as text: a key given twice is a violation the parsed value cannot show.
        if not isinstance(payload, Mapping) or self.violations(other) or self.field_differences(payload):
            self._matched = ABSENT
            return False
        self._matched = other
        return True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self._matched is not ABSENT:
            try:
                return repr(self._matched)
            except RecursionError:  # nested past the interpreter's limit: its text, cut
                return _short(self._matched, value_text)
        args = "".join(f", {k}={_short(v, repr)}" for k, v in self.expected_fields.items())
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
            violations = self.violations(other)
        if violations:
            lines.append("spec violations:")
            lines.extend(violation_lines(violations))
        differences = self.field_differences(payload)
        if differences:
            lines.append("field differences:")
            lines.extend(difference_lines(differences, colour=colour))
        return lines


def _short(value: object, show: Callable[[object], str]) -> str:
    """``show(value)`` on one bounded line, whatever the value (a repr that fails gets its text)."""
    try:
        text = show(value)
    except Exception:
        text = value_text(value)
    return cut(text, MAX_VALUE_WIDTH)


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

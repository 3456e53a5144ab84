"""One NDJSON line or chunk of lines as records: each event checked, every line counted (the tally)."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import orjson

from pytest_thrillpots.spec import identification
from pytest_thrillpots.validation._duplicates import duplicate_keys
from pytest_thrillpots.validation._lines import line_check
from pytest_thrillpots.validation._validate import validate_parsed
from pytest_thrillpots.validation._violation import Violation, json_violation, type_violation

_BOM = b"\xef\xbb\xbf"


_WHITESPACE = b" \t\r\n"


CHUNK_SIZE = 1 << 20
"""About how many bytes of NDJSON are checked at a time (always whole lines)."""


BOM_NOTE = Violation(
    "",
    "json",
    "JSON text with no byte order mark",
    "a byte order mark (U+FEFF)",
    "the text starts with a byte order mark (U+FEFF), which JSON text must not (RFC 8259, 8.1): "
    "it was skipped and the rest checked; save the file as UTF-8 without BOM",
)
"""Reported on the first event of a file that starts with a BOM: readable, but not valid JSON text."""


BOM_ONLY = Violation(
    "",
    "json",
    "one JSON event per line",
    "a byte order mark (U+FEFF)",
    "the line holds only a byte order mark (U+FEFF), no event; save the file as UTF-8 without BOM",
)
"""A first line that is a BOM and nothing else: a line that is not blank and holds no event."""


@dataclass(frozen=True)
class Checks:
    """What to check every event against: the settings of ``thrillpots validate``."""

    event_type: str | None = None
    """The type of every event; None identifies each event by its fields."""
    strict: bool = False
    allow_legacy_winners: bool = False
    semantic: bool = False


class Problem(NamedTuple):
    """A record that is not a valid event: where it is, the type it was checked as, and why."""

    line: int
    event_type: str | None
    violations: tuple[Violation, ...]


@dataclass
class Tally:
    """What a run of records came to: the counts, and each problem in input order."""

    valid: int = 0
    invalid: int = 0
    unparseable: int = 0
    skipped: int = 0
    """Blank lines."""
    unidentified: int = 0
    """Parsed records no event type was chosen for (not an object, no field of any type, a tie)."""
    by_type: dict[str, int] = field(default_factory=dict)
    """How many records were checked as each event type."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return self.valid + self.invalid + self.unparseable

    def add(self, other: Tally) -> None:
        """Add ``other``'s counts (not its problems) to these."""
        self.valid += other.valid
        self.invalid += other.invalid
        self.unparseable += other.unparseable
        self.skipped += other.skipped
        self.unidentified += other.unidentified
        for name, count in other.by_type.items():
            self.by_type[name] = self.by_type.get(name, 0) + count


class Chunk(NamedTuple):
    """Whole NDJSON lines to check, the number of the first, and whether the input began with a BOM there."""

    data: bytes
    first_line: int
    bom: bool = False

    @property
    def last_line(self) -> int:
        return self.first_line + max(self.data.count(b"\n") - self.data.endswith(b"\n"), 0)


class Span(NamedTuple):
    """Whole NDJSON lines of a regular file, by byte offsets, for a worker to read itself.

    The lines are numbered from 1 here: who reads the results in order knows where they start.
    """

    start: int
    end: int


def check_span(path: str, span: Span, checks: Checks) -> tuple[Tally, int]:
    """Check the lines of ``path`` in ``span``; the tally, with lines numbered from 1, and the line breaks read."""
    with open(path, "rb") as file:
        file.seek(span.start)
        data = file.read(span.end - span.start)
    return check_lines(data, 1, checks), data.count(b"\n")


def renumbered(tally: Tally, first_line: int) -> Tally:
    """``tally`` with its problems' lines counted from ``first_line`` instead of 1."""
    if first_line != 1:
        tally.problems = [problem._replace(line=problem.line + first_line - 1) for problem in tally.problems]
    return tally


def not_object(value: object, event_type: str | None) -> Violation:
    """The violation of a parsed value that is not a JSON object, in the validator's words."""
    return type_violation([], value, [], event_type or "ThrillPots event", False)


def _unparseable(tally: Tally, number: int, checks: Checks, violation: Violation) -> None:
    tally.unparseable += 1
    tally.problems.append(Problem(number, checks.event_type, (violation,)))


def _value(
    value: Any, raw: bytes, number: int, checks: Checks, tally: Tally, *, expand: bool, note: bool = False
) -> None:
    """Check one parsed value read from ``raw``: an event, each item of an array (``expand``), or not an event."""
    if isinstance(value, list) and expand and value:
        warnings = duplicate_keys(raw, value)
        for index, item in enumerate(value):
            prefix = f"/{index}/"
            own = [replace(w, path=w.path[len(prefix) - 1 :]) for w in warnings if w.path.startswith(prefix)]
            _record(item, [BOM_NOTE, *own] if note and index == 0 else own, number, checks, tally)
        return
    warnings = duplicate_keys(raw, value) if isinstance(value, (dict, list)) else []
    _record(value, [BOM_NOTE, *warnings] if note else warnings, number, checks, tally)


def _record(value: Any, warnings: list[Violation], number: int, checks: Checks, tally: Tally) -> None:
    event_type = checks.event_type
    if not isinstance(value, dict):
        violations = [not_object(value, event_type)]
    else:
        if event_type is None:
            found = identification(value)
            event_type = found.event_type
            if event_type is None:
                tally.invalid += 1
                tally.unidentified += 1
                problem = Violation("", "type", "one of the six ThrillPots events", "object", found.problem or "")
                tally.problems.append(Problem(number, None, (*warnings, problem)))
                return
        violations = validate_parsed(
            value,
            event_type,
            strict=checks.strict,
            allow_legacy_winners=checks.allow_legacy_winners,
            semantic=checks.semantic,
        )
    if event_type is None:
        tally.unidentified += 1
    else:
        tally.by_type[event_type] = tally.by_type.get(event_type, 0) + 1
    if violations or warnings:
        tally.invalid += 1
        tally.problems.append(Problem(number, event_type, (*warnings, *violations)))
    else:
        tally.valid += 1


def check_lines(data: bytes, first_line: int, checks: Checks, *, bom: bool = False) -> Tally:
    """Check each line of ``data`` (NDJSON; the first is line ``first_line``).

    ``bom`` says the input began with a byte order mark, already cut from the first line. This
    is the hot loop of ``thrillpots validate``: a valid event is told from its bytes (``_lines``);
    any other line is parsed once, and the common case (an object, written compactly, of a type
    its keys tell) takes the shortest way through; every other case goes through ``_value``,
    which says the same of it.
    """
    tally = Tally()
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the line break that ends the last line
    loads, dumps, decode_error, encode_error = (
        orjson.loads,
        orjson.dumps,
        orjson.JSONDecodeError,
        orjson.JSONEncodeError,
    )
    fixed, strict, legacy, semantic = checks.event_type, checks.strict, checks.allow_legacy_winners, checks.semantic
    by_type, problems = tally.by_type, tally.problems
    valid = 0
    short_way = None if semantic else line_check(fixed)
    if short_way is None:
        unsure: Iterable[int] = range(len(lines))
    else:
        # The line a BOM was cut from takes the full way, which notes the BOM.
        sure = list(map(short_way, lines[1:] if bom else lines))  # the loop in C: most lines end here
        unsure = [index + bom for index in _positions(sure, None)]
        if bom:
            unsure.insert(0, 0)
        counted = Counter(sure)
        del counted[None]
        by_type.update(counted)  # type: ignore[arg-type]
        valid = len(sure) - len(unsure) + bom
    for index in unsure:
        raw = lines[index]
        number = first_line + index
        try:
            value = loads(raw)
        except decode_error as exc:
            if raw.strip(_WHITESPACE):
                _unparseable(tally, number, checks, json_violation(exc, single_line=True))
            else:
                tally.skipped += 1
            continue
        if type(value) is not dict or (bom and number == first_line):
            _value(value, raw, number, checks, tally, expand=True, note=bom and number == first_line)
            continue
        try:
            # Compact JSON with no key given twice comes back byte for byte from orjson.
            compact = dumps(value)
            written_once = raw == compact or (raw.endswith(b"\r") and raw[:-1] == compact)
        except encode_error:
            written_once = False
        event_type = fixed
        if event_type is None:
            event_type = identification(value).event_type
        if event_type is None or not written_once:
            _record(value, duplicate_keys(raw, value), number, checks, tally)
            continue
        violations = validate_parsed(value, event_type, strict=strict, allow_legacy_winners=legacy, semantic=semantic)
        by_type[event_type] = by_type.get(event_type, 0) + 1
        if violations:
            tally.invalid += 1
            problems.append(Problem(number, event_type, tuple(violations)))
        else:
            valid += 1
    tally.valid += valid
    return tally


def _positions(items: list[Any], value: object) -> list[int]:
    """Where ``value`` is in ``items``, found in C (``list.index``): few of many, as the unsure lines are."""
    found: list[int] = []
    at = -1
    with contextlib.suppress(ValueError):
        while True:
            at = items.index(value, at + 1)
            found.append(at)
    return found

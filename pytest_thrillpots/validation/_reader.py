"""Reading captured events: NDJSON streamed line by line, or one JSON document.

Every line is accounted for: each yields at least one record, a parsed payload or a parse
error, so valid + invalid + unparseable adds up to what was read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any

import orjson

from pytest_thrillpots.spec._paths import to_pointer
from pytest_thrillpots.validation._violation import Violation, json_violation

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"


@dataclass
class Record:
    line: int
    payload: Any = None
    error: Violation | None = None
    warnings: list[Violation] = field(default_factory=list)


BOM_NOTE = Violation(
    "",
    "json",
    "JSON text with no byte order mark",
    "a byte order mark (U+FEFF)",
    "the text starts with a byte order mark (U+FEFF), which JSON text must not (RFC 8259, 8.1): "
    "it was skipped and the rest checked; save the file as UTF-8 without BOM",
)
"""Reported on the first event of a file that starts with a BOM: readable, but not valid JSON text."""


def read_events(stream: IO[bytes]) -> Iterator[Record]:
    """Yield one record per event (or per unparseable line) in ``stream``."""
    first = stream.readline()
    if not first.startswith(_BOM):
        yield from _read_events(first, stream)
        return
    records = _read_events(first[len(_BOM) :], stream)
    head = next(records, None)
    if head is not None:
        # A line that does not parse already says so; the note goes on a line that would pass.
        yield head if head.error is not None else replace(head, warnings=[BOM_NOTE, *head.warnings])
    yield from records


def _read_events(first: bytes, stream: IO[bytes]) -> Iterator[Record]:
    first_number = 1
    while first and not first.strip(_WHITESPACE):
        yield _blank(first_number)
        first = stream.readline()
        first_number += 1
    if not first:
        return
    head = _parse(first, first_number)
    number = first_number
    if head.error is not None and first.lstrip(_WHITESPACE)[:1] in (b"{", b"["):
        second = stream.readline()
        if first.strip(_WHITESPACE) in (b"{", b"[") or not _is_event_line(second):
            # A pretty-printed document spanning several lines: the one input that is read whole.
            yield from _document(first + second + stream.read(), first_number)
            return
        # A cut first line of NDJSON (a rotated log): report it and keep streaming.
        yield head
        number += 1
        yield from _line(second, number)
    else:
        yield from _expand(head)
    for raw in stream:
        number += 1
        yield from _line(raw, number)


def _is_event_line(raw: bytes) -> bool:
    try:
        return isinstance(orjson.loads(raw), dict)
    except orjson.JSONDecodeError:
        return False


def _blank(number: int) -> Record:
    return Record(
        number,
        error=Violation(
            "", "json", "one JSON event per line", "blank line", "blank line: NDJSON holds one event per line"
        ),
    )


def _line(raw: bytes, number: int) -> Iterator[Record]:
    if not raw.strip(_WHITESPACE):
        yield _blank(number)
        return
    yield from _expand(_parse(raw, number))


def _parse(raw: bytes, number: int) -> Record:
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Record(number, error=json_violation(exc, single_line=True))
    return Record(number, payload, warnings=duplicate_keys(raw, payload))


def _expand(record: Record) -> Iterator[Record]:
    """A line holding an array of events counts as each of its events."""
    if record.error is None and isinstance(record.payload, list):
        yield from _each_item(record.payload, record.warnings, [record.line] * len(record.payload))
    else:
        yield record


def _each_item(items: list[Any], warnings: list[Violation], lines: list[int]) -> Iterator[Record]:
    """Each event of an array, with the duplicate keys found inside it (their paths made its own)."""
    for index, item in enumerate(items):
        prefix = f"/{index}/"
        own = [replace(w, path=w.path[len(prefix) - 1 :]) for w in warnings if w.path.startswith(prefix)]
        yield Record(lines[index], item, warnings=own)


def _document(data: bytes, first_number: int) -> Iterator[Record]:
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError:
        # Not one document either: read it as NDJSON so each bad line is reported on its own.
        for offset, raw in enumerate(data.splitlines(keepends=True)):
            yield from _line(raw, first_number + offset)
        return
    warnings = duplicate_keys(data, payload)
    if not isinstance(payload, list):
        yield Record(first_number, payload, warnings=warnings)
        return
    lines = _element_lines(data, first_number)
    yield from _each_item(payload, warnings, lines + [first_number] * (len(payload) - len(lines)))


def _element_lines(data: bytes, first_number: int) -> list[int]:
    """The line each top-level array element starts on."""
    lines: list[int] = []
    line = first_number
    depth = 0
    in_string = escaped = False
    expecting = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
            if byte == 0x0A:
                line += 1
            continue
        if byte == 0x0A:
            line += 1
            continue
        if byte in (0x20, 0x09, 0x0D):
            continue
        if expecting and byte != 0x5D:
            lines.append(line)
        expecting = False
        if byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            expecting = depth == 1 and byte == 0x5B
        elif byte in (0x5D, 0x7D):
            depth -= 1
        elif byte == 0x2C and depth == 1:
            expecting = True
    return lines


class _KeysGivenTwice(dict):  # type: ignore[type-arg]
    duplicates: list[str]


def duplicate_keys(raw: bytes, parsed: Any) -> list[Violation]:
    """A violation for each object key given twice: parsers disagree on which value wins.

    ``parsed`` is orjson's reading of ``raw``. Compact JSON as most producers write it comes
    back byte for byte from orjson when no key was given twice, which skips the slow search.
    """
    if raw.count(b'"') < 4:
        return []
    try:
        if raw.rstrip(b"\r\n") == orjson.dumps(parsed):
            return []
    except orjson.JSONEncodeError:
        pass  # nested deeper than orjson writes: search the slow way

    any_found = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal any_found
        keys = [key for key, _ in items]
        if len(set(keys)) == len(keys):
            return dict(items)
        any_found = True
        marked = _KeysGivenTwice(items)
        marked.duplicates = sorted({k for k in keys if keys.count(k) > 1})
        return marked

    found: list[Violation] = []
    try:
        parsed = json.loads(raw, object_pairs_hook=pairs)
        if any_found:
            _collect(parsed, [], found)
    except (ValueError, RecursionError):
        return []
    return found


def _collect(value: Any, parts: list[str | int], found: list[Violation]) -> None:
    if isinstance(value, _KeysGivenTwice):
        for key in value.duplicates:
            found.append(
                Violation(
                    to_pointer([*parts, key]),
                    "json",
                    "each key once",
                    "duplicate key",
                    f"duplicate key {key!r}: JSON parsers disagree on which value wins",
                )
            )
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, [*parts, key], found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, [*parts, index], found)

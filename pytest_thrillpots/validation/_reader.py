"""Reading captured events and checking each one: NDJSON line by line, or JSON documents value by value.

Every non-blank line is accounted for. In NDJSON each line yields at least one record: an
event, one record per item of an array (an empty array is a record of its own), or a line
that does not parse. Blank lines are skipped, as the NDJSON spec allows, and counted. So
``valid + invalid + unparseable`` is what was read, and nothing read is dropped.

Memory stays bounded whatever the input: NDJSON is checked a chunk of whole lines at a time
(``check_lines``: a pure function of bytes and the settings, which is what lets ``--jobs`` hand
chunks to other processes), and a pretty-printed document is read by ``DocumentReader`` one
value at a time: each element of a top-level array is parsed as soon as it is complete.

A parsed value is never parsed again: a line holding a JSON string, number, boolean or null is
a ``not_object`` violation, whatever the string says.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any, NamedTuple

import orjson

from pytest_thrillpots.spec import identification
from pytest_thrillpots.spec._paths import to_pointer
from pytest_thrillpots.validation._validate import validate
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


# --- One record --------------------------------------------------------------------------------


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
        violations = validate(
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


# --- NDJSON: whole lines, a chunk at a time ----------------------------------------------------


def check_lines(data: bytes, first_line: int, checks: Checks, *, bom: bool = False) -> Tally:
    """Check each line of ``data`` (NDJSON; the first is line ``first_line``).

    ``bom`` says the input began with a byte order mark, already cut from the first line. This
    is the hot loop of ``thrillpots validate``: each line is parsed once, and the common case (an
    object, written compactly, of a type its keys tell) takes the shortest way through; every
    other case goes through ``_value``, which says the same of it.
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
    for number, raw in enumerate(lines, first_line):
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
        violations = validate(value, event_type, strict=strict, allow_legacy_winners=legacy, semantic=semantic)
        by_type[event_type] = by_type.get(event_type, 0) + 1
        if violations:
            tally.invalid += 1
            problems.append(Problem(number, event_type, tuple(violations)))
        else:
            valid += 1
    tally.valid += valid
    return tally


# --- Documents: pretty-printed JSON, one value at a time ---------------------------------------

_TOKEN = re.compile(rb'[ \t\r\n]+|"(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*"|[\[\]{},:]|[^ \t\r\n\[\]{},:"]+|"')
_SPACE = frozenset(_WHITESPACE)
_OPEN_STRING = "a string that is not closed on its line (JSON strings hold no raw line breaks or control characters)"
MAX_DEPTH = 1024
"""orjson's nesting limit: a document nested deeper is broken there, not followed further."""
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (the parser's limit; no event nests that deep)"
MAX_RECORD = 64 << 20
"""A value of a document longer than this is not held: it is one record, too big to be an event."""
TOO_BIG = Violation(
    "",
    "json",
    f"an event of at most {MAX_RECORD >> 20} MiB",
    "a larger value",
    f"a value of more than {MAX_RECORD >> 20} MiB starts here: no event is that big, so it was not read as one",
)

# What the grammar expects next.
_VALUE, _VALUE_OR_END, _KEY_OR_END, _KEY, _COLON, _AFTER = range(6)


class _Part(NamedTuple):
    number: int
    line: bytes
    start: int
    end: int


class DocumentReader:
    """Pretty-printed JSON: an event, an array of events, or several such values one after another.

    Each value that starts a line and ends on it is read like an NDJSON line. A value that goes
    on past its line is followed token by token: a top-level array's elements are parsed (and
    checked) one by one as each is complete, so memory holds one element, not the document. A
    value that breaks off (a string left open at a line end, a missing comma, the end of the
    input) is one unparseable record where it broke, and reading goes on with the next value.
    """

    def __init__(self, checks: Checks, *, bom: bool = False, probe: bool = False) -> None:
        self.checks = checks
        self.note = bom
        self.probe = probe
        """Only follow the grammar: check nothing (to tell whether a line opens a document)."""
        self.last: tuple[int, bytes] = (0, b"")
        self._reset()

    def _reset(self) -> None:
        self.stack = bytearray()
        self.state = _VALUE
        self.top_array = False
        self.elements = 0
        self.open_line = 0
        self.parts: list[_Part] | None = None
        """The open record's text, line by line, while one is open."""
        self.held = 0
        """The bytes of the lines in ``parts``; past MAX_RECORD only the first is kept."""

    def feed(self, line: bytes, number: int, tally: Tally) -> None:
        """Read one more line (with its line break)."""
        if line.strip(_WHITESPACE):
            self.last = (number, line)
        if self.stack:
            self._scan(line, number, 0, tally)
        else:
            self._fresh(line, number, 0, tally)

    def end(self, tally: Tally) -> None:
        """The input ended: a value still open is an unparseable record."""
        if not self.stack:
            return
        parts, held = self.parts, self.held
        self._reset()
        if parts is not None:
            self._broken(parts, held, tally)
        else:
            number, line = self.last
            self._error(number, line, len(line.rstrip(_WHITESPACE)), "unexpected end of data", tally)

    def _fresh(self, line: bytes, number: int, offset: int, tally: Tally) -> None:
        """A value that starts at ``offset`` of ``line``."""
        rest = line[offset:] if offset else line
        if not rest.strip(_WHITESPACE):
            if offset == 0:
                tally.skipped += 1
            return
        try:
            value = orjson.loads(rest)
        except orjson.JSONDecodeError as exc:
            failed = exc
        else:
            self._emit(value, rest, number, tally, expand=True)
            return
        scratch = Tally()
        self.open_line = number
        if self._scan(line, number, offset, scratch, first=True):
            # Open at the end of its line: a document goes on. Its elements done so far count now.
            tally.add(scratch)
            tally.problems.extend(scratch.problems)
            return
        # It ended (or broke) on this line: one line that does not parse, as in NDJSON.
        self._reset()
        if failed.doc:
            self._error_at(number, line, _chars(line[:offset]) + failed.pos, failed.msg, tally)
        else:
            self.note = False
            _unparseable(tally, number, self.checks, json_violation(failed, single_line=True))

    def _scan(self, line: bytes, number: int, start: int, tally: Tally, *, first: bool = False) -> bool:
        """Follow the grammar through ``line`` from ``start``; True when a value is still open at its end.

        With ``first`` (the value began on this line), an end or a break on the line returns
        False at once, and the caller reports the line as one.
        """
        stack = self.stack
        for match in _TOKEN.finditer(line, start):
            token = match.group()
            c = token[0]
            if c in _SPACE:
                continue
            pos = match.start()
            state = self.state
            if state in (_VALUE, _VALUE_OR_END):
                if c == _CLOSE_ARRAY and state == _VALUE_OR_END:
                    stack.pop()
                    self.state = _AFTER
                    self._closed(tally)
                elif c in _PUNCTUATION:
                    return self._break(line, number, pos, "unexpected character, expected a JSON value", tally, first)
                elif c == _QUOTE and len(token) == 1:
                    return self._break(line, number, pos, _OPEN_STRING, tally, first)
                else:
                    if self.parts is None and len(stack) == self.top_array:
                        if not stack and c == _OPEN_ARRAY:
                            self.top_array = True
                        else:
                            self.parts = [_Part(number, line, pos, len(line))]
                    if c in (_OPEN_ARRAY, _OPEN_OBJECT):
                        if len(stack) >= MAX_DEPTH:
                            return self._break(line, number, pos, _TOO_DEEP, tally, first)
                        stack.append(c)
                        self.state = _VALUE_OR_END if c == _OPEN_ARRAY else _KEY_OR_END
                        continue
                    self.state = _AFTER  # a string or a bare scalar (orjson judges its spelling)
            elif state in (_KEY_OR_END, _KEY):
                if c == _QUOTE and len(token) > 1:
                    self.state = _COLON
                    continue
                if c == _CLOSE_OBJECT and state == _KEY_OR_END:
                    stack.pop()
                    self.state = _AFTER
                else:
                    message = _OPEN_STRING if c == _QUOTE else "unexpected character, expected a string key"
                    return self._break(line, number, pos, message, tally, first)
            elif state == _COLON:
                if c != _COLON_MARK:
                    message = "unexpected character, expected ':' after an object key"
                    return self._break(line, number, pos, message, tally, first)
                self.state = _VALUE
                continue
            else:  # _AFTER a value inside a container
                top = stack[-1]
                if c == _COMMA:
                    self.state = _VALUE if top == _OPEN_ARRAY else _KEY
                    continue
                if c != top + 2:  # ] closes [, } closes {
                    expected = (
                        "',' or ']' after an array value" if top == _OPEN_ARRAY else "',' or '}' after an object value"
                    )
                    return self._break(line, number, pos, f"unexpected character, expected {expected}", tally, first)
                stack.pop()
                self._closed(tally)
            # A value just ended: a record's, or the whole top-level value's.
            end = match.end()
            if self.parts is not None and len(stack) == self.top_array:
                if first and not stack:
                    return False  # the whole value ended on the line it began on
                parts, self.parts = self.parts, None
                if self.held > MAX_RECORD:
                    self.elements += 1
                    self.note = False
                    _unparseable(tally, parts[0].number, self.checks, TOO_BIG)
                elif parts[-1].number == number:
                    parts[-1] = parts[-1]._replace(end=end)
                    self._record_done(parts, tally)
                else:
                    parts.append(_Part(number, line, 0, end))
                    self._record_done(parts, tally)
                self.held = 0
            if not stack:
                if first:
                    return False
                self._reset()
                self._fresh(line, number, end, tally)
                return False
        if self.parts is not None:
            self.held += len(line)
            if self.held > MAX_RECORD:
                del self.parts[1:]  # only where it started is kept
            elif self.parts[-1].number != number:
                self.parts.append(_Part(number, line, 0, len(line)))
        return True

    def _closed(self, tally: Tally) -> None:
        if not self.stack and self.top_array and self.elements == 0 and not self.probe:
            # An empty top-level array holds no event: a record of its own, as an empty line array is.
            self.note = False
            _record([], [], self.open_line, self.checks, tally)

    def _record_done(self, parts: list[_Part], tally: Tally) -> None:
        self.elements += 1
        if self.probe:
            return
        text = b"".join(part.line[part.start : part.end] for part in parts)
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            self._text_error(parts, tally)
            return
        self._emit(value, text, parts[0].number, tally, expand=False)

    def _emit(self, value: Any, raw: bytes, number: int, tally: Tally, *, expand: bool) -> None:
        note, self.note = self.note, False
        _value(value, raw, number, self.checks, tally, expand=expand, note=note)

    def _break(self, line: bytes, number: int, pos: int, message: str, tally: Tally, first: bool) -> bool:
        """The grammar broke at ``pos``: report what was open there, then read on with the next value."""
        if first:
            return False
        parts, held = self.parts, self.held
        # A token that cannot go on with the value may start the next one; a string left open
        # belongs to the value it is in.
        at_line_start = not line[:pos].strip(_WHITESPACE) and message is not _OPEN_STRING
        self._reset()
        if message is _TOO_DEEP:
            # Said here: orjson, given the value up to this line, would see only its end.
            self._error(number, line, pos, message, tally)
            return False
        if parts is None:
            # Between the elements of an array: the array is broken there.
            self._error(number, line, pos, message, tally)
        elif at_line_start and parts[-1].number < number:
            # The open record ended with the line before; it does not parse.
            self._broken(parts, held, tally)
        else:
            if parts[-1].number == number:
                parts[-1] = parts[-1]._replace(end=len(line))
            else:
                parts.append(_Part(number, line, 0, len(line)))
            self._broken(parts, held, tally)
            return False
        if at_line_start:
            self._fresh(line, number, 0, tally)  # this line may start the next value
        return False

    def _broken(self, parts: list[_Part], held: int, tally: Tally) -> None:
        if held > MAX_RECORD:
            self.note = False
            _unparseable(tally, parts[0].number, self.checks, TOO_BIG)
        else:
            self._text_error(parts, tally)

    def _text_error(self, parts: list[_Part], tally: Tally) -> None:
        """The record in ``parts`` does not parse: report it where orjson stopped."""
        text = b"".join(part.line[part.start : part.end] for part in parts)
        try:
            orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            if not exc.doc:  # not UTF-8: orjson gives no position
                self.note = False
                _unparseable(tally, parts[0].number, self.checks, json_violation(exc, single_line=True))
                return
            part, column = _locate(parts, exc.pos)
            self._error_at(part.number, part.line, column, exc.msg, tally)
            return
        last = parts[-1]  # pragma: no cover - the grammar refuses only what orjson refuses
        self._error(last.number, last.line, last.end, "unexpected end of data", tally)  # pragma: no cover

    def _error(self, number: int, line: bytes, pos: int, message: str, tally: Tally) -> None:
        self._error_at(number, line, _chars(line[:pos]), message, tally)

    def _error_at(self, number: int, line: bytes, column: int, message: str, tally: Tally) -> None:
        """An unparseable record at line ``number``; ``column`` counts characters from the line's start."""
        self.note = False
        located = orjson.JSONDecodeError(message, line.decode("utf-8", "replace"), column)
        _unparseable(tally, number, self.checks, json_violation(located, single_line=True))


_OPEN_ARRAY, _CLOSE_ARRAY, _OPEN_OBJECT, _CLOSE_OBJECT = b"[]{}"
_QUOTE, _COMMA, _COLON_MARK = b'",:'
_PUNCTUATION = frozenset(b",:]}")


def _chars(data: bytes) -> int:
    return len(data.decode("utf-8", "replace"))


def _locate(parts: list[_Part], pos: int) -> tuple[_Part, int]:
    """The line, and the character column in it, of character ``pos`` of the parts' joined text."""
    seen = 0
    for index, part in enumerate(parts):
        text = part.line[part.start : part.end].decode("utf-8", "replace")
        if pos < seen + len(text.rstrip()) or index == len(parts) - 1:
            offset = min(pos - seen, len(text.rstrip()))
            return part, _chars(part.line[: part.start]) + offset
        seen += len(text)
    raise AssertionError("a record has at least one part")  # pragma: no cover


# --- An input: NDJSON chunks, or documents -----------------------------------------------------


def read_input(
    stream: IO[bytes], checks: Checks, *, chunk_size: int | None = None, eager: bool = True, spans: bool = False
) -> Iterator[Chunk | Span | Tally]:
    """The work one input makes, in order: NDJSON chunks to check, or documents' records checked here.

    The first line that is not blank decides. A line that parses, or breaks off within itself,
    starts NDJSON. A line that opens a value left open at its end (``[`` or ``{``, or the start
    of an event cut short) starts a document, unless the next line is an event on its own: then
    the first line was cut short (a rotated log) and the input is NDJSON. ``eager`` checks what
    a pipe holds as it comes rather than waiting for a full chunk. With ``spans``, NDJSON in a
    regular file comes (after its first lines) as byte ranges for workers to read themselves.
    OSErrors of ``stream`` propagate.
    """
    size = chunk_size or CHUNK_SIZE
    number = 1
    head = stream.readline()
    bom = head.startswith(_BOM)
    if bom:
        head = head[len(_BOM) :]
        if not head.strip(_WHITESPACE):
            tally = Tally()
            _unparseable(tally, 1, checks, BOM_ONLY)
            yield tally
            number, bom, head = 2, False, stream.readline()
    lines = [head]
    while head and not head.strip(_WHITESPACE):
        head = stream.readline()
        lines.append(head)
    if head and _opens_document(head):
        if head.strip(_WHITESPACE) not in (b"[", b"{"):
            following = stream.readline()
            while following and not following.strip(_WHITESPACE):
                lines.append(following)
                following = stream.readline()
            lines.append(following)
            if _is_event_line(following):
                yield from _ndjson(b"".join(lines), number, stream, bom, size, eager, spans)
                return
        yield from _documents(lines, number, stream, checks, bom)
        return
    yield from _ndjson(b"".join(lines), number, stream, bom, size, eager, spans)


def _ndjson(
    head: bytes, number: int, stream: IO[bytes], bom: bool, chunk_size: int, eager: bool, spans: bool
) -> Iterator[Chunk | Span]:
    if not (spans and _regular(stream)):
        yield from _chunks(head, number, stream, bom, chunk_size, eager)
        return
    if head:
        yield Chunk(head, number, bom)
    position = stream.tell()
    while True:
        size = os.fstat(stream.fileno()).st_size  # again at each span: a file still being written goes on
        if position >= size:
            return
        end = size if position + chunk_size >= size else _line_end(stream.fileno(), position + chunk_size, size)
        yield Span(position, end)
        position = end


def _regular(stream: IO[bytes]) -> bool:
    try:
        return hasattr(os, "pread") and stat.S_ISREG(os.fstat(stream.fileno()).st_mode) and stream.seekable()
    except (OSError, AttributeError, ValueError):
        return False


def _line_end(fd: int, at: int, size: int) -> int:
    """Where the line that byte ``at - 1`` is on ends (just past its line break), or ``size``."""
    position = at - 1
    while position < size:
        block = os.pread(fd, 1 << 16, position)
        if not block:
            return size
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(block)
    return size


def _opens_document(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return DocumentReader(Checks(), probe=True)._scan(line, 1, 0, Tally(), first=True)
    return False


def _is_event_line(raw: bytes) -> bool:
    try:
        return isinstance(orjson.loads(raw), dict)
    except orjson.JSONDecodeError:
        return False


def _chunks(head: bytes, number: int, stream: IO[bytes], bom: bool, chunk_size: int, eager: bool) -> Iterator[Chunk]:
    read = getattr(stream, "read1", stream.read) if eager else stream.read
    data = head
    while True:
        if len(data) < chunk_size and (not data or data.endswith(b"\n")):  # else a full chunk, or the end
            more = read(chunk_size - len(data))
            if more:
                pieces = [data, more] if data else [more]
                if not more.endswith(b"\n"):
                    pieces.append(stream.readline())  # to the end of the line
                data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        if not data:
            return
        yield Chunk(data, number, bom)
        number += data.count(b"\n")
        data, bom = b"", False


def _documents(lines: list[bytes], number: int, stream: IO[bytes], checks: Checks, bom: bool) -> Iterator[Tally]:
    reader = DocumentReader(checks, bom=bom)
    for line in _lines_then(lines, stream):
        tally = Tally()
        reader.feed(line, number, tally)
        number += 1
        yield tally
    tally = Tally()
    reader.end(tally)
    yield tally


def _lines_then(lines: list[bytes], stream: IO[bytes]) -> Iterator[bytes]:
    for line in lines:
        if line:
            yield line
    while line := stream.readline():
        yield line


# --- Keys given twice --------------------------------------------------------------------------


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

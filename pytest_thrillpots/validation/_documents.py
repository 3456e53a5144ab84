"""Pretty-printed JSON documents in a capture, read one value at a time in bounded memory."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import orjson

from pytest_thrillpots.validation._records import _WHITESPACE, Checks, Tally, _record, _unparseable, _value
from pytest_thrillpots.validation._violation import Violation, json_violation

_TOKEN = re.compile(rb'[ \t\r\n]+|"(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*"|[\[\]{},:]|[^ \t\r\n\[\]{},:"]+|"')


# What the grammar expects next.
_VALUE, _VALUE_OR_END, _KEY_OR_END, _KEY, _COLON, _AFTER = range(6)


_OPEN_ARRAY, _CLOSE_ARRAY, _OPEN_OBJECT, _CLOSE_OBJECT = b"[]{}"
_QUOTE, _COMMA, _COLON_MARK = b'",:'


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

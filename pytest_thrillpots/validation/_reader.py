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

import os
import stat
from collections.abc import Iterator
from typing import IO

import orjson

from pytest_thrillpots.validation._documents import DocumentReader
from pytest_thrillpots.validation._records import (
    _BOM,
    _WHITESPACE,
    BOM_ONLY,
    CHUNK_SIZE,
    Checks,
    Chunk,
    Span,
    Tally,
    _unparseable,
)

# --- One record --------------------------------------------------------------------------------


# --- NDJSON: whole lines, a chunk at a time ----------------------------------------------------


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
    regular = _regular(stream)
    if not (spans and regular):
        # A file holds what it holds: only a pipe is worth checking as it comes.
        yield from _chunks(head, number, stream, bom, chunk_size, eager and not regular)
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

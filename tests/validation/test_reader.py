"""The reader: NDJSON in chunks that never change the answer, documents a value at a time, bounded reads."""

from __future__ import annotations

import io
import json

import orjson
from _validation_samples import valid_event
from hypothesis import given
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES
from pytest_thrillpots.validation._documents import DocumentReader
from pytest_thrillpots.validation._reader import read_input
from pytest_thrillpots.validation._records import Checks, Chunk, Tally, check_lines

EVENTS = [orjson.dumps(valid_event(t)) for t in EVENT_TYPES]
LINES = st.one_of(
    st.sampled_from([*EVENTS, b"", b" ", b"\r", b"[]", b"[1, {}]", b"null", b'"x"', b"{", b'{"a": [', b"\xff"]),
    st.binary(max_size=12),
)


def _total(items: list[Chunk | Tally], checks: Checks) -> Tally:
    total = Tally()
    for item in items:
        tally = check_lines(item.data, item.first_line, checks, bom=item.bom) if isinstance(item, Chunk) else item
        total.add(tally)
        total.problems.extend(tally.problems)
    return total


def _counts(tally: Tally) -> tuple[object, ...]:
    return (tally.valid, tally.invalid, tally.unparseable, tally.skipped, tally.unidentified, tally.by_type)


@given(lines=st.lists(LINES, max_size=30), size=st.integers(1, 300), eager=st.booleans(), end=st.booleans())
def test_how_ndjson_is_cut_into_chunks_never_changes_what_is_found(
    lines: list[bytes], size: int, eager: bool, end: bool
) -> None:
    data = EVENTS[0] + b"\n" + b"\n".join(lines) + (b"\n" if end else b"")  # a first line that is NDJSON
    checks = Checks()
    items = list(read_input(io.BytesIO(data), checks, chunk_size=size, eager=eager))
    assert all(isinstance(item, Chunk) for item in items)
    whole = check_lines(data, 1, checks)
    total = _total(items, checks)
    assert (_counts(total), total.problems) == (_counts(whole), whole.problems)
    # Chunks are whole lines, in order, numbered as the input is.
    assert b"".join(item.data for item in items if isinstance(item, Chunk)) == data
    numbers = [item.first_line for item in items if isinstance(item, Chunk)]
    assert numbers == sorted(numbers) and (not numbers or numbers[0] == 1)


class _Counting(io.BytesIO):
    """A stream that says how much was read from it so far."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data

    def read1(self, size: int = -1) -> bytes:
        data = super().read1(size)
        self.taken += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self.taken += len(data)
        return data


def test_the_reader_reads_a_chunk_ahead_at_most_even_when_the_first_lines_do_not_parse() -> None:
    body = b"".join(event + b"\n" for event in EVENTS) * 2000
    for start in (b"", b'{"cut": [\n', b'{"cut": [\n{"again": [\n', b"garbage\n\n"):
        stream = _Counting(start + body)
        items = read_input(stream, Checks(), chunk_size=10_000)
        next(items)
        assert stream.taken < 10_000 + 2_000, (start, stream.taken)
        assert sum(item.checked if isinstance(item, Tally) else 0 for item in items) >= 0  # reads to the end


@given(values=st.lists(st.sampled_from([valid_event(t) for t in EVENT_TYPES]), max_size=40), indent=st.integers(1, 4))
def test_a_document_holds_one_element_at_a_time(values: list[dict[str, object]], indent: int) -> None:
    text = json.dumps(values, indent=indent).encode()
    reader = DocumentReader(Checks())
    tally = Tally()
    biggest = max((len(json.dumps(v, indent=indent)) for v in values), default=0)
    for number, line in enumerate(io.BytesIO(text), 1):
        reader.feed(line, number, tally)
        held = sum(part.end - part.start for part in reader.parts or [])
        assert held <= 2 * biggest + 16  # about one element (indented one level more), never the document
    reader.end(tally)
    assert (tally.checked, tally.valid) == (max(len(values), 1), len(values))


def test_a_document_stream_counts_each_value_and_keeps_going_past_a_broken_one() -> None:
    event = json.dumps(valid_event("OptInEvent"), indent=2)
    text = f"{event}\n{event[:-20]}\n{event}\n[\n{event},\n{event}\n]\n".encode()
    tally = _total(list(read_input(io.BytesIO(text), Checks())), Checks())
    assert (tally.valid, tally.unparseable) == (4, 1)


@given(
    value=st.sampled_from([valid_event(t) for t in EVENT_TYPES])
    | st.dictionaries(
        st.sampled_from(["instance_id", "failed_payouts", "x", "seed"]), st.integers(-(2**63), 2**63 - 1) | st.text()
    ),
    spacing=st.sampled_from([None, (",", ":"), (", ", ": ")]),
    ending=st.sampled_from([b"", b"\r", b"\r\r", b" "]),
    duplicate=st.booleans(),
    event_type=st.sampled_from([None, "OptInEvent", "RafflePayoutErrorEvent"]),
)
def test_the_short_way_through_says_what_the_long_way_says(
    value: dict[str, object], spacing: tuple[str, str] | None, ending: bytes, duplicate: bool, event_type: str | None
) -> None:
    from pytest_thrillpots.validation._records import _value

    raw = (orjson.dumps(value) if spacing is None else json.dumps(value, separators=spacing).encode()) + ending
    if duplicate and value:
        key = json.dumps(next(iter(value)))
        raw = raw.replace(b"{", b"{" + key.encode() + b": 1, ", 1)
    checks = Checks(event_type)
    long_way = Tally()
    _value(orjson.loads(raw), raw, 7, checks, long_way, expand=True)
    short_way = check_lines(raw, 7, checks)
    assert (_counts(short_way), short_way.problems) == (_counts(long_way), long_way.problems)


def test_a_value_too_big_to_be_an_event_is_not_held(monkeypatch: object) -> None:
    import pytest_thrillpots.validation._documents as reader_module

    setattr(reader_module, "MAX_RECORD", 10_000)  # noqa: B010 - restored below
    try:
        reader = DocumentReader(Checks())
        tally = Tally()
        lines = [b'{"instance_id": "i", "failed_payouts": [\n', *[b"  1,\n"] * 50_000, b"  1]}\n"]
        most = 0
        for number, line in enumerate(lines, 1):
            reader.feed(line, number, tally)
            most = max(most, sum(len(part.line) for part in reader.parts or []))
        reader.end(tally)
    finally:
        setattr(reader_module, "MAX_RECORD", 64 << 20)  # noqa: B010
    assert most < 20_000
    assert (tally.checked, tally.unparseable) == (1, 1)
    assert tally.problems[0].line == 1
    assert tally.problems[0].violations[0].message.startswith("a value of more than 64 MiB starts here")


def test_a_document_nested_deeper_than_the_parser_goes_is_broken_there() -> None:
    text = b"[\n" + b"[\n" * 2000 + b"]\n" * 2001
    tally = _total(list(read_input(io.BytesIO(text), Checks())), Checks())
    assert tally.unparseable >= 1
    assert any("nested more than 1024 levels deep" in p.violations[0].message for p in tally.problems)

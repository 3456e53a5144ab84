"""The short way through a line (``validation/_lines``) only ever skips work: it never changes a verdict.

Each test holds ``check_lines`` with the short way to ``check_lines`` without it (the full way:
parse, identify, collect), on lines hypothesis writes from valid events and then breaks: every
kind of value in every place, keys dropped, added or given twice, escapes, spacing, key order,
text cut short, and any bytes.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import pytest
from _validation_samples import places, valid_event
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES
from pytest_thrillpots.spec import identification, spec
from pytest_thrillpots.strategies import events
from pytest_thrillpots.validation import _records
from pytest_thrillpots.validation._fastpath import fast_decoder
from pytest_thrillpots.validation._lines import MAX_FREE_FORM_DEPTH, line_check, quote_counter
from pytest_thrillpots.validation._records import Checks, Tally, check_lines
from pytest_thrillpots.validation._validate import validate, validate_parsed

ALL_FIELDS = sorted({name for event_type in EVENT_TYPES for name in spec(event_type).fields})

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(1 << 70), max_value=1 << 70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5)
    | st.sampled_from(["Jackpot", "Raffle", 'a"b', "a\\b", "é", "\u2028"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


class Pairs(list):  # type: ignore[type-arg]
    """An object written key by key: a key may be given twice."""


def write(value: Any, separators: tuple[str, str]) -> str:
    """JSON text of ``value``, ``Pairs`` written with every pair (duplicates too)."""
    comma, colon = separators
    if isinstance(value, Pairs):
        return "{" + comma.join(f"{json.dumps(k)}{colon}{write(v, separators)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return write(Pairs(value.items()), separators)
    if isinstance(value, list):
        return "[" + comma.join(write(item, separators) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _object_places(event: Any) -> list[tuple[str | int, ...]]:
    return [parts for parts in places(event) if isinstance(_at(event, parts), dict)]


def _at(value: Any, parts: tuple[str | int, ...]) -> Any:
    for part in parts:
        value = value[part]
    return value


@st.composite
def broken_lines(draw: st.DrawFn) -> bytes:
    """A line of a capture: a valid event, mostly broken one way or another."""
    event_type = draw(st.sampled_from(EVENT_TYPES))
    event: Any = draw(events(event_type)) if draw(st.booleans()) else valid_event(event_type)
    rng = random.Random(draw(st.integers(0, 1 << 32)))
    how = draw(
        st.sampled_from(["none", "value", "drop", "add", "twice", "deep", "ascii", "spaces", "order", "cut", "bytes"])
    )
    if how == "value":
        parts = rng.choice(list(places(event))[1:])
        _at(event, parts[:-1])[parts[-1]] = draw(JSON_VALUES)
    elif how == "drop":
        parts = rng.choice(list(places(event))[1:])
        container = _at(event, parts[:-1])
        if isinstance(container, dict):
            del container[parts[-1]]
    elif how == "add":
        target = _at(event, rng.choice(_object_places(event)))
        target[draw(st.sampled_from(ALL_FIELDS) | st.text(max_size=4))] = draw(JSON_VALUES)
    elif how == "twice":
        parts = rng.choice(_object_places(event))
        target = _at(event, parts)
        if target:
            pairs = Pairs(target.items())
            key, value = rng.choice(pairs)
            pairs.insert(rng.randrange(len(pairs) + 1), (key, draw(st.just(value) | JSON_VALUES)))
            if parts:
                _at(event, parts[:-1])[parts[-1]] = pairs
            else:
                event = pairs
    elif how == "deep" and event_type == "WinEvent":
        depth = draw(st.integers(MAX_FREE_FORM_DEPTH - 2, MAX_FREE_FORM_DEPTH + 2))
        deep: Any = draw(JSON_VALUES)
        for _ in range(depth):
            deep = {"k": deep} if rng.random() < 0.5 else [deep]
        event["metadata"] = {"deep": deep}
    if how == "ascii":
        return json.dumps(event, ensure_ascii=True).replace("/", "\\/").encode()
    separators = (
        draw(st.sampled_from([(",", ":"), (", ", ": "), (",", " :"), (" ,", ":")])) if how == "spaces" else (",", ":")
    )
    if how == "order" and isinstance(event, dict):
        keys = list(event)
        rng.shuffle(keys)
        event = {key: event[key] for key in keys}
    text = write(event, separators).encode()
    if how == "cut":
        return text[: rng.randrange(len(text))]
    if how == "bytes":
        at = rng.randrange(len(text))
        return text[:at] + draw(st.binary(min_size=1, max_size=3)).replace(b"\n", b"") + text[at + 1 :]
    return text


MODES = st.builds(
    Checks,
    event_type=st.none() | st.sampled_from(EVENT_TYPES),
    strict=st.booleans(),
    allow_legacy_winners=st.booleans(),
    semantic=st.booleans(),
)


@contextmanager
def full_way_only() -> Iterator[None]:
    original = _records.line_check
    _records.line_check = lambda event_type: None  # type: ignore[assignment]
    try:
        yield
    finally:
        _records.line_check = original


def full_way(data: bytes, checks: Checks) -> Tally:
    with full_way_only():
        return check_lines(data, 1, checks)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    lines=st.lists(broken_lines() | st.sampled_from([b"", b" ", b"\r"]), min_size=1, max_size=5),
    checks=MODES,
    first_line=st.integers(1, 10**6),
    bom=st.booleans(),
)
def test_the_short_way_gives_every_line_the_full_ways_verdict(
    lines: list[bytes], checks: Checks, first_line: int, bom: bool
) -> None:
    data = b"\n".join(lines) + b"\n"
    with full_way_only():
        expected = check_lines(data, first_line, checks, bom=bom)
    assert check_lines(data, first_line, checks, bom=bom) == expected


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(line=broken_lines(), event_type=st.none() | st.sampled_from(EVENT_TYPES), strict=st.booleans())
def test_a_line_the_short_way_is_sure_of_is_valid_by_the_full_way(
    line: bytes, event_type: str | None, strict: bool
) -> None:
    check = line_check(event_type)
    assert check is not None
    sure = check(line)
    if sure is not None:
        for legacy in (False, True):
            tally = full_way(line, Checks(event_type, strict=strict, allow_legacy_winners=legacy))
            assert (tally.valid, tally.by_type, tally.problems) == (1, {sure: 1}, [])


@given(event=st.sampled_from(EVENT_TYPES).flatmap(events))
def test_the_quote_counter_counts_the_quotes_of_every_valid_event(event: dict[str, Any]) -> None:
    text = orjson.dumps(event)
    assume(b"\\" not in text)  # an escaped quote is one quote more: the short way defers
    event_type = identification(event).event_type
    assert event_type is not None
    fast = fast_decoder(event_type, True)
    assert fast is not None
    assert quote_counter(event_type)(fast.decode(text)) == text.count(b'"')


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_the_short_way_is_sure_of_every_valid_event_written_compactly(event_type: str) -> None:
    text = orjson.dumps(valid_event(event_type))
    for named in (None, event_type):
        check = line_check(named)
        assert check is not None
        assert check(text) == event_type


def _win(**changes: Any) -> dict[str, Any]:
    return {**valid_event("WinEvent"), **changes}


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (orjson.dumps(valid_event("WinEvent"))[:-1] + b',"seed":"x"}', "the last value of a key given twice wins"),
        (orjson.dumps(valid_event("WinEvent")).replace(b'"seed":42', b'"seed":"x","seed":42'), "a key given twice"),
        (
            orjson.dumps(valid_event("RaffleWinEvent")).replace(b'"win_amount":7', b'"win_amount":7,"win_amount":8'),
            "a key given twice in a winner",
        ),
        (orjson.dumps(_win(metadata={"a": 1})).replace(b'"a":1', b'"a":1,"a":2'), "a key given twice in metadata"),
        (orjson.dumps(_win(metadata={"n": 1})).replace(b'"n":1', b'"n":' + b"9" * 400), "a number orjson cannot read"),
        (write(_win(metadata={"n": 1 << 64}), (",", ":")).encode(), "a whole number beyond 64 bits"),
        (orjson.dumps(_win(metadata={"deep": json.loads("[" * 80 + "]" * 80)})), "deep metadata"),
        (orjson.dumps(_win(jackpot_name='say "hi"')), "an escaped quote"),
        (orjson.dumps(_win(jackpot_name="id")).replace(b'"Mega"', b'"id"'), "another type's key, as a value"),
        (orjson.dumps(valid_event("WinEvent")).replace(b'"seed":', b'"seed" :'), "a space before a colon"),
        (b"\xef\xbb\xbf" + orjson.dumps(valid_event("WinEvent")), "a byte order mark"),
    ],
)
def test_lines_the_short_way_leaves_to_the_full_way(line: bytes, why: str) -> None:
    for event_type in (None, "WinEvent", "RaffleWinEvent"):
        check = line_check(event_type)
        assert check is not None
        sure = check(line)
        tally = full_way(line, Checks(event_type))
        if sure is not None:  # only where the full way agrees the line is a valid event
            assert (tally.valid, tally.by_type) == (1, {sure: 1}), why
        assert check_lines(line, 1, Checks(event_type)) == tally, why


def test_a_key_given_twice_is_reported_though_the_event_decodes() -> None:
    line = orjson.dumps(valid_event("WinEvent")).replace(b'"seed":42', b'"seed":42,"seed":42')
    check = line_check(None)
    assert check is not None
    assert check(line) is None
    tally = check_lines(line, 1, Checks())
    assert tally.invalid == 1
    assert [v.message for v in tally.problems[0].violations] == [
        "duplicate key 'seed': JSON parsers disagree on which value wins"
    ]


def test_a_byte_order_mark_line_is_never_taken_the_short_way() -> None:
    line = orjson.dumps(valid_event("OptInEvent"))
    tally = check_lines(line, 1, Checks(), bom=True)
    assert tally.invalid == 1
    assert tally.problems[0].violations[0].rule == "json"


def test_semantic_checks_always_take_the_full_way() -> None:
    event = valid_event("OptInEvent")
    event["last_updated"] = 17  # not epoch milliseconds: a convention, not a rule of the schema
    tally = check_lines(orjson.dumps(event), 1, Checks(semantic=True))
    assert tally.invalid == 1


def test_metadata_nested_past_orjsons_limit_is_left_to_the_full_way() -> None:
    # msgspec follows Python's recursion limit, which a program may raise (and Python 3.13 reads
    # deeper anyway) past orjson's 1024 levels: the full way's parser must keep the last word.
    deep = b"[" * 1030 + b"]" * 1030
    line = orjson.dumps(_win(metadata={"m": 1})).replace(b'{"m":1}', b'{"m":' + deep + b"}")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        check = line_check(None)
        assert check is not None
        assert check(line) is None
        tally = check_lines(line, 1, Checks())
    finally:
        sys.setrecursionlimit(limit)
    assert (tally.valid, tally.unparseable) == (0, 1)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(line=broken_lines(), event_type=st.sampled_from(EVENT_TYPES), checks=MODES)
def test_the_readers_parsed_events_get_validates_verdict(line: bytes, event_type: str, checks: Checks) -> None:
    """The reader hands orjson's values to ``validate_parsed``, which skips the checks of values built in Python."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        assume(False)
    modes = {"strict": checks.strict, "allow_legacy_winners": checks.allow_legacy_winners, "semantic": checks.semantic}
    assert validate_parsed(value, event_type, **modes) == validate(value, event_type, **modes)

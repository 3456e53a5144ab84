"""matches_spec takes a payload as validate() does: parsed JSON or JSON text."""

from __future__ import annotations

import orjson

from pytest_thrillpots import (
    WinEventFactory,
    matches_spec,
    validate,
)

# --- matches_spec takes a payload as validate() does: parsed JSON or JSON text ---------------------


def test_matches_spec_equals_json_text_of_a_matching_event() -> None:
    win = WinEventFactory.seeded(1).build(player_id="p-1")
    matcher = matches_spec("WinEvent", player_id="p-1")
    assert orjson.dumps(win) == matcher
    assert orjson.dumps(win).decode() == matcher
    assert orjson.dumps({**win, "player_id": "p-2"}) != matcher
    assert matcher != b"{"


def test_matches_spec_explains_json_text() -> None:
    win = WinEventFactory.seeded(1).build(player_id="p-2")
    assert matches_spec("WinEvent", player_id="p-1").explain(orjson.dumps(win)) == [
        "payload does not match matches_spec('WinEvent', player_id='p-1')",
        "field differences:",
        "  player_id",
        '    - expected: "p-1"',
        '    + actual:   "p-2"',
    ]
    assert matches_spec("WinEvent").explain(b"{") == [
        "payload does not match matches_spec('WinEvent')",
        "spec violations:",
        "  <event>: not valid JSON: unexpected end of data at line 1 column 2 [json]",
    ]


def test_matches_spec_does_not_equal_text_that_gives_a_key_twice() -> None:
    """The matcher judged orjson's reading of the text, in which the last value wins: a first
    value that breaks the spec passed unseen."""
    text = orjson.dumps(WinEventFactory.seeded(1).build(player_id="p-1"))
    twice = text[:-1] + b',"player_id":"p-1"}'
    twice = twice.replace(b'"player_id":"p-1"', b'"player_id":1', 1)
    matcher = matches_spec("WinEvent", player_id="p-1")
    assert twice != matcher
    assert matcher.explain(twice) == [
        "payload does not match matches_spec('WinEvent', player_id='p-1')",
        "spec violations:",
        "  player_id: duplicate key 'player_id': JSON parsers disagree on which value wins [json]",
    ]


def test_a_str_subclass_is_read_as_json_text() -> None:
    class Text(str):
        pass

    win = WinEventFactory.seeded(1).build()
    assert validate(Text(orjson.dumps(win).decode()), "WinEvent") == []
    assert [v.rule for v in validate(Text("{"), "WinEvent")] == ["json"]
    assert Text(orjson.dumps(win).decode()) == matches_spec("WinEvent")

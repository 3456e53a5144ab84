"""matches_spec takes a payload as validate() does: parsed JSON or JSON text."""

from __future__ import annotations

import orjson

from pytest_thrillpots import (
    WinEventFactory,
    matches_spec,
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

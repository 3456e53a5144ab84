"""Nesting deeper than the engine converts (about 255 levels): dict, text and the command."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from pytest_thrillpots import (
    WinEventFactory,
    validate,
)
from pytest_thrillpots.cli import main

# --- Nesting deeper than the engine converts (about 255 levels) ------------------------------------


def _nested(depth: int) -> dict[str, object]:
    root: dict[str, object] = {}
    level = root
    for _ in range(depth):
        inner: dict[str, object] = {}
        level["a"] = inner
        level = inner
    return root


@pytest.mark.parametrize("depth", [300, 1000])
def test_deep_metadata_is_valid_as_a_dict_and_as_text(depth: int) -> None:
    win = {**WinEventFactory.seeded(1).build(), "metadata": _nested(depth)}
    assert validate(win, "WinEvent", strict=True) == []
    text = '{"a":' * depth + "{}" + "}" * depth
    raw = orjson.dumps({**win, "metadata": "@"}).replace(b'"@"', text.encode())
    assert validate(raw, "WinEvent", strict=True) == []
    assert validate(raw, "WinEvent", semantic=True) == []


def test_deep_nesting_where_the_spec_wants_a_string_is_one_type_violation() -> None:
    win = {**WinEventFactory.seeded(1).build(), "games_in_jackpot": [_nested(500)]}
    assert [(v.path, v.rule) for v in validate(win, "WinEvent")] == [("/games_in_jackpot/0", "type")]


def test_validate_cli_reads_deep_metadata_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    win = WinEventFactory.seeded(1).build()
    deep = '{"a":' * 300 + "1" + "}" * 300
    line = orjson.dumps({**win, "metadata": "@"}).replace(b'"@"', deep.encode())
    broken = orjson.dumps({**win, "metadata": "@", "timestamp": "x"}).replace(b'"@"', deep.encode())
    path = tmp_path / "deep.ndjson"
    path.write_bytes(line + b"\n" + broken + b"\n")
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert (code, out) == (
        1,
        f'{path}:2: timestamp: expected number, got string "x" [type]\n'
        "events by type: WinEvent 2\n"
        "checked 2 events: 1 valid, 1 invalid, 0 unparseable\n",
    )

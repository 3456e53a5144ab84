"""`thrillpots validate`: its exact output, exit codes, inputs, bad input, memory and fuzzing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import orjson
import pytest
from _validation_samples import legacy_raffle, valid_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES
from pytest_thrillpots.cli import main


def ndjson(*events: Any) -> bytes:
    return b"".join(orjson.dumps(event) + b"\n" for event in events)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Any:
    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    return feed


def bad_update() -> dict[str, Any]:
    event = valid_event("JackpotUpdateEvent")
    event["pots"][1]["is_progressive"] = "no"
    return event


# Output, exactly.


def test_all_valid_exits_0_with_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.ndjson"
    path.write_bytes(ndjson(*(valid_event(t) for t in EVENT_TYPES)))
    assert run(capsys, str(path)) == (0, "checked 6 events: 6 valid, 0 invalid, 0 unparseable\n", "")


def test_text_output_names_path_line_field_message_and_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "captured.ndjson"
    broken_win = valid_event("WinEvent")
    del broken_win["seed"]
    path.write_bytes(ndjson(valid_event("OptInEvent"), bad_update(), broken_win) + b'{"truncated": \n')
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert out == (
        f'{path}:2: pots[1].is_progressive: expected boolean, got string "no" [type]\n'
        f"{path}:3: seed: expected number, but the field is missing [missing]\n"
        f"{path}:4: <event>: not valid JSON: unexpected end of data at column 16 [json]\n"
        "checked 4 events: 1 valid, 2 invalid, 1 unparseable\n"
    )
    assert err == ""


def test_json_output_is_one_document_with_every_violation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "captured.ndjson"
    path.write_bytes(ndjson(bad_update(), valid_event("OptInEvent")) + b"NaN\n")
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert code == 1
    document = {
        "checked": 3,
        "valid": 1,
        "invalid": 1,
        "unparseable": 1,
        "violations": [
            {
                "path": str(path),
                "line": 1,
                "event_type": "JackpotUpdateEvent",
                "pointer": "/pots/1/is_progressive",
                "rule": "type",
                "message": 'expected boolean, got string "no"',
            },
            {
                "path": str(path),
                "line": 3,
                "event_type": None,
                "pointer": "",
                "rule": "json",
                "message": "not valid JSON: NaN at column 1 is not a JSON number (JSON has no NaN or Infinity)",
            },
        ],
    }
    assert json.loads(out) == document
    # Written piece by piece, the text is still exactly what a JSON library prints.
    assert out.encode() == orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def test_json_output_when_all_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(orjson.dumps(valid_event("WinEvent")))
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert (code, out) == (
        0,
        '{\n  "checked": 1,\n  "valid": 1,\n  "invalid": 0,\n  "unparseable": 0,\n  "violations": []\n}\n',
    )


def test_a_named_type_checks_every_event_as_that_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.ndjson"
    path.write_bytes(ndjson(valid_event("RafflePayoutErrorEvent"), valid_event("CommunityPayoutErrorEvent")))
    assert run(capsys, "--type", "RafflePayoutErrorEvent", str(path))[0] == 0
    code, out, _ = run(capsys, "--type", "CommunityPayoutErrorEvent", str(path))
    assert code == 1
    assert out.splitlines()[:2] == [
        f"{path}:1: gameround_id: expected string, but the field is missing [missing]",
        f"{path}:1: tx_credit_id: expected string, but the field is missing [missing]",
    ]
    code, out, _ = run(capsys, "--type", "CommunityPayoutErrorEvent", "--format", "json", str(path))
    assert {row["event_type"] for row in json.loads(out)["violations"]} == {"CommunityPayoutErrorEvent"}


def test_auto_reports_what_cannot_be_identified_and_checks_the_closest_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.ndjson"
    partial = valid_event("OptInEvent")
    del partial["opted_in"]
    path.write_bytes(ndjson({"kind": "heartbeat"}, partial, [1]))
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert code == 1
    rows = json.loads(out)["violations"]
    assert [(r["line"], r["event_type"], r["pointer"], r["rule"]) for r in rows] == [
        (1, None, "", "type"),
        (2, "OptInEvent", "/opted_in", "missing"),
        (3, None, "", "not_object"),
    ]
    assert rows[0]["message"].startswith("cannot identify the event type: the payload has none of the fields of")
    assert rows[2]["message"] == "expected a JSON object (a ThrillPots event), got number 1"


def test_strict_and_legacy_winner_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "raffle.ndjson"
    path.write_bytes(ndjson(legacy_raffle(), {**valid_event("OptInEvent"), "segment": "vip"}))
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert [line.rsplit("[", 1)[-1] for line in out.splitlines()[:-1]] == ["legacy_tuple]", "legacy_tuple]"]
    assert run(capsys, "--allow-legacy-winners", str(path))[:2] == (
        0,
        "checked 2 events: 2 valid, 0 invalid, 0 unparseable\n",
    )
    code, out, _ = run(capsys, "--allow-legacy-winners", "--strict", str(path))
    assert (code, out.splitlines()[0]) == (
        1,
        f'{path}:2: segment: unknown field, not listed in the OptInEvent spec (strict mode), got string "vip" [unknown_field]',
    )


# Inputs: stdin, several files, one document, arrays.


def test_standard_input_is_the_default_and_dash(stdin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stdin(ndjson(valid_event("OptInEvent"), bad_update()))
    assert run(capsys) == (
        1,
        '<stdin>:2: pots[1].is_progressive: expected boolean, got string "no" [type]\n'
        "checked 2 events: 1 valid, 1 invalid, 0 unparseable\n",
        "",
    )
    stdin(ndjson(valid_event("OptInEvent")))
    path = tmp_path / "more.ndjson"
    path.write_bytes(ndjson(valid_event("WinEvent")))
    assert run(capsys, str(path), "-")[:2] == (0, "checked 2 events: 2 valid, 0 invalid, 0 unparseable\n")


def test_several_files_are_counted_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.ndjson", tmp_path / "b.json"
    first.write_bytes(ndjson(valid_event("OptInEvent"), bad_update()))
    second.write_bytes(orjson.dumps([valid_event("WinEvent"), bad_update()], option=orjson.OPT_INDENT_2))
    code, out, _ = run(capsys, str(first), str(second))
    assert code == 1
    assert out.splitlines() == [
        f'{first}:2: pots[1].is_progressive: expected boolean, got string "no" [type]',
        f'{second}:{_line_of(second, 1)}: pots[1].is_progressive: expected boolean, got string "no" [type]',
        "checked 4 events: 2 valid, 2 invalid, 0 unparseable",
    ]


def _line_of(path: Path, index: int) -> int:
    """The line where the array element ``index`` of a pretty-printed document starts."""
    lines = path.read_text().splitlines()
    starts = [n for n, line in enumerate(lines, 1) if line.startswith("  {")]
    return starts[index]


def test_a_pretty_printed_event_is_one_document_reported_at_its_first_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "event.json"
    path.write_text("\n\n" + json.dumps(bad_update(), indent=4))
    _, out, _ = run(capsys, str(path))
    assert out.splitlines() == [
        f"{path}:1: <event>: blank line: NDJSON holds one event per line [json]",
        f"{path}:2: <event>: blank line: NDJSON holds one event per line [json]",
        f'{path}:3: pots[1].is_progressive: expected boolean, got string "no" [type]',
        "checked 3 events: 0 valid, 1 invalid, 2 unparseable",
    ]


def test_an_array_document_reports_each_event_at_the_line_it_starts_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.json"
    text = (
        "[\n"
        f"  {json.dumps(valid_event('OptInEvent'))},\n"
        f"  {json.dumps(bad_update(), indent=2)},\n"
        '  {"instance_id": "x", "failed_payouts": [], "note": "tricky ]}[{,\\" text"}, '
        + json.dumps({**valid_event("OptInEvent"), "opted_in": "yes"})
        + "\n]\n"
    )
    path.write_text(text)
    start_of_fourth = text.splitlines().index(next(line for line in text.splitlines() if "tricky" in line)) + 1
    _, out, _ = run(capsys, "--format", "json", str(path))
    rows = json.loads(out)["violations"]
    assert [(r["line"], r["pointer"]) for r in rows] == [(3, "/pots/1/is_progressive"), (start_of_fourth, "/opted_in")]
    assert json.loads(out)["checked"] == 4


def test_a_one_line_array_counts_each_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.json"
    path.write_bytes(orjson.dumps([valid_event("OptInEvent"), bad_update(), valid_event("WinEvent")]))
    assert run(capsys, str(path))[:2] == (
        1,
        f'{path}:1: pots[1].is_progressive: expected boolean, got string "no" [type]\n'
        "checked 3 events: 2 valid, 1 invalid, 0 unparseable\n",
    )


def test_empty_input_checks_nothing_and_passes(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stdin(b"")
    assert run(capsys) == (0, "checked 0 events: 0 valid, 0 invalid, 0 unparseable\n", "")
    stdin(b"[]")
    assert run(capsys)[:2] == (0, "checked 0 events: 0 valid, 0 invalid, 0 unparseable\n")


def test_a_progress_line_only_on_a_terminal(
    stdin: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(ndjson(valid_event("OptInEvent"), valid_event("WinEvent")))
    assert run(capsys)[2] == ""
    stdin(ndjson(valid_event("OptInEvent"), valid_event("WinEvent")))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys)
    assert (code, out, err) == (0, "checked 2 events: 2 valid, 0 invalid, 0 unparseable\n", "\rvalidated 2 events\n")


# Exit code 2: usage and I/O errors, one line, no traceback.


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--type", "Win"],
            "thrillpots: error: --type: unknown event type 'Win': use one of JackpotUpdateEvent, WinEvent, "
            "RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, RafflePayoutErrorEvent. Or use auto.\n",
        ),
        (["missing.ndjson"], "thrillpots: error: cannot read missing.ndjson: No such file or directory\n"),
        ([".", "-"], "thrillpots: error: cannot read .: it is a directory; pass the files in it\n"),
        (
            ["--format", "xml"],
            "thrillpots: error: argument --format: invalid choice: 'xml' (choose from text, json) "
            "(see 'thrillpots validate --help')\n",
        ),
        (["--bogus"], "thrillpots: error: unrecognized arguments: --bogus (see 'thrillpots --help')\n"),
    ],
    ids=["unknown-type", "missing-file", "directory", "bad-format", "bad-option"],
)
def test_usage_and_io_errors_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err.replace("'text', 'json'", "text, json") == message


def test_an_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "secret.ndjson"
    path.write_bytes(b"{}")
    path.chmod(0)
    assert run(capsys, str(path))[:2] == (2, "")


def test_the_installed_command_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "validate", "--type", "Nope", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


# Bad input never crashes it.

BAD_INPUTS = {
    "invalid-utf8": (b'{"id": "\xff\xfe"}\n', "not valid JSON: the text is not valid UTF-8 (JSON text must be UTF-8)"),
    "truncated": (
        b'{"instance_id": "i", "failed_pay\n',
        "not valid JSON: unexpected control character in string at column 33",
    ),
    "nan": (
        b'{"instance_id": "i", "failed_payouts": [], "x": NaN}\n',
        "not valid JSON: NaN at column 49 is not a JSON number (JSON has no NaN or Infinity)",
    ),
    "infinity": (
        b'{"x": -Infinity}\n',
        "not valid JSON: -Infinity at column 7 is not a JSON number (JSON has no NaN or Infinity)",
    ),
    "deep-nesting": (
        b"[" * 10_000 + b"]" * 10_000 + b"\n",
        "not valid JSON: nested more than 1024 levels deep at column 1026 (the parser's limit; no event nests that deep)",
    ),
    "deep-object": (
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000 + b"\n",
        "not valid JSON: nested more than 1024 levels deep at column 5122 (the parser's limit; no event nests that deep)",
    ),
    "blank-line": (b"   \t\n", "blank line: NDJSON holds one event per line"),
    "garbage": (b"hello world\n", "not valid JSON: unexpected character, expected a JSON value at column 1"),
}


@pytest.mark.parametrize(("data", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_one_unparseable_line_between_good_ones(
    data: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_bytes(ndjson(valid_event("OptInEvent")) + data + ndjson(valid_event("WinEvent")))
    code, out, err = run(capsys, "--format", "json", str(path))
    report = json.loads(out)
    assert (code, err) == (1, "")
    assert (report["checked"], report["valid"], report["unparseable"]) == (3, 2, 1)
    assert report["violations"] == [
        {"path": str(path), "line": 2, "event_type": None, "pointer": "", "rule": "json", "message": message}
    ]


def test_a_byte_order_mark_is_reported_and_the_rest_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.ndjson"
    note = (
        f"{path}:1: <event>: the text starts with a byte order mark (U+FEFF), which JSON text must "
        "not (RFC 8259, 8.1): it was skipped and the rest checked; save the file as UTF-8 without BOM [json]\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + ndjson(valid_event("OptInEvent"), {**valid_event("WinEvent"), "seed": "1"}))
    assert run(capsys, str(path))[:2] == (
        1,
        note
        + f'{path}:2: seed: expected number, got string "1" [type]\n'
        + "checked 2 events: 0 valid, 2 invalid, 0 unparseable\n",
    )
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(valid_event("WinEvent"), indent=2).encode())
    assert run(capsys, str(path))[:2] == (1, note + "checked 1 events: 0 valid, 1 invalid, 0 unparseable\n")
    path.write_bytes(b"\xef\xbb\xbf{cut\n" + ndjson(valid_event("OptInEvent")))
    code, out, _ = run(capsys, str(path))
    assert (code, out.splitlines()[-1]) == (1, "checked 2 events: 1 valid, 0 invalid, 1 unparseable")


def test_a_one_megabyte_string_is_read_and_shown_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.ndjson"
    huge = "x" * 1_000_000
    path.write_bytes(
        ndjson({**valid_event("OptInEvent"), "player_id": huge}, {**valid_event("OptInEvent"), "opted_in": huge})
    )
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out == (
        f'{path}:2: opted_in: expected boolean, got string "{"x" * 40}…" (1000000 characters) [type]\n'
        "checked 2 events: 1 valid, 1 invalid, 0 unparseable\n"
    )


def test_duplicate_keys_are_violations_at_their_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dup.ndjson"
    event = orjson.dumps(valid_event("RafflePayoutErrorEvent")).decode()
    in_item = '[{"instance_id": "i", "failed_payouts": []}, {"instance_id": "j", "failed_payouts": [], "x": 1, "x": 2}]'
    path.write_text(event.replace('"instance_id"', '"instance_id": "first", "instance_id"', 1) + "\n" + in_item + "\n")
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:1: instance_id: duplicate key 'instance_id': JSON parsers disagree on which value wins [json]",
        f"{path}:2: x: duplicate key 'x': JSON parsers disagree on which value wins [json]",
        "checked 3 events: 1 valid, 2 invalid, 0 unparseable",
    ]


def test_a_cut_first_line_does_not_turn_ndjson_into_one_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rotated log starts mid-event: the rest is still streamed line by line."""
    path = tmp_path / "rotated.ndjson"
    path.write_bytes(b'{"player_id": "p-1", "opted_in": tr\n' + ndjson(valid_event("OptInEvent"), bad_update()))
    _, out, _ = run(capsys, str(path))
    assert out.splitlines() == [
        f"{path}:1: <event>: not valid JSON: invalid literal, expected 'true' at column 34 [json]",
        f'{path}:3: pots[1].is_progressive: expected boolean, got string "no" [type]',
        "checked 3 events: 1 valid, 1 invalid, 1 unparseable",
    ]


def test_a_document_that_does_not_parse_is_reported_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"instance_id": "i",\n  "failed_payouts": []\n')
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out.splitlines()[-1] == "checked 3 events: 0 valid, 0 invalid, 3 unparseable"
    assert [line.split(":")[1] for line in out.splitlines()[:-1]] == ["1", "2", "3"]


# Every event is accounted for, in constant memory.


@pytest.fixture(scope="module")
def big_capture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """About 100 MB of NDJSON: WinEvents, every tenth one invalid."""
    path = tmp_path_factory.mktemp("big") / "capture.ndjson"
    good = orjson.dumps(valid_event("WinEvent")) + b"\n"
    bad = orjson.dumps({**valid_event("WinEvent"), "seed": "not a number"}) + b"\n"
    block = good * 9 + bad
    blocks = 100_000_000 // len(block)
    with path.open("wb") as out:
        for _ in range(blocks):
            out.write(block)
    return path, blocks * 10, blocks


MEASURE = textwrap.dedent(
    """
    import contextlib, io, resource, sys
    from pytest_thrillpots.cli import main
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(sys.argv[1:])
    summary = out.getvalue().splitlines()[-1] if "json" not in sys.argv else out.getvalue()[:120]
    print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, summary, sep="|")
    """
)


def _measure(*args: str) -> tuple[int, int, str]:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, "validate", *args], capture_output=True, text=True, check=True
    )
    code, peak_mb, summary = result.stdout.strip().split("|", 2)
    return int(code), int(peak_mb), summary


@pytest.mark.parametrize("output", ["text", "json"])
def test_memory_stays_flat_on_a_100_mb_capture(big_capture: tuple[Path, int, int], tmp_path: Path, output: str) -> None:
    path, events, invalid = big_capture
    small = tmp_path / "small.ndjson"
    small.write_bytes(path.read_bytes()[:100_000].rsplit(b"\n", 1)[0] + b"\n")
    _, baseline_mb, _ = _measure("--format", output, str(small))
    code, peak_mb, summary = _measure("--format", output, str(path))
    assert code == 1
    if output == "text":
        assert summary == f"checked {events} events: {events - invalid} valid, {invalid} invalid, 0 unparseable"
    else:
        assert summary.startswith(
            f'{{\n  "checked": {events},\n  "valid": {events - invalid},\n  "invalid": {invalid},'
        )
    assert path.stat().st_size > 95_000_000
    # The file is 100 MB; streaming keeps the process within a few MB of the small run.
    assert peak_mb - baseline_mb < 30, f"peak {peak_mb} MB vs {baseline_mb} MB for a small file"


# Fuzzing the reader through the command.

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _fuzz(data: bytes, capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> dict[str, Any]:
    path = tmp_path / "fuzz.ndjson"
    path.write_bytes(data)
    code = main(["validate", "--format", "json", *args, str(path)])
    out, err = capsys.readouterr()
    report: dict[str, Any] = json.loads(out)
    assert err == ""
    assert report["valid"] + report["invalid"] + report["unparseable"] == report["checked"]
    assert code == (0 if report["invalid"] == report["unparseable"] == 0 else 1)
    line_count = max(1, data.count(b"\n") + (not data.endswith(b"\n")))
    assert all(1 <= row["line"] <= line_count for row in report["violations"])
    return report


@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_it(data: bytes, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _fuzz(data, capsys, tmp_path)


@FUZZ
@given(values=st.lists(JSON_VALUES.filter(lambda v: not isinstance(v, list)), max_size=6), strict=st.booleans())
def test_ndjson_of_arbitrary_json_counts_one_event_per_line(
    values: list[Any], strict: bool, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = _fuzz(ndjson(*values), capsys, tmp_path, *(["--strict"] if strict else []))
    assert report["checked"] == len(values)
    assert report["unparseable"] == 0


@FUZZ
@given(values=st.lists(JSON_VALUES, max_size=5), indent=st.sampled_from([None, 2, 4]))
def test_an_array_document_of_arbitrary_json_counts_each_element(
    values: list[Any], indent: int | None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = _fuzz(json.dumps(values, indent=indent).encode(), capsys, tmp_path, "--type", "OptInEvent")
    assert report["checked"] == len(values)


@FUZZ
@given(
    events=st.lists(st.sampled_from(EVENT_TYPES), min_size=1, max_size=6),
    indent=st.sampled_from([None, 0, 1, 2, 4]),
    note=st.text(alphabet='[]{},"\\:\n x', max_size=10),
)
def test_array_elements_are_reported_at_the_line_they_start_on(
    events: list[str], indent: int | None, note: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = [{**valid_event(event_type), "last_updated": "late", "note": note} for event_type in events]
    chunks = [json.dumps(item, indent=indent) for item in items]
    text = "[\n" + ",\n".join(chunks) + "\n]"
    starts = []
    line = 2
    for chunk in chunks:
        starts.append(line)
        line += chunk.count("\n") + 1
    report = _fuzz(text.encode(), capsys, tmp_path, "--type", "JackpotUpdateEvent")
    first_line_per_event = sorted({row["line"] for row in report["violations"]})
    assert first_line_per_event == starts

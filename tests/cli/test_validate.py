"""`thrillpots validate`: its exact output, exit codes, inputs, bad input, output errors, memory and fuzzing."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from _validation_samples import legacy_raffle, valid_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES
from pytest_thrillpots.cli import main
from pytest_thrillpots.cli._validate import STDIN_NOTE

ALL_TYPES = (
    "events by type: JackpotUpdateEvent 1, WinEvent 1, RaffleWinEvent 1, OptInEvent 1, "
    "CommunityPayoutErrorEvent 1, RafflePayoutErrorEvent 1\n"
)
NO_TYPES = dict.fromkeys(EVENT_TYPES, 0)


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


def test_all_valid_exits_0_with_the_counts_by_type_and_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.ndjson"
    path.write_bytes(ndjson(*(valid_event(t) for t in EVENT_TYPES)))
    assert run(capsys, str(path)) == (0, ALL_TYPES + "checked 6 events: 6 valid, 0 invalid, 0 unparseable\n", "")


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
        f"{path}:4: <event>: not valid JSON: unexpected end of data at column 15 [json]\n"
        "events by type: JackpotUpdateEvent 1, WinEvent 1, OptInEvent 1\n"
        "checked 4 events: 1 valid, 2 invalid, 1 unparseable\n"
    )
    assert err == ""


def json_report(**fields: Any) -> dict[str, Any]:
    """The JSON document, in its key order, with what a test does not set at its empty value."""
    document: dict[str, Any] = {
        "checked": 0,
        "valid": 0,
        "invalid": 0,
        "unparseable": 0,
        "skipped": 0,
        "by_type": NO_TYPES,
        "unidentified": 0,
        "empty_inputs": [],
        "violations": [],
        "violations_not_shown": 0,
    }
    document.update(fields)
    return document


def test_json_output_is_one_document_with_every_violation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "captured.ndjson"
    path.write_bytes(ndjson(bad_update(), valid_event("OptInEvent")) + b"NaN\n\n")
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert code == 1
    document = json_report(
        checked=3,
        valid=1,
        invalid=1,
        unparseable=1,
        skipped=1,
        by_type={**NO_TYPES, "JackpotUpdateEvent": 1, "OptInEvent": 1},
        violations=[
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
    )
    assert json.loads(out) == document
    # Written piece by piece, the text is still exactly what a JSON library prints.
    assert out.encode() == orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def test_json_output_when_all_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(orjson.dumps(valid_event("WinEvent")))
    code, out, _ = run(capsys, "--format", "json", str(path))
    document = json_report(checked=1, valid=1, by_type={**NO_TYPES, "WinEvent": 1})
    assert (code, out.encode()) == (0, orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")


def test_a_named_type_checks_every_event_as_that_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.ndjson"
    path.write_bytes(ndjson(valid_event("RafflePayoutErrorEvent"), valid_event("CommunityPayoutErrorEvent")))
    assert run(capsys, "--type", "RafflePayoutErrorEvent", str(path))[:2] == (
        0,
        "events by type: RafflePayoutErrorEvent 2\nchecked 2 events: 2 valid, 0 invalid, 0 unparseable\n",
    )
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
    report = json.loads(out)
    rows = report["violations"]
    assert [(r["line"], r["event_type"], r["pointer"], r["rule"]) for r in rows] == [
        (1, None, "", "type"),
        (2, "OptInEvent", "/opted_in", "missing"),
        (3, None, "", "not_object"),
    ]
    assert rows[0]["message"] == (
        "cannot identify the event type: the payload has none of the fields of JackpotUpdateEvent, WinEvent, "
        "RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, RafflePayoutErrorEvent"
    )
    assert rows[2]["message"] == "expected a JSON object (a ThrillPots event), got number 1"
    assert (report["by_type"]["OptInEvent"], report["unidentified"]) == (1, 2)


def test_strict_and_legacy_winner_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "raffle.ndjson"
    path.write_bytes(ndjson(legacy_raffle(), {**valid_event("OptInEvent"), "segment": "vip"}))
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert [line.rsplit("[", 1)[-1] for line in out.splitlines()[:-2]] == ["legacy_tuple]", "legacy_tuple]"]
    assert run(capsys, "--allow-legacy-winners", str(path))[:2] == (
        0,
        "events by type: RaffleWinEvent 1, OptInEvent 1\nchecked 2 events: 2 valid, 0 invalid, 0 unparseable\n",
    )
    code, out, _ = run(capsys, "--allow-legacy-winners", "--strict", str(path))
    assert (code, out.splitlines()[0]) == (
        1,
        f'{path}:2: segment: unknown field, not listed in the OptInEvent spec (strict mode), got string "vip" [unknown_field]',
    )


# Identification: the type that explains the event best, and the same rule as identify().


def test_an_event_that_lost_a_field_is_its_own_type_not_a_smaller_one_it_happens_to_fill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "errors.ndjson"
    community = valid_event("CommunityPayoutErrorEvent")
    del community["gameround_id"]
    path.write_bytes(ndjson(community))
    assert run(capsys, str(path)) == (
        1,
        f"{path}:1: gameround_id: expected string, but the field is missing [missing]\n"
        "events by type: CommunityPayoutErrorEvent 1\n"
        "checked 1 events: 0 valid, 1 invalid, 0 unparseable\n",
        "",
    )


def test_a_tie_between_types_is_a_violation_never_a_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_thrillpots.spec import _identify

    # No two types of the spec tie today; a spec where two do (same size, a shared key) shows it.
    table = (
        {"instance_id": (0, 1), "failed_payouts": (0,), "gameround_id": (1,)},
        (
            ("RafflePayoutErrorEvent", ("instance_id", "failed_payouts")),
            ("OptInEvent", ("instance_id", "gameround_id")),
        ),
    )
    monkeypatch.setattr(_identify, "_table", lambda: table)
    _identify._identification.cache_clear()
    monkeypatch.setattr(_identify, "spec", lambda name: type("Two", (), {"fields": ("a", "b")}))
    try:
        path = tmp_path / "tie.ndjson"
        path.write_bytes(b'{"instance_id": "i"}\n')
        assert run(capsys, str(path))[:2] == (
            1,
            f"{path}:1: <event>: cannot identify the event type: RafflePayoutErrorEvent and OptInEvent fit the "
            "payload equally well (each lists 1 of the payload's keys and lacks 1 of its own fields); name the "
            "type explicitly (event_type=... or --type) [type]\n"
            "events by type: unidentified 1\n"
            "checked 1 events: 0 valid, 1 invalid, 0 unparseable\n",
        )
    finally:
        _identify._identification.cache_clear()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    keys=st.lists(
        st.sampled_from(sorted({f for t in EVENT_TYPES for f in valid_event(t)} | {"extra"})), unique=True, max_size=12
    )
)
def test_the_command_and_identify_choose_the_same_type(
    keys: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pytest_thrillpots import IdentifyError, identify
    from pytest_thrillpots.spec import identification

    values = {k: v for t in EVENT_TYPES for k, v in valid_event(t).items()}
    payload = {k: values.get(k, 1) for k in keys}
    path = tmp_path / "one.ndjson"
    path.write_bytes(ndjson(payload))
    _, out, _ = run(capsys, "--format", "json", str(path))
    report = json.loads(out)
    chosen = [name for name, count in report["by_type"].items() if count]
    found = identification(payload)
    assert chosen == ([found.event_type] if found.event_type else [])
    try:
        assert identify(payload) == found.event_type
    except IdentifyError:
        assert not found.complete


# Inputs: stdin, several files, documents, arrays.


def test_standard_input_is_the_default_and_dash(stdin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stdin(ndjson(valid_event("OptInEvent"), bad_update()))
    assert run(capsys) == (
        1,
        '<stdin>:2: pots[1].is_progressive: expected boolean, got string "no" [type]\n'
        "events by type: JackpotUpdateEvent 1, OptInEvent 1\n"
        "checked 2 events: 1 valid, 1 invalid, 0 unparseable\n",
        "",
    )
    stdin(ndjson(valid_event("OptInEvent")))
    path = tmp_path / "more.ndjson"
    path.write_bytes(ndjson(valid_event("WinEvent")))
    assert run(capsys, str(path), "-")[:2] == (
        0,
        "events by type: WinEvent 1, OptInEvent 1\nchecked 2 events: 2 valid, 0 invalid, 0 unparseable\n",
    )


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def test_standard_input_on_a_terminal_says_it_is_read_and_how_to_end_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal(io.BytesIO(ndjson(valid_event("OptInEvent")))))
    code, out, err = run(capsys)
    assert (code, out.splitlines()[-1]) == (0, "checked 1 events: 1 valid, 0 invalid, 0 unparseable")
    assert err == (
        "thrillpots validate: reading events from standard input; paste NDJSON and end with Ctrl-D "
        "(Ctrl-Z, Enter on Windows), or press Ctrl-C to stop. Pass files to check them instead "
        "(see 'thrillpots validate --help').\n"
    )
    assert err == STDIN_NOTE


def test_several_files_are_counted_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.ndjson", tmp_path / "b.json"
    first.write_bytes(ndjson(valid_event("OptInEvent"), bad_update()))
    second.write_bytes(orjson.dumps([valid_event("WinEvent"), bad_update()], option=orjson.OPT_INDENT_2))
    code, out, _ = run(capsys, str(first), str(second))
    assert code == 1
    assert out.splitlines() == [
        f'{first}:2: pots[1].is_progressive: expected boolean, got string "no" [type]',
        f'{second}:{_line_of(second, 1)}: pots[1].is_progressive: expected boolean, got string "no" [type]',
        "events by type: JackpotUpdateEvent 2, WinEvent 1, OptInEvent 1",
        "checked 4 events: 2 valid, 2 invalid, 0 unparseable",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_NOFILE")
def test_thousands_of_partitions_are_opened_one_at_a_time(tmp_path: Path) -> None:
    import resource

    paths = []
    for index in range(300):
        path = tmp_path / f"part-{index:04d}.ndjson"
        path.write_bytes(ndjson(valid_event("OptInEvent")))
        paths.append(str(path))

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    result = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "validate", *paths],
        capture_output=True,
        text=True,
        preexec_fn=few_files,
    )
    assert (result.returncode, result.stdout.splitlines()[-1], result.stderr) == (
        0,
        "checked 300 events: 300 valid, 0 invalid, 0 unparseable",
        "",
    )


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
    assert run(capsys, str(path))[1].splitlines() == [
        f'{path}:3: pots[1].is_progressive: expected boolean, got string "no" [type]',
        "events by type: JackpotUpdateEvent 1",
        "checked 1 events: 0 valid, 1 invalid, 0 unparseable; 2 blank lines skipped",
    ]


def test_documents_one_after_another_are_each_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As `jq .` writes a stream of events: pretty-printed values, one after another."""
    path = tmp_path / "events.json"
    path.write_text(json.dumps(valid_event("OptInEvent"), indent=2) + "\n" + json.dumps(bad_update(), indent=2) + "\n")
    start = len(json.dumps(valid_event("OptInEvent"), indent=2).splitlines()) + 1
    assert run(capsys, str(path))[1].splitlines() == [
        f'{path}:{start}: pots[1].is_progressive: expected boolean, got string "no" [type]',
        "events by type: JackpotUpdateEvent 1, OptInEvent 1",
        "checked 2 events: 1 valid, 1 invalid, 0 unparseable",
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
        "events by type: JackpotUpdateEvent 1, WinEvent 1, OptInEvent 1\n"
        "checked 3 events: 2 valid, 1 invalid, 0 unparseable\n",
    )


# Every line is accounted for.


def test_an_empty_input_fails_unless_allowed(stdin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty_note = "no events read: an empty capture fails the check (--allow-empty accepts it)"
    stdin(b"")
    assert run(capsys) == (1, f"<stdin>: {empty_note}\nchecked 0 events: 0 valid, 0 invalid, 0 unparseable\n", "")
    stdin(b"\n  \n")
    assert run(capsys)[:2] == (
        1,
        f"<stdin>: {empty_note}\nchecked 0 events: 0 valid, 0 invalid, 0 unparseable; 2 blank lines skipped\n",
    )
    stdin(b"")
    assert run(capsys, "--allow-empty") == (
        0,
        "<stdin>: no events read (accepted: --allow-empty)\nchecked 0 events: 0 valid, 0 invalid, 0 unparseable\n",
        "",
    )
    # Each input counts on its own: one empty capture among good ones fails too.
    good, empty = tmp_path / "good.ndjson", tmp_path / "empty.ndjson"
    good.write_bytes(ndjson(valid_event("OptInEvent")))
    empty.write_bytes(b"")
    code, out, _ = run(capsys, "--format", "json", str(good), str(empty))
    assert code == 1
    assert json.loads(out)["empty_inputs"] == [str(empty)]


def test_an_empty_array_line_is_reported_not_dropped(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stdin(b"[]\n" + ndjson(valid_event("OptInEvent")))
    assert run(capsys)[:2] == (
        1,
        "<stdin>:1: <event>: expected a JSON object (a ThrillPots event), got empty array [not_object]\n"
        "events by type: OptInEvent 1, unidentified 1\n"
        "checked 2 events: 1 valid, 1 invalid, 0 unparseable\n",
    )
    stdin(b"[\n]\n")
    assert run(capsys)[1].splitlines()[0] == (
        "<stdin>:1: <event>: expected a JSON object (a ThrillPots event), got empty array [not_object]"
    )


def test_a_file_that_is_only_a_byte_order_mark_is_reported(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stdin(b"\xef\xbb\xbf")
    assert run(capsys)[:2] == (
        1,
        "<stdin>:1: <event>: the line holds only a byte order mark (U+FEFF), no event; save the file as UTF-8 "
        "without BOM [json]\n"
        "checked 1 events: 0 valid, 0 invalid, 1 unparseable\n",
    )
    stdin(b"\xef\xbb\xbf\r\n" + ndjson(valid_event("OptInEvent")))
    assert run(capsys)[1].splitlines()[-1] == "checked 2 events: 1 valid, 0 invalid, 1 unparseable"


def test_a_bare_carriage_return_inside_a_line_is_whitespace_not_a_line_break(
    stdin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    event = orjson.dumps(valid_event("OptInEvent"))
    spaced = event.replace(b',"', b',\r"')  # JSON allows CR between tokens
    stdin(spaced + b"\n" + event + b"\r\n" + spaced + b"\n")
    assert run(capsys)[:2] == (0, "events by type: OptInEvent 3\nchecked 3 events: 3 valid, 0 invalid, 0 unparseable\n")
    # In a document that is not NDJSON either.
    stdin(b"[\n  " + spaced + b"\r\n]\n")
    assert run(capsys)[:2] == (0, "events by type: OptInEvent 1\nchecked 1 events: 1 valid, 0 invalid, 0 unparseable\n")


def test_blank_lines_are_skipped_and_counted(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stdin(b"\n" + ndjson(valid_event("OptInEvent")) + b" \t\r\n" + ndjson(valid_event("OptInEvent")) + b"\n")
    assert run(capsys) == (
        0,
        "events by type: OptInEvent 2\nchecked 2 events: 2 valid, 0 invalid, 0 unparseable; 3 blank lines skipped\n",
        "",
    )


@pytest.mark.parametrize("event_type", [None, "OptInEvent"])
@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (orjson.dumps(orjson.dumps(valid_event("OptInEvent")).decode()), "string "),
        (b'"x"', 'string "x"'),
        (b"12", "number 12"),
        (b"false", "boolean false"),
        (b"null", "null"),
    ],
    ids=["string-holding-an-event", "string", "number", "boolean", "null"],
)
def test_a_line_that_is_not_an_object_is_not_object_in_every_mode(
    line: bytes, shown: str, event_type: str | None, stdin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A parsed value is never parsed again: a JSON string holding an event is a string, not an event."""
    stdin(line + b"\n")
    code, out, _ = run(capsys, *(["--type", event_type] if event_type else []))
    first = out.splitlines()[0]
    assert code == 1
    assert first.startswith(f"<stdin>:1: <event>: expected a JSON object (a {event_type or 'ThrillPots event'}), got ")
    assert shown in first and first.endswith(" [not_object]")
    assert out.splitlines()[-1] == "checked 1 events: 0 valid, 1 invalid, 0 unparseable"


@pytest.mark.parametrize("mode", [[], ["--strict"]])
def test_a_key_of_unicode_digits_is_a_key_not_an_index(
    mode: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "digits.ndjson"
    event = valid_event("WinEvent")
    event["currency_multipliers"]["multipliers"]["¹"] = "x"
    path.write_bytes(ndjson({**valid_event("OptInEvent"), "²": 1}, event))
    code, out, _ = run(capsys, *mode, str(path))
    strict_line = (
        [
            f'{path}:1: ["²"]: unknown field, not listed in the OptInEvent spec (strict mode), got number 1 [unknown_field]'
        ]
        if mode
        else []
    )
    assert (code, out.splitlines()) == (
        1,
        [
            *strict_line,
            f'{path}:2: currency_multipliers.multipliers["¹"]: expected number, got string "x" [type]',
            "events by type: WinEvent 1, OptInEvent 1",
            f"checked 2 events: {0 if mode else 1} valid, {2 if mode else 1} invalid, 0 unparseable",
        ],
    )
    code, out, _ = run(capsys, *mode, "--format", "json", str(path))
    assert json.loads(out)["violations"][-1]["pointer"] == "/currency_multipliers/multipliers/¹"


# --max-violations: fewer lines, the same counts.


def test_max_violations_caps_what_is_shown_and_keeps_the_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_bytes(ndjson(*[bad_update()] * 3, {"kind": "x"}) + b"{\n")
    assert run(capsys, "--max-violations", "2", str(path))[:2] == (
        1,
        f'{path}:1: pots[1].is_progressive: expected boolean, got string "no" [type]\n'
        f'{path}:2: pots[1].is_progressive: expected boolean, got string "no" [type]\n'
        "... 3 more violations not shown (--max-violations 2)\n"
        "events by type: JackpotUpdateEvent 3, unidentified 1\n"
        "checked 5 events: 0 valid, 4 invalid, 1 unparseable\n",
    )
    code, out, _ = run(capsys, "--max-violations", "0", "--format", "json", str(path))
    report = json.loads(out)
    assert (code, report["violations"], report["violations_not_shown"], report["invalid"]) == (1, [], 5, 4)
    code, _, err = run(capsys, "--max-violations", "-1", str(path))
    assert (code, err) == (
        2,
        "thrillpots: error: argument --max-violations: takes a number >= 0, not '-1' "
        "(see 'thrillpots validate --help')\n",
    )


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
        (
            ["--jobs", "0"],
            "thrillpots: error: argument --jobs: takes a number of processes >= 1 or auto, not '0' "
            "(see 'thrillpots validate --help')\n",
        ),
    ],
    ids=["unknown-type", "missing-file", "directory", "bad-format", "bad-option", "bad-jobs"],
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


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc/self/mem")
def test_a_read_error_names_the_input(capsys: pytest.CaptureFixture[str]) -> None:
    # Reading /proc/self/mem from offset 0 fails with EIO: an input that breaks while it is read.
    assert run(capsys, "/proc/self/mem") == (
        2,
        "",
        "thrillpots: error: cannot read /proc/self/mem: Input/output error\n",
    )


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


# Output that fails: a closed pipe, a full disk.

THRILLPOTS = [sys.executable, "-m", "pytest_thrillpots"]


@pytest.fixture(scope="module")
def all_invalid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough invalid events for their violations to overflow any pipe buffer."""
    path = tmp_path_factory.mktemp("invalid") / "invalid.ndjson"
    path.write_bytes(ndjson({"instance_id": "i", "failed_payouts": "x"}) * 20_000)
    return path


def _read_one_line_then_close(*args: str) -> tuple[int, bytes, bytes]:
    process = subprocess.Popen([*THRILLPOTS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    return process.wait(timeout=60), first, err


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_closed_pipe_ends_the_run_quietly_and_never_says_valid(all_invalid: Path, output: str) -> None:
    code, first, err = _read_one_line_then_close("validate", "--format", output, str(all_invalid))
    assert err == b""
    assert first == (
        f'{all_invalid}:1: failed_payouts: expected array of PayoutRecord objects, got string "x" [type]\n'.encode()
        if output == "text"
        else b"{\n"
    )
    # Text stops at the first write that fails: no verdict (141, as for SIGPIPE). JSON is written
    # at the end, once every event was checked: the verdict stands.
    assert code == (141 if output == "text" else 1)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_full_disk_is_a_write_error_naming_the_output(all_invalid: Path, output: str) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*THRILLPOTS, "validate", "--format", output, str(all_invalid)], stdout=full, stderr=subprocess.PIPE
        )
    assert (result.returncode, result.stderr) == (
        2,
        b"thrillpots: error: cannot write standard output: No space left on device\n",
    )


@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        ("<&-", "cannot read standard input: it is closed; pass the files to check"),
        (">&-", "cannot write standard output: it is closed"),
    ],
    ids=["stdin", "stdout"],
)
def test_a_closed_standard_stream_is_one_line(redirect: str, message: str, all_invalid: Path) -> None:
    command = f"{sys.executable} -m pytest_thrillpots validate {'' if redirect == '<&-' else all_invalid} {redirect}"
    result = subprocess.run(command, shell=True, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (2, f"thrillpots: error: {message}\n")


# On a terminal: the progress line, cleared before output is written.


class _SharedTerminal(io.StringIO):
    """One terminal that both stdout and stderr write to, as in an interactive shell."""

    def isatty(self) -> bool:
        return True


def _on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> _SharedTerminal:
    """Both streams on one fake terminal, a clock that ticks a second per reading, a chunk per line."""
    from pytest_thrillpots.cli import _progress
    from pytest_thrillpots.validation import _reader

    screen = _SharedTerminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setenv("COLUMNS", "100")
    ticks = iter(range(10_000))
    monkeypatch.setattr(_progress, "_clock_now", lambda: float(next(ticks)))
    monkeypatch.setattr(_reader, "CHUNK_SIZE", 1)
    return screen


def test_the_progress_line_is_cleared_before_a_violation_is_printed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "three.ndjson"
    good = b'{"instance_id":"i","failed_payouts":[]}\n'  # 40 bytes
    bad = b'{"instance_id":"i","failed_payouts":"x"}\n'  # 41 bytes
    path.write_bytes(good + bad + good)
    terminal = _on_a_terminal(monkeypatch)  # here, not in a fixture: pytest swaps the streams per phase
    code = main(["validate", str(path)])
    monkeypatch.undo()
    assert code == 1
    clear = "\r\x1b[K"
    assert terminal.getvalue() == (
        "\rvalidated 1 events [#########---------------------]  33%  1 events/s  0:02 left\x1b[K"
        + clear
        + f'{path}:2: failed_payouts: expected array of PayoutRecord objects, got string "x" [type]\n'
        "\rvalidated 2 events [####################----------]  67%  1 events/s  0:01 left\x1b[K"
        "\rvalidated 3 events [##############################] 100%  1 events/s  0:00 left\x1b[K"
        "\rvalidated 3 events in 0:04 (1 events/s)\x1b[K\n"
        "events by type: RafflePayoutErrorEvent 3\n"
        "checked 3 events: 2 valid, 1 invalid, 0 unparseable\n"
    )


def test_no_progress_line_when_stderr_is_not_a_terminal(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stdin(ndjson(valid_event("OptInEvent"), valid_event("WinEvent")))
    assert run(capsys)[2] == ""


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


def _measure(*args: str, stdin: Path | None = None) -> tuple[int, int, str]:
    with open(stdin, "rb") if stdin else contextlib.nullcontext() as source:
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, "validate", *args],
            capture_output=True,
            text=True,
            check=True,
            stdin=source,
        )
    code, peak_mb, summary = result.stdout.strip().split("|", 2)
    return int(code), int(peak_mb), summary


@pytest.mark.slow
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


@pytest.mark.slow
def test_memory_stays_flat_when_the_first_lines_do_not_parse(
    big_capture: tuple[Path, int, int], tmp_path: Path
) -> None:
    """Two cut lines that open values, then 100 MB of events: still read a bounded piece at a time."""
    path, events, invalid = big_capture
    broken = tmp_path / "broken-start.ndjson"
    with broken.open("wb") as out, path.open("rb") as source:
        out.write(b'{"instance_id": "i", "failed_payouts": [\n{"player_id": "p", "brand_id": [\n')
        while block := source.read(1 << 20):
            out.write(block)
    small = tmp_path / "small.ndjson"
    small.write_bytes(broken.read_bytes()[:100_000].rsplit(b"\n", 1)[0] + b"\n")
    _, baseline_mb, _ = _measure(str(small))
    code, peak_mb, summary = _measure("-", stdin=broken)
    assert code == 1
    # The two cut lines and the first event they swallowed are one unparseable record.
    assert summary == (f"checked {events} events: {events - invalid - 1} valid, {invalid} invalid, 1 unparseable")
    assert peak_mb - baseline_mb < 30, f"peak {peak_mb} MB vs {baseline_mb} MB for a small file"


# Bad input never crashes it.

BAD_INPUTS = {
    "invalid-utf8": (b'{"id": "\xff\xfe"}\n', "not valid JSON: the text is not valid UTF-8 (JSON text must be UTF-8)"),
    "truncated": (b'{"instance_id": "i", "failed_pay\n', "not valid JSON: unexpected end of data at column 33"),
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
    "garbage": (b"hello world\n", "not valid JSON: unexpected character, expected a JSON value at column 1"),
    "two-values": (b'{"a": 1} {"b": 2}\n', "not valid JSON: unexpected content after document at column 10"),
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
        + "events by type: WinEvent 1, OptInEvent 1\n"
        + "checked 2 events: 0 valid, 2 invalid, 0 unparseable\n",
    )
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(valid_event("WinEvent"), indent=2).encode())
    assert run(capsys, str(path))[:2] == (
        1,
        note + "events by type: WinEvent 1\nchecked 1 events: 0 valid, 1 invalid, 0 unparseable\n",
    )
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
        "events by type: OptInEvent 2\n"
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
        "events by type: RafflePayoutErrorEvent 3",
        "checked 3 events: 1 valid, 2 invalid, 0 unparseable",
    ]


def test_a_cut_first_line_does_not_turn_ndjson_into_one_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rotated log starts mid-event: the rest is still streamed line by line."""
    path = tmp_path / "rotated.ndjson"
    path.write_bytes(b'{"player_id": "p-1", "opted_in": tr\n' + ndjson(valid_event("OptInEvent"), bad_update()))
    assert run(capsys, str(path))[1].splitlines() == [
        f"{path}:1: <event>: not valid JSON: unexpected end of data at column 36 [json]",
        f'{path}:3: pots[1].is_progressive: expected boolean, got string "no" [type]',
        "events by type: JackpotUpdateEvent 1, OptInEvent 1",
        "checked 3 events: 1 valid, 1 invalid, 1 unparseable",
    ]


def test_a_document_cut_short_is_reported_where_it_ends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"instance_id": "i",\n  "failed_payouts": []\n')
    assert run(capsys, str(path))[:2] == (
        1,
        f"{path}:3: <event>: not valid JSON: unexpected end of data at column 23 [json]\n"
        "checked 1 events: 0 valid, 0 invalid, 1 unparseable\n",
    )


def test_a_document_that_breaks_off_is_reported_there_and_reading_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    event = json.dumps(valid_event("RafflePayoutErrorEvent"))
    path.write_text(f"[\n  {event},\n  {event}\n  {event}\n]\n")
    assert run(capsys, str(path))[:2] == (
        1,
        f"{path}:4: <event>: not valid JSON: unexpected character, expected ',' or ']' after an array value "
        "at column 3 [json]\n"
        f"{path}:5: <event>: not valid JSON: unexpected character, expected a JSON value at column 1 [json]\n"
        "events by type: RafflePayoutErrorEvent 3\n"
        "checked 5 events: 3 valid, 0 invalid, 2 unparseable\n",
    )


# Fuzzing: whatever the bytes, no traceback, no hang, every line counted, a status that matches.

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)
EVENT_LINES = st.sampled_from([orjson.dumps(valid_event(t)) for t in EVENT_TYPES] + [orjson.dumps(bad_update())])
FRAGMENTS = st.sampled_from(
    [b"", b" ", b"\t", b"\r", b"[", b"]", b"{", b"}", b"[]", b"{}", b",", b":", b'"', b'"a"', b"\xef\xbb\xbf", b"\xff"]
)
LINES = st.one_of(
    EVENT_LINES,
    EVENT_LINES.flatmap(lambda line: st.integers(0, len(line)).map(lambda cut: line[:cut])),  # cut short
    JSON_VALUES.map(orjson.dumps),
    st.lists(FRAGMENTS, max_size=4).map(b"".join),
    st.binary(max_size=20),
)
SHAPES = st.one_of(
    st.binary(max_size=600),
    st.lists(LINES, max_size=12).map(lambda lines: b"\n".join(lines)),
    st.lists(LINES, max_size=12).map(lambda lines: b"".join(line + b"\n" for line in lines)),
    st.lists(JSON_VALUES | EVENT_LINES.map(orjson.loads), max_size=5).map(
        lambda values: json.dumps(values, indent=2).encode()
    ),
    st.tuples(st.lists(EVENT_LINES.map(orjson.loads), min_size=1, max_size=4), st.integers(0, 10**6)).map(
        lambda drawn: json.dumps(drawn[0], indent=2).encode()[: drawn[1] % 2000]
    ),
)
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
THOROUGH = settings(FUZZ, max_examples=1000)


@contextlib.contextmanager
def _no_hang(seconds: int = 20) -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"thrillpots validate did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _fuzz(data: bytes, capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> dict[str, Any]:
    path = tmp_path / "fuzz.ndjson"
    path.write_bytes(data)
    with _no_hang():
        code = main(["validate", "--format", "json", *args, str(path)])
    out, err = capsys.readouterr()
    report: dict[str, Any] = json.loads(out)
    assert err == ""
    assert report["valid"] + report["invalid"] + report["unparseable"] == report["checked"]
    assert sum(report["by_type"].values()) + report["unidentified"] + report["unparseable"] == report["checked"]
    assert len(report["violations"]) >= report["invalid"] + report["unparseable"]
    assert code == (0 if report["invalid"] == report["unparseable"] == 0 and report["checked"] else 1)
    lines = data.split(b"\n")
    nonblank = [line for line in lines if line.strip(b" \t\r\n")]
    if nonblank:
        assert report["checked"] >= 1, "lines were read and nothing was reported"
    if all(_stands_alone(line) for line in nonblank):
        assert (report["checked"], report["skipped"]) == _ndjson_counts(data)
    assert all(1 <= row["line"] <= len(lines) for row in report["violations"])
    return report


def _stands_alone(line: bytes) -> bool:
    """A line the reader takes on its own whatever comes next: it parses, or cannot open a document."""
    line = line.removeprefix(b"\xef\xbb\xbf")
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return line.strip(b" \t\r\n")[:1] not in (b"[", b"{")
    return True


def _ndjson_counts(data: bytes) -> tuple[int, int]:
    """What NDJSON counts: a record per line (an array's items each), blank lines skipped."""
    checked = skipped = 0
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines):
        if number == 0 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
            if not line.strip(b" \t\r\n"):
                checked += 1
                continue
        if not line.strip(b" \t\r\n"):
            skipped += 1
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            checked += 1
            continue
        checked += len(value) if isinstance(value, list) and value else 1
    return checked, skipped


def _any_shape(
    data: bytes, strict: bool, named: str | None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _fuzz(data, capsys, tmp_path, *(["--strict"] if strict else []), *(["--type", named] if named else []))


@FUZZ
@given(data=SHAPES, strict=st.booleans(), named=st.sampled_from([None, "OptInEvent"]))
def test_any_bytes_any_shape_no_traceback_no_hang_every_line_counted(
    data: bytes, strict: bool, named: str | None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _any_shape(data, strict, named, capsys, tmp_path)


@pytest.mark.slow
@THOROUGH
@given(data=SHAPES, strict=st.booleans(), named=st.sampled_from([None, "OptInEvent"]))
def test_any_bytes_any_shape_thoroughly(
    data: bytes, strict: bool, named: str | None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _any_shape(data, strict, named, capsys, tmp_path)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINES, min_size=1, max_size=8), copies=st.integers(1000, 20_000))
def test_large_inputs_are_counted_the_same(
    lines: list[bytes], copies: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    block = b"".join(line + b"\n" for line in lines)
    data = block * copies
    report = _fuzz(data, capsys, tmp_path)
    if all(_stands_alone(line) for line in lines):
        one = _ndjson_counts(block)
        assert (report["checked"], report["skipped"]) == (one[0] * copies, one[1] * copies)


@FUZZ
@given(values=st.lists(JSON_VALUES.filter(lambda v: not isinstance(v, list)), min_size=1, max_size=6))
def test_ndjson_of_arbitrary_json_counts_one_event_per_line(
    values: list[Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = _fuzz(ndjson(*values), capsys, tmp_path, "--strict")
    assert report["checked"] == len(values)
    assert report["unparseable"] == 0


@FUZZ
@given(values=st.lists(JSON_VALUES, max_size=5), indent=st.sampled_from([None, 2, 4]))
def test_an_array_document_of_arbitrary_json_counts_each_element(
    values: list[Any], indent: int | None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = _fuzz(json.dumps(values, indent=indent).encode(), capsys, tmp_path, "--type", "OptInEvent")
    assert report["checked"] == max(len(values), 1)  # an empty array is a record of its own
    assert report["unparseable"] == 0


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


@FUZZ
@given(
    events=st.lists(st.sampled_from(EVENT_TYPES), min_size=1, max_size=4),
    indent=st.sampled_from([1, 2, 4]),
    cut=st.integers(min_value=1),
)
def test_a_document_cut_anywhere_before_its_end_is_never_all_valid(
    events: list[str], indent: int, cut: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = json.dumps([valid_event(t) for t in events], indent=indent).encode()
    data = text[: cut % (len(text) - 1) + 1] if len(text) > 1 else text
    report = _fuzz(data, capsys, tmp_path)
    if data.rstrip() != text:
        assert report["unparseable"] >= 1, "a document cut short was reported as complete"


def test_validate_starts_without_what_it_does_not_use(tmp_path: Path) -> None:
    """Start-up is a fifth of the time 100,000 events take: the command loads only what checking them needs."""
    capture = tmp_path / "events.ndjson"
    capture.write_bytes(orjson.dumps(valid_event("WinEvent")) + b"\n")
    script = (
        "import sys\nfrom pytest_thrillpots.cli import main\n"
        f"code = main(['validate', {str(capture)!r}])\n"
        "print(code, *sorted(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    code, *loaded = result.stderr.split()
    assert code == "0"
    unwanted = {
        "jsonschema_rs",  # the engine: legacy winners only
        "faker",
        "deepdiff",
        "pytest",
        "pact",
        "tempfile",
        "difflib",
        "pytest_thrillpots.cli._diff",
        "pytest_thrillpots.cli._export",
        "pytest_thrillpots.cli._sample",
        "pytest_thrillpots.cli._check_pacts",
        "pytest_thrillpots.factories",
        "pytest_thrillpots.evolution",
        "pytest_thrillpots.export",
    }
    assert sorted(unwanted & set(loaded)) == []

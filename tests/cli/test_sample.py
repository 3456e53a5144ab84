"""`thrillpots sample`: valid events, the same bytes for the same seed, clear usage errors."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from pytest_thrillpots import EVENT_TYPES, WinEventFactory, identify, validate
from pytest_thrillpots.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "contracts" / "examples" / "events.ndjson"
EXAMPLES_COMMAND = ["sample", "--all", "--coverage", "-n", "2", "--seed", "2026"]
"""How contracts/examples/events.ndjson is made (the README's main command validates it)."""


def _run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def test_one_event_is_pretty_json(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = _run(capsysbinary, "sample", "WinEvent", "--seed", "42")
    assert (code, err) == (0, "")
    assert out == orjson.dumps(WinEventFactory.seeded(42).build(), option=orjson.OPT_INDENT_2) + b"\n"


def test_several_events_are_ndjson_and_each_line_validates(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = _run(capsysbinary, "sample", "OptInEvent", "-n", "5", "--seed", "1")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    assert all(validate(line, "OptInEvent", strict=True, semantic=True) == [] for line in lines)


def test_the_same_seed_gives_the_same_bytes(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    first = _run(capsysbinary, "sample", "--all", "-n", "3", "--seed", "8")[1]
    assert _run(capsysbinary, "sample", "--all", "-n", "3", "--seed", "8")[1] == first
    assert _run(capsysbinary, "sample", "--all", "-n", "3", "--seed", "9")[1] != first


def test_all_writes_every_event_type_in_the_specs_order(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    _, out, _ = _run(capsysbinary, "sample", "--all", "-n", "2", "--seed", "3")
    assert [identify(orjson.loads(line)) for line in out.splitlines()] == [t for t in EVENT_TYPES for _ in range(2)]


def test_without_a_seed_the_seed_is_random_and_reported(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = _run(capsysbinary, "sample", "WinEvent")
    assert code == 0
    seed = int(err.split()[2])
    assert err == f"thrillpots: seed {seed} (pass --seed {seed} for the same events)\n"
    assert _run(capsysbinary, "sample", "WinEvent", "--seed", str(seed))[1] == out


def test_formats(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    one_line = _run(capsysbinary, "sample", "WinEvent", "--seed", "1", "--format", "ndjson")[1]
    assert one_line == orjson.dumps(WinEventFactory.seeded(1).build()) + b"\n"
    array = _run(capsysbinary, "sample", "WinEvent", "-n", "2", "--seed", "1", "--format", "json")[1]
    assert orjson.loads(array) == WinEventFactory.seeded(1).batch(2)
    assert array.startswith(b"[\n  {\n    \"brand_id\"")
    assert _run(capsysbinary, "sample", "WinEvent", "-n", "0", "--format", "json", "--seed", "1")[1] == b"[]\n"


def test_traits_and_sets(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = _run(
        capsysbinary, "sample", "WinEvent", "--seed", "1", "--trait", "withheld", "--trait", "community:n=2",
        "--set", "community_winners[1].win_amount=10", "--set", "currency_multipliers.base_currency=GBP",
        "--set", "metadata__round_id=\"r-1\"",
    )
    event = orjson.loads(out)
    assert code == 0
    assert event == WinEventFactory.seeded(1).trait("withheld").trait("community", n=2).build(
        community_winners__1__win_amount=10, currency_multipliers__base_currency="GBP", metadata__round_id="r-1"
    )
    assert event["win_withheld"] and event["community_winners"][1]["win_amount"] == 10


def test_a_trait_with_all_applies_where_the_type_has_it(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    _, out, _ = _run(capsysbinary, "sample", "--all", "--trait", "withheld", "--seed", "2")
    events = [orjson.loads(line) for line in out.splitlines()]
    assert [e["win_withheld"] for e in events if "win_withheld" in e] == [True, True]


def test_legacy_winners_validate_with_legacy_allowed(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = _run(capsysbinary, "sample", "RaffleWinEvent", "--trait", "legacy_winners", "--seed", "2")
    assert code == 0
    assert validate(out, "RaffleWinEvent", allow_legacy_winners=True, strict=True) == []
    assert isinstance(orjson.loads(out)["winners"][0], list)


def test_coverage_events_come_first(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    _, out, _ = _run(capsysbinary, "sample", "WinEvent", "--coverage", "-n", "1", "--seed", "4")
    events = [orjson.loads(line) for line in out.splitlines()]
    assert events == [*WinEventFactory.seeded(4).coverage(), WinEventFactory.seeded(4).build()]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["WinEvnt"], "no factory for 'WinEvnt': use one of JackpotUpdateEvent, WinEvent, RaffleWinEvent, "
         "OptInEvent, CommunityPayoutErrorEvent, RafflePayoutErrorEvent (events) or PotTicker, CurrencyValue, "
         "PayoutRecord, CurrencyMultipliers (structures). Did you mean 'WinEvent' or 'RaffleWinEvent'?"),
        ([], "name an EVENT (JackpotUpdateEvent, WinEvent, RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, "
         "RafflePayoutErrorEvent, PotTicker, CurrencyValue, PayoutRecord, CurrencyMultipliers) or use --all"),
        (["WinEvent", "--all"], "name an EVENT or use --all, not both (got 'WinEvent' and --all)"),
        (["WinEvent", "--trait", "witheld"], "--trait witheld: WinEvent has no trait 'witheld'. Did you mean "
         "'withheld' or 'with_metadata'? Its traits: withheld, with_metadata, without_metadata, community(n=3)."),
        (["WinEvent", "--trait", "community:n"], "--trait community:n: write parameters as NAME:KEY=NUMBER, e.g. community:n=5"),
        (["--all", "--trait", "raffle", "--trait", "nope"], "--trait nope: no event type here has it (traits: "
         "JackpotUpdateEvent: raffle, open_ended, not_started, ended; WinEvent: withheld, with_metadata, "
         "without_metadata, community(n=3); RaffleWinEvent: withheld, no_winners, winners(n=3), legacy_winners; "
         "OptInEvent: opted_out, no_contributions; CommunityPayoutErrorEvent: failures(n=1); "
         "RafflePayoutErrorEvent: failures(n=1))"),
        (["WinEvent", "--set", "timestamp=soon"], "--set makes the WinEvent invalid: timestamp: expected number, "
         'got string "soon" [type]'),
        (["WinEvent", "--set", "timestamp"], "--set timestamp: write it as PATH=JSON, e.g. jackpot_currency='\"GBP\"' or seed=7"),
        (["--all", "--set", "nope=1"], "--set nope: no event type here has that field (JackpotUpdateEvent has no field "
         "'nope' (nope is not in the spec). Fields you can set:"),
        (["WinEvent", "--seed", "x"], "--seed: a seed is a whole number or 'random', not 'x'"),
        (["WinEvent", "-n", "-1"], "--count takes a number of events >= 0, not -1"),
        (["WinEvent", "--count", "-2"], "--count takes a number of events >= 0, not -2"),
        (["WinEvent", "--coverage", "--trait", "withheld"],
         "--coverage events take every branch on their own; use them without --trait and --set"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsysbinary: pytest.CaptureFixture[bytes], argv: list[str], message: str) -> None:
    code, out, err = _run(capsysbinary, "sample", *argv)
    assert (code, out) == (2, b"")
    assert err.startswith(f"thrillpots: error: {message}")
    assert err.count("\n") == 1


def test_an_unknown_field_names_the_close_matches(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    _, _, err = _run(capsysbinary, "sample", "WinEvent", "--set", "jackpot_nme=x")
    assert err.startswith(
        "thrillpots: error: --set jackpot_nme: WinEvent has no field 'jackpot_nme' (jackpot_nme is not in the spec). "
        "Did you mean 'jackpot_name' or 'jackpot_currency'?"
    )


def test_output_writes_the_file_whole(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    target = tmp_path / "events.ndjson"
    assert _run(capsysbinary, "sample", "--all", "-n", "2", "--seed", "1", "--output", str(target)) == (0, b"", "")
    assert len(target.read_bytes().splitlines()) == 12
    before = target.read_bytes()
    assert _run(capsysbinary, "sample", "WinEvent", "--set", "timestamp=x", "--seed", "1", "-o", str(target))[0] == 2
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["events.ndjson"]
    code, _, err = _run(capsysbinary, "sample", "WinEvent", "-o", str(tmp_path / "missing" / "x.json"))
    assert code == 2 and err.startswith("thrillpots: error: --output ")


def test_the_console_script_pipes_and_exits_cleanly() -> None:
    bindir = Path(sys.executable).parent
    produced = subprocess.run(
        [str(bindir / "thrillpots"), "sample", "--all", "-n", "300", "--seed", "5"], capture_output=True, check=True
    )
    assert produced.stderr == b""  # no progress line: stderr is not a terminal
    checked = subprocess.run(
        [str(bindir / "thrillpots"), "validate", "--strict"], input=produced.stdout, capture_output=True
    )
    assert checked.stdout.decode().splitlines()[-1] == "checked 1800 events: 1800 valid, 0 invalid, 0 unparseable"
    failed = subprocess.run([str(bindir / "thrillpots"), "sample", "Nope"], capture_output=True, text=True)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr


def test_the_shipped_examples_are_up_to_date(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    regenerated = tmp_path / "events.ndjson"
    assert _run(capsysbinary, *EXAMPLES_COMMAND, "--output", str(regenerated))[0] == 0
    assert regenerated.read_bytes() == EXAMPLES.read_bytes(), (
        "contracts/examples/events.ndjson is out of date; regenerate it with: "
        f"thrillpots {' '.join(EXAMPLES_COMMAND)} --output contracts/examples/events.ndjson"
    )
    lines = EXAMPLES.read_bytes().splitlines()
    assert {identify(orjson.loads(line)) for line in lines} == set(EVENT_TYPES)
    assert all(validate(line, identify(orjson.loads(line)), strict=True, semantic=True) == [] for line in lines)


def test_a_progress_line_only_for_large_runs_on_a_terminal(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_thrillpots.cli import _progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")
    ticks = iter(range(100_000))
    monkeypatch.setattr(_progress, "_clock_now", lambda: float(next(ticks)))
    small = _run(capsysbinary, "sample", "OptInEvent", "-n", "100", "--seed", "1")
    assert small[0] == 0 and small[2] == ""
    code, out, err = _run(capsysbinary, "sample", "OptInEvent", "-n", "3000", "--seed", "1", "-o", "/dev/null")
    assert (code, out) == (0, b"")
    assert err == ""  # fewer than PROGRESS_FROM events
    code, out, err = _run(capsysbinary, "sample", "OptInEvent", "--count", "10000", "--seed", "1")
    assert code == 0 and len(out.splitlines()) == 10_000
    steps = [
        f"\rgenerated {n * 1000} events [{'#' * (3 * n)}{'-' * (30 - 3 * n)}] {n * 10:3d}%  1.0k events/s"
        f"  {_clock(10 - n)} left\x1b[K"
        for n in range(1, 11)
    ]
    assert err == "".join(steps) + "\rgenerated 10000 events in 0:11 (909 events/s)\x1b[K\n"


def _clock(seconds: int) -> str:
    return f"0:{seconds:02d}"


def test_no_progress_line_while_the_events_go_to_the_terminal(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = _run(capsysbinary, "sample", "OptInEvent", "-n", "10000", "--seed", "1")
    assert (code, len(out.splitlines()), err) == (0, 10_000, "")


def test_count_is_n(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert _run(capsysbinary, "sample", "OptInEvent", "--count", "3", "--seed", "1") == _run(
        capsysbinary, "sample", "OptInEvent", "-n", "3", "--seed", "1"
    )
    assert len(_run(capsysbinary, "sample", "OptInEvent", "--count", "3", "--seed", "1")[1].splitlines()) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_output_files_get_the_umask_mode_or_keep_their_own(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    new = tmp_path / "new.ndjson"
    previous = os.umask(0o027)
    try:
        assert _run(capsysbinary, "sample", "OptInEvent", "--seed", "1", "-o", str(new))[0] == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    existing = tmp_path / "existing.ndjson"
    existing.write_bytes(b"old")
    existing.chmod(0o604)
    assert _run(capsysbinary, "sample", "OptInEvent", "--seed", "1", "-o", str(existing))[0] == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o604
    assert existing.read_bytes() != b"old"


def _limited_file_size(limit: int) -> Callable[[], None]:
    import resource

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as Linux applies it")
def test_a_write_that_fails_names_the_file_and_leaves_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "events.ndjson"
    target.write_bytes(b"the old events\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "sample", "--all", "-n", "500", "--seed", "1", "-o", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_limited_file_size(20_000),
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"thrillpots: error: cannot write {target}: File too large\n"
    assert target.read_bytes() == b"the old events\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.ndjson"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_one_line_naming_it() -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "pytest_thrillpots", "sample", "--all", "-n", "50", "--seed", "1"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert (result.returncode, result.stderr) == (
        2,
        "thrillpots: error: cannot write standard output: No space left on device\n",
    )


def test_a_closed_pipe_stops_writing_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest_thrillpots", "sample", "--all", "-n", "5000", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"{")
    process.stdout.close()
    assert (process.wait(timeout=60), process.stderr.read()) == (0, b"")

"""The contract coverage report (``--thrillpots-report``): recorder, table, JSON, xdist."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots import (
    EVENT_TYPES,
    assert_events_equal,
    assert_valid,
    matches_spec,
    validate,
)
from pytest_thrillpots.coverage import _recorder as _coverage
from pytest_thrillpots.coverage._recorder import Recorder, leaf_fields, leaves_below, record_pinned
from pytest_thrillpots.plugin._report import parse_targets, preparse_args
from pytest_thrillpots.spec import field_paths
from pytest_thrillpots.spec._paths import to_human

REPORT_SCHEMA = json.loads(
    Path(_coverage.__file__).with_name("coverage-report.schema.json").read_text(encoding="utf-8")
)

OPT_IN = {
    "instance_id": "i-1",
    "player_id": "p-1",
    "ext_player_id": "x-1",
    "player_brand_id": "b-1",
    "preferred_contribution_value": 0.5,
    "contribution_count": 3,
    "contribution_value": 1.5,
    "opted_in": True,
    "last_updated": 1700000000,
}
PAYOUT_ERROR = {
    "instance_id": "i-1",
    "gameround_id": "g-1",
    "tx_credit_id": "t-1",
    "failed_payouts": [{"player_id": "p-1", "brand_id": "b-1", "currency": "EUR", "win_amount": 10}],
}

# A user's suite: every way of touching the contract, spread over four tests.
SUITE = f"""
from pytest_thrillpots import assert_events_equal, assert_valid, matches_spec, validate
from pytest_thrillpots.coverage._recorder import record_pinned

OPT_IN = {OPT_IN!r}
PAYOUT_ERROR = {PAYOUT_ERROR!r}

def test_opt_in_is_valid():
    assert_valid(OPT_IN, "OptInEvent")

def test_opt_in_matches():
    assert OPT_IN == matches_spec("OptInEvent", player_id="p-1", opted_in=True)

def test_payout_error_round_trip():
    assert_events_equal(dict(PAYOUT_ERROR), PAYOUT_ERROR, ignore=["failed_payouts[*].player_id"])
    assert validate(PAYOUT_ERROR, "CommunityPayoutErrorEvent") == []

def test_a_pact_pins_win_fields():
    record_pinned("WinEvent", ["player_id", "community_winners[0].win_amount"])
"""

TABLE = [
    "*= thrillpots contract coverage =*",
    "event type                 tests  validated  asserted  fields pinned",
    "JackpotUpdateEvent             0          0         0      0/12   0%",
    "WinEvent                       1          0         0      2/23   8%",
    "RaffleWinEvent                 0          0         0      0/17   0%",
    "OptInEvent                     2          2         2       2/9  22%",
    "CommunityPayoutErrorEvent      1          1         1       6/7  85%",
    "RafflePayoutErrorEvent         0          0         0       0/5   0%",
    "total                          4          3         3     10/73  13%",
    "not touched by any test: JackpotUpdateEvent, RaffleWinEvent, RafflePayoutErrorEvent",
]
PINS = [
    "pinned fields, by what pinned them:",
    "  WinEvent (pact): player_id, community_winners[*].win_amount",
    "  OptInEvent (matches_spec): player_id, opted_in",
    "  CommunityPayoutErrorEvent (assert_events_equal): all 7 fields but failed_payouts[*].player_id",
]


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    installed = Recorder()
    monkeypatch.setattr(_coverage, "RECORDER", installed)
    return installed


# ---- leaf fields and pinning -------------------------------------------------------------


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_the_leaves_are_the_field_paths_with_nothing_below_them(event_type: str) -> None:
    paths = field_paths(event_type)
    leaves = [to_human(leaf) for leaf in leaf_fields(event_type)]
    parents = {p for p in paths if any(q.startswith(f"{p}.") or q.startswith(f"{p}[") for q in paths)}
    assert leaves == [p for p in paths if p not in parents]


@pytest.mark.parametrize(
    ("event_type", "path", "leaves"),
    [
        ("OptInEvent", "player_id", {"player_id"}),
        ("JackpotUpdateEvent", "pots[3].id", {"pots[*].id"}),
        ("JackpotUpdateEvent", "pots[*].id", {"pots[*].id"}),
        ("JackpotUpdateEvent", "/pots/0/id", {"pots[*].id"}),
        ("JackpotUpdateEvent", "pots", {"pots[*].id", "pots[*].is_progressive", "pots[*].current_value"}),
        ("JackpotUpdateEvent", "allowed_brands[0]", {"allowed_brands"}),
        (
            "WinEvent",
            "currency_multipliers.multipliers",
            {f"currency_multipliers.multipliers.{c}" for c in ("EUR", "GBP", "ZAR", "NZD", "SEK")},
        ),
        ("WinEvent", "currency_multipliers.multipliers.USD", set()),
        ("WinEvent", "metadata.campaign.id", {"metadata"}),
        ("WinEvent", "no_such_field", set()),
        ("WinEvent", "not a path!", set()),
        ("WinEvent", "", set()),
    ],
)
def test_a_path_pins_the_leaves_below_it(event_type: str, path: str, leaves: set[str]) -> None:
    assert leaves_below(event_type, [path]) == leaves


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_pinning_paths_one_by_one_pins_what_pinning_them_together_does(data: st.DataObject) -> None:
    event_type = data.draw(st.sampled_from(EVENT_TYPES))
    paths = data.draw(st.lists(st.sampled_from(field_paths(event_type)), max_size=6))
    # An index anywhere an array item is meant counts as "*".
    concrete = [p.replace("[*]", f"[{data.draw(st.integers(0, 9))}]") for p in paths]
    together = leaves_below(event_type, concrete)
    assert together == set().union(*(leaves_below(event_type, [p]) for p in paths))
    assert together <= {to_human(leaf) for leaf in leaf_fields(event_type)}


def test_pinning_every_field_path_pins_every_leaf() -> None:
    for event_type in EVENT_TYPES:
        assert leaves_below(event_type, field_paths(event_type)) == {to_human(leaf) for leaf in leaf_fields(event_type)}


# ---- what each helper records --------------------------------------------------------------


def test_validate_counts_the_event_type_validated(recorder: Recorder) -> None:
    validate(OPT_IN, "OptInEvent")
    validate(b"{not json", "OptInEvent")
    assert recorder.tallies["OptInEvent"].validated == 2
    assert recorder.tallies["OptInEvent"].asserted == 0


def test_an_unknown_event_type_is_an_error_and_not_counted(recorder: Recorder) -> None:
    with pytest.raises(Exception, match="unknown event type 'OptIn'"):
        validate(OPT_IN, "OptIn")
    assert sum(t.validated for t in recorder.tallies.values()) == 0


def test_assert_valid_counts_a_failing_assertion_too(recorder: Recorder) -> None:
    with pytest.raises(AssertionError):
        assert_valid({**OPT_IN, "opted_in": "yes"}, "OptInEvent")
    assert (recorder.tallies["OptInEvent"].validated, recorder.tallies["OptInEvent"].asserted) == (1, 1)


def test_matches_spec_pins_its_named_fields(recorder: Recorder) -> None:
    assert matches_spec("OptInEvent", player_id="p-1") == OPT_IN
    assert matches_spec("CommunityPayoutErrorEvent", failed_payouts__0__currency="EUR") == PAYOUT_ERROR
    assert recorder.tallies["OptInEvent"].pinned == {"matches_spec": {"player_id"}}
    assert recorder.tallies["CommunityPayoutErrorEvent"].pinned == {"matches_spec": {"failed_payouts[*].currency"}}


def test_the_failure_report_of_matches_spec_does_not_count_the_event_twice(recorder: Recorder) -> None:
    matcher = matches_spec("OptInEvent", player_id="p-2")
    assert matcher != OPT_IN
    matcher.explain(OPT_IN)
    assert (recorder.tallies["OptInEvent"].validated, recorder.tallies["OptInEvent"].asserted) == (1, 1)


def test_assert_events_equal_pins_every_field_it_does_not_ignore(recorder: Recorder) -> None:
    ignore = (p for p in ["tx_credit_id", "failed_payouts[*].win_amount"])  # a generator is read once
    with pytest.raises(AssertionError, match="events differ at 1 path"):
        assert_events_equal({**PAYOUT_ERROR, "gameround_id": "g-2"}, PAYOUT_ERROR, ignore=ignore)
    tally = recorder.tallies["CommunityPayoutErrorEvent"]
    assert tally.asserted == 1
    assert tally.pinned == {
        "assert_events_equal": {
            "instance_id",
            "gameround_id",
            "failed_payouts[*].player_id",
            "failed_payouts[*].brand_id",
            "failed_payouts[*].currency",
        }
    }


def test_assert_events_equal_on_payloads_of_no_event_type_counts_them_apart(recorder: Recorder) -> None:
    assert_events_equal({"a": 1}, {"a": 1})
    assert recorder.unidentified == 1
    assert recorder.report().to_json()["summary"]["unidentified_comparisons"] == 1


def test_record_pinned_is_the_pact_helpers_entry_point(recorder: Recorder) -> None:
    record_pinned("WinEvent", ["community_winners[*].win_amount", "metadata"])
    assert recorder.tallies["WinEvent"].pinned == {"pact": {"community_winners[*].win_amount", "metadata"}}


def test_the_paths_of_an_example_message_pin_its_fields(recorder: Recorder) -> None:
    example = {
        "player_id": "p-1",
        "metadata": {"campaign": {"id": 7}},
        "community_winners": [{"win_amount": 1.5}, {"win_amount": 2}],
        "games_in_jackpot": [],
        "currency_multipliers": {"multipliers": {"EUR": 1.0, "USD": 1.1}},
    }
    assert sorted(map(to_human, _coverage.payload_paths(example))) == [
        "community_winners[*].win_amount",
        "community_winners[*].win_amount",
        "currency_multipliers.multipliers.EUR",
        "currency_multipliers.multipliers.USD",
        "games_in_jackpot",
        "metadata.campaign.id",
        "player_id",
    ]
    record_pinned("WinEvent", _coverage.payload_paths(example))
    assert recorder.tallies["WinEvent"].pinned == {
        "pact": {
            "player_id",
            "metadata",
            "community_winners[*].win_amount",
            "games_in_jackpot",
            "currency_multipliers.multipliers.EUR",
        }
    }


def test_record_pinned_does_nothing_when_the_report_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_coverage, "RECORDER", None)
    read: list[str] = []

    def paths() -> Iterator[str]:
        read.append("read")
        yield "player_id"

    record_pinned("WinEvent", paths())  # a caller can hand over a generator: it is never run
    assert read == []
    assert _coverage.RECORDER is None


def test_the_factories_checking_their_own_events_is_not_counted(recorder: Recorder) -> None:
    from pytest_thrillpots import WinEventFactory, mutations
    from pytest_thrillpots.factories._hub import ThrillpotsHub

    ThrillpotsHub(7, strict=True).win_event()
    mutants = list(mutations(WinEventFactory.seeded(7).build(), "WinEvent"))
    assert mutants
    assert recorder.tallies["WinEvent"].validated == 0
    validate(mutants[0].payload, "WinEvent")  # a test checking a mutant counts
    assert recorder.tallies["WinEvent"].validated == 1


def test_a_running_test_is_counted_once_per_event_type(recorder: Recorder) -> None:
    recorder.current_test = "tests/test_x.py::test_one"
    validate(OPT_IN, "OptInEvent")
    validate(OPT_IN, "OptInEvent")
    recorder.current_test = None
    validate(OPT_IN, "OptInEvent")  # between tests: counted, but no test to name
    assert recorder.tallies["OptInEvent"].tests == {"tests/test_x.py::test_one"}
    assert recorder.tallies["OptInEvent"].validated == 3


# ---- costs nothing when off ----------------------------------------------------------------


def _functions_called(action: Callable[[], object]) -> set[str]:
    called: set[str] = set()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            called.add(frame.f_code.co_filename)

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return called


def _expect_failure(action: Callable[[], object]) -> Callable[[], object]:
    def run() -> None:
        with contextlib.suppress(AssertionError):
            action()

    return run


HOT_PATHS: dict[str, Callable[[], object]] = {
    "validate": lambda: validate(OPT_IN, "OptInEvent"),
    "validate text": lambda: validate(json.dumps(OPT_IN), "OptInEvent"),
    "assert_valid": lambda: assert_valid(OPT_IN, "OptInEvent"),
    "matches_spec": lambda: matches_spec("OptInEvent", player_id="p-1") == OPT_IN,
    "assert_events_equal": lambda: assert_events_equal(OPT_IN, dict(OPT_IN)),
    "failing assert_events_equal": _expect_failure(lambda: assert_events_equal(OPT_IN, {**OPT_IN, "opted_in": False})),
}


@pytest.mark.parametrize("name", HOT_PATHS)
def test_with_the_report_off_no_code_of_the_recorder_runs(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    action = HOT_PATHS[name]
    action()  # warm caches (compiled validators, lazy imports) so only the call itself is traced
    monkeypatch.setattr(_coverage, "RECORDER", None)
    assert _coverage.__file__ not in _functions_called(action)
    # The probe sees the recorder when it is on, so the assertion above can fail.
    monkeypatch.setattr(_coverage, "RECORDER", Recorder())
    assert _coverage.__file__ in _functions_called(action)


# ---- merging workers' data -----------------------------------------------------------------

_OPERATIONS = st.tuples(
    st.integers(0, 2),  # which worker
    st.sampled_from(["validated", "asserted", "pact", "matches_spec"]),
    st.sampled_from(EVENT_TYPES),
    st.sampled_from(["t::a", "t::b", "t::c", None]),
    st.integers(0, 30),  # which field
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_OPERATIONS, max_size=25))
def test_merged_workers_report_what_one_recorder_would(operations: list[tuple[int, str, str, str | None, int]]) -> None:
    single = Recorder()
    workers = [Recorder(), Recorder(), Recorder()]
    for worker, operation, event_type, test, field_index in operations:
        for target in (single, workers[worker]):
            target.current_test = test
            paths = field_paths(event_type)
            path = paths[field_index % len(paths)]
            if operation == "validated":
                target.count_validated(event_type)
            elif operation == "asserted":
                target.count_asserted(event_type)
            elif operation == "pact":
                target.pin(event_type, [path], "pact")
            else:
                target.match(event_type, [path.split(".")])
    controller = Recorder()
    for worker_recorder in workers:
        # The data crosses a process boundary as JSON-like builtins.
        controller.merge(json.loads(json.dumps(worker_recorder.to_wire())))
    assert controller.report().to_json() == single.report().to_json()


# ---- the JSON and the table ----------------------------------------------------------------


def test_the_report_json_matches_its_schema_and_the_schema_names_every_event_type(recorder: Recorder) -> None:
    assert REPORT_SCHEMA["$defs"]["EventType"]["enum"] == list(EVENT_TYPES)
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)
    empty = Recorder().report().to_json()
    jsonschema.validate(empty, REPORT_SCHEMA)
    assert empty["untouched"] == list(EVENT_TYPES)
    assert matches_spec("OptInEvent", player_id="p-1") == OPT_IN
    record_pinned("WinEvent", ["player_id"])
    jsonschema.validate(recorder.report().to_json(), REPORT_SCHEMA)


def test_verbose_table_lists_the_unpinned_fields_of_touched_events(recorder: Recorder) -> None:
    assert matches_spec("CommunityPayoutErrorEvent", failed_payouts__0__currency="EUR") == PAYOUT_ERROR
    lines = recorder.report().table_lines(verbose=True)
    assert lines[5:7] == [
        "CommunityPayoutErrorEvent      0          1         1       1/7  14%",
        "  not pinned: instance_id, gameround_id, tx_credit_id, failed_payouts[*].player_id, "
        "failed_payouts[*].brand_id, failed_payouts[*].win_amount",
    ]
    assert lines[-2:] == [
        "pinned fields, by what pinned them:",
        "  CommunityPayoutErrorEvent (matches_spec): failed_payouts[*].currency",
    ]


def test_the_table_names_the_pinned_fields_by_what_pinned_them(recorder: Recorder) -> None:
    assert matches_spec("OptInEvent", player_id="p-1") == OPT_IN
    assert_events_equal(OPT_IN, OPT_IN)
    assert_events_equal(PAYOUT_ERROR, PAYOUT_ERROR, ignore=["failed_payouts[*].player_id"])
    record_pinned("WinEvent", ["community_winners[0].win_amount", "player_id", "no_such_field"])
    lines = recorder.report().table_lines()
    assert lines[lines.index("pinned fields, by what pinned them:") :] == [
        "pinned fields, by what pinned them:",
        "  WinEvent (pact): player_id, community_winners[*].win_amount",
        "  OptInEvent (matches_spec): player_id",
        "  OptInEvent (assert_events_equal): all 9 fields",
        "  CommunityPayoutErrorEvent (assert_events_equal): all 7 fields but failed_payouts[*].player_id",
    ]
    assert "pinned fields, by what pinned them:" not in Recorder().report().table_lines()
    every_opt_in_field = ", ".join(to_human(leaf) for leaf in leaf_fields("OptInEvent"))
    assert f"  OptInEvent (assert_events_equal): {every_opt_in_field}" in recorder.report().table_lines(verbose=True)


def test_a_session_that_touches_everything_says_so() -> None:
    recorder = Recorder()
    for event_type in EVENT_TYPES:
        recorder.count_validated(event_type)
    assert recorder.report().table_lines()[-1] == "every event type was touched by a test"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["xml:out.xml"], "--thrillpots-report got 'xml:out.xml': write --thrillpots-report alone"),
        (["json:"], "--thrillpots-report got 'json:'"),
        (["tests/"], "--thrillpots-report got 'tests/': write --thrillpots-report alone"),
    ],
)
def test_a_wrong_report_target_is_a_usage_error_naming_the_fix(values: list[str], message: str) -> None:
    with pytest.raises(pytest.UsageError) as raised:
        parse_targets(values, Path("/somewhere"))
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("args", "parsed"),
    [
        (["--thrillpots-report", "tests/"], ["--thrillpots-report=term", "tests/"]),
        (["--thrillpots-report"], ["--thrillpots-report=term"]),
        (["--thrillpots-report", "json:c.json", "t"], ["--thrillpots-report", "json:c.json", "t"]),
        (["--thrillpots-report", "term"], ["--thrillpots-report", "term"]),
        (["--thrillpots-report=json:c.json", "t"], ["--thrillpots-report=json:c.json", "t"]),
        (["-x", "--", "--thrillpots-report"], ["-x", "--", "--thrillpots-report"]),
    ],
)
def test_a_bare_option_never_takes_the_next_argument_unless_it_is_a_target(args: list[str], parsed: list[str]) -> None:
    preparse_args(args)
    assert args == parsed


def test_report_targets_are_read_from_the_invocation_directory() -> None:
    targets = parse_targets(["term", "json:out/c.json", "json:/abs/c.json"], Path("/work/here"))
    assert targets.terminal
    assert targets.json_paths == (Path("/work/here/out/c.json"), Path("/abs/c.json"))


# ---- as a user meets it: pytester ----------------------------------------------------------


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_contract=SUITE)
    return pytester


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", *args)


@pytest.mark.slow
def test_the_table_in_the_terminal_summary(suite: pytest.Pytester) -> None:
    result = _run(suite, "--thrillpots-report", "test_contract.py")
    assert result.ret == 0
    result.stdout.fnmatch_lines([*TABLE, *PINS, "*4 passed*"], consecutive=True)


@pytest.mark.slow
def test_under_xdist_the_workers_data_is_merged_on_the_controller(suite: pytest.Pytester) -> None:
    result = _run(suite, "-n", "2", "--thrillpots-report", "--thrillpots-report=json:reports/xdist.json")
    assert result.ret == 0
    assert "2 workers [4 items]" in result.stdout.str()
    result.stdout.fnmatch_lines(
        [*TABLE, *PINS, "thrillpots contract coverage written to *xdist.json"], consecutive=True
    )
    single = _run(suite, "-p", "no:xdist", "--thrillpots-report=json:reports/single.json")
    assert single.ret == 0
    merged = json.loads((suite.path / "reports/xdist.json").read_text())
    alone = json.loads((suite.path / "reports/single.json").read_text())
    assert merged == alone


@pytest.mark.slow
def test_the_json_report_for_ci(suite: pytest.Pytester) -> None:
    result = _run(suite, "--thrillpots-report=json:build/coverage.json")
    assert result.ret == 0
    path = suite.path / "build" / "coverage.json"
    result.stdout.fnmatch_lines([f"thrillpots contract coverage written to {path}"])
    assert "event type" not in result.stdout.str()  # JSON only: no table asked for
    report = json.loads(path.read_text())
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["summary"] == {
        "event_types": 6,
        "event_types_touched": 3,
        "fields": 73,
        "fields_pinned": 10,
        "unidentified_comparisons": 0,
    }
    assert report["untouched"] == ["JackpotUpdateEvent", "RaffleWinEvent", "RafflePayoutErrorEvent"]
    assert report["events"]["OptInEvent"] == {
        "tests": 2,
        "test_ids": ["test_contract.py::test_opt_in_is_valid", "test_contract.py::test_opt_in_matches"],
        "validated": 2,
        "asserted": 2,
        "fields": 9,
        "pinned": ["player_id", "opted_in"],
        "not_pinned": [
            "instance_id",
            "ext_player_id",
            "player_brand_id",
            "preferred_contribution_value",
            "contribution_count",
            "contribution_value",
            "last_updated",
        ],
        "pinned_by": {"matches_spec": ["player_id", "opted_in"]},
    }
    assert report["events"]["WinEvent"]["pinned_by"] == {"pact": ["player_id", "community_winners[*].win_amount"]}


@pytest.mark.slow
def test_the_option_in_addopts_before_the_test_paths(suite: pytest.Pytester) -> None:
    suite.makeini("[pytest]\naddopts = --thrillpots-report -p no:randomly\n")
    result = suite.runpytest_subprocess("test_contract.py")
    assert result.ret == 0
    result.stdout.fnmatch_lines(TABLE, consecutive=True)


@pytest.mark.slow
def test_a_pact_expectation_pins_the_fields_the_consumer_reads(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nthrillpots_consumer = bonus_service\n")
    pytester.makepyfile(
        test_bonus_pact="""
        def test_a_win_grants_a_bonus(thrillpots_pact):
            thrillpots_pact.expects(
                "WinEvent", "a jackpot win", fields=["player_id", "community_winners[*].win_amount"], brand_id="b-7"
            )
            thrillpots_pact.verify(lambda event: None)
        """
    )
    result = _run(pytester, "--thrillpots-report=json:coverage.json")
    assert result.ret == 0, result.stdout.str()
    win = json.loads((pytester.path / "coverage.json").read_text())["events"]["WinEvent"]
    assert win["pinned_by"] == {"pact": ["brand_id", "player_id", "community_winners[*].win_amount"]}
    assert win["test_ids"] == ["test_bonus_pact.py::test_a_win_grants_a_bonus"]


@pytest.mark.slow
def test_the_report_is_off_by_default(suite: pytest.Pytester) -> None:
    result = _run(suite)
    assert result.ret == 0
    assert "thrillpots contract coverage" not in result.stdout.str()


@pytest.mark.slow
def test_a_wrong_report_target_stops_pytest_with_the_fix(suite: pytest.Pytester) -> None:
    result = _run(suite, "--thrillpots-report=html:cov")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: --thrillpots-report got 'html:cov': write --thrillpots-report alone for the terminal "
            "table or --thrillpots-report=json:PATH for a JSON file"
        ]
    )


@pytest.mark.slow
def test_a_directory_as_the_json_path_is_a_usage_error(suite: pytest.Pytester) -> None:
    (suite.path / "reports").mkdir()
    result = _run(suite, "--thrillpots-report=json:reports")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: --thrillpots-report=json:reports: */reports is a directory; name the JSON file to write"]
    )


@pytest.mark.slow
def test_a_file_in_the_way_of_the_json_path_stops_pytest_before_the_tests_run(suite: pytest.Pytester) -> None:
    (suite.path / "occupied").write_text("a file, not a folder")
    result = _run(suite, "--thrillpots-report=json:occupied/coverage.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: --thrillpots-report=json:occupied/coverage.json: cannot write */occupied/coverage.json: "
            "*/occupied is a file, not a directory"
        ]
    )
    assert "passed" not in result.stdout.str()


@pytest.mark.slow
def test_a_report_that_cannot_be_written_fails_the_run(suite: pytest.Pytester) -> None:
    # The way is blocked while the tests run, after the check at start-up.
    suite.makepyfile(test_blocks="def test_blocks():\n    open('occupied', 'w').write('a file, not a folder')\n")
    result = _run(suite, "--thrillpots-report=json:occupied/coverage.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(
        [
            "ERROR: thrillpots contract coverage: cannot write */occupied/coverage.json: */occupied is a file, not a directory"
        ]
    )
    assert "written to" not in result.stdout.str()


@pytest.mark.slow
def test_a_failing_test_still_counts(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fails=f"""
        from pytest_thrillpots import matches_spec
        def test_wrong_player():
            assert {OPT_IN!r} == matches_spec("OptInEvent", player_id="p-2")
        """
    )
    result = _run(pytester, "--thrillpots-report")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "*payload does not match*",
            "OptInEvent                     1          1         1       1/9  11%",
        ]
    )


@pytest.fixture
def outer_recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    outer = Recorder()
    monkeypatch.setattr(_coverage, "RECORDER", outer)
    yield outer


@pytest.mark.slow
def test_an_in_process_session_gives_the_outer_recorder_back(suite: pytest.Pytester, outer_recorder: Recorder) -> None:
    result = suite.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "--thrillpots-report")
    assert result.ret == 0
    result.stdout.fnmatch_lines(TABLE, consecutive=True)
    assert _coverage.RECORDER is outer_recorder
    assert outer_recorder.report().untouched == EVENT_TYPES


# ---- a crashed xdist worker -------------------------------------------------------------------


def test_a_report_missing_a_workers_data_says_it_is_incomplete_and_whose_data_is_missing() -> None:
    recorder = Recorder()
    recorder.count_validated("OptInEvent")
    assert recorder.report().to_json()["complete"] is True
    recorder.lose_worker("gw1", ["test_b.py::test_y", "test_a.py::test_x"])
    report = recorder.report()
    assert report.table_lines()[0] == (
        "INCOMPLETE: pytest-xdist worker gw1 crashed and its data is missing; this report lacks the counts of the "
        "2 tests it ran: test_a.py::test_x, test_b.py::test_y"
    )
    document = report.to_json()
    jsonschema.validate(document, REPORT_SCHEMA)
    assert (document["complete"], document["missing"]) == (
        False,
        [{"worker": "gw1", "tests": ["test_a.py::test_x", "test_b.py::test_y"]}],
    )


@pytest.mark.slow
def test_under_xdist_a_crashed_worker_makes_the_report_say_it_is_incomplete(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_crash="import os\nfrom pytest_thrillpots import validate\n\n"
        "def test_crash():\n    validate({}, 'WinEvent')\n    os._exit(1)\n"
    )
    result = _run(suite, "-n", "2", "--thrillpots-report", "--thrillpots-report=json:reports/xdist.json")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*= thrillpots contract coverage =*",
            "INCOMPLETE: pytest-xdist worker gw? crashed and its data is missing; this report lacks the counts of the "
            "* it ran: *test_crash.py::test_crash*",
            "event type                 tests  validated  asserted  fields pinned",
        ],
        consecutive=True,
    )
    report = json.loads((suite.path / "reports/xdist.json").read_text())
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["complete"] is False
    (missing,) = report["missing"]
    assert "test_crash.py::test_crash" in missing["tests"]


@pytest.mark.slow
def test_a_worker_that_crashes_after_its_tests_fails_the_run_whose_report_lacks_it(suite: pytest.Pytester) -> None:
    """Every test passed, so xdist would exit 0 with an incomplete report: the run fails instead."""
    suite.makeconftest(
        "import os\nimport pytest\n\n@pytest.hookimpl(tryfirst=True)\ndef pytest_sessionfinish(session):\n"
        "    if hasattr(session.config, 'workerinput'):\n        os._exit(1)\n"
    )
    result = _run(suite, "-n", "1", "--max-worker-restart", "0", "--thrillpots-report=json:reports/xdist.json")
    result.assert_outcomes(passed=4)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "ERROR: thrillpots contract coverage: pytest-xdist worker gw0 crashed before reporting back, so the "
            "contract coverage report is incomplete: the run fails"
        ]
    )
    assert json.loads((suite.path / "reports/xdist.json").read_text())["complete"] is False

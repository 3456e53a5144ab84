"""The thrillpots_pact fixture as a consumer team meets it: a fresh repo with the plugin installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES, PactDefinitionError
from pytest_thrillpots.pact import ConsumerPact, Interaction, PactRecorder, derive
from pytest_thrillpots.pact._consumer import _handler_failure, read_pact, undeclared_fields
from pytest_thrillpots.spec import field_paths, iter_fields, spec
from pytest_thrillpots.spec._paths import to_human

INI = """
[pytest]
thrillpots_consumer = wallet
"""

WALLET_TEST = """
def test_credits_the_community_winners(thrillpots_pact):
    event = thrillpots_pact.expects(
        "WinEvent",
        "a progressive jackpot win",
        given={"a progressive jackpot win": {"brand_id": "brand-7"}},
        fields=["player_id", "community_winners[*].win_amount"],
        brand_id="brand-7",
    )
    credited = []
    thrillpots_pact.verify(lambda win: credited.extend(w["win_amount"] for w in win["community_winners"]))
    assert credited == [w["win_amount"] for w in event["community_winners"]]


def test_shows_the_pots(thrillpots_pact):
    thrillpots_pact.expects("JackpotUpdateEvent", "a jackpot update", fields=["pots[*].current_value", "timestamp_end"])
    thrillpots_pact.verify(lambda update: [pot["current_value"] for pot in update["pots"]])
"""


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", *args)


def _pact(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.mark.slow
def test_a_consumer_test_writes_a_v4_message_pact(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_wallet=WALLET_TEST)
    result = _run(pytester)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["thrillpots: wrote pact pacts/wallet-thrillpots.json (2 interactions)"])
    pact = _pact(pytester.path / "pacts" / "wallet-thrillpots.json")
    assert pact["consumer"] == {"name": "wallet"} and pact["provider"] == {"name": "thrillpots"}
    assert pact["metadata"]["pactSpecification"] == {"version": "4.0"}
    update, win = pact["interactions"]
    assert [update["description"], win["description"]] == [
        "a jackpot update",
        "a progressive jackpot win",
    ]
    assert win["type"] == "Asynchronous/Messages"
    assert win["providerStates"] == [{"name": "a progressive jackpot win", "params": {"brand_id": "brand-7"}}]
    assert win["metadata"] == {"contentType": "application/json", "event_type": "WinEvent"}
    body = win["contents"]["content"]
    assert set(body) == {"brand_id", "player_id", "community_winners"} and body["brand_id"] == "brand-7"
    assert win["matchingRules"]["body"] == {
        "$.community_winners": {"combine": "AND", "matchers": [{"match": "type", "min": 1}]},
        "$.community_winners[*].win_amount": {"combine": "AND", "matchers": [{"match": "number"}]},
        "$.player_id": {"combine": "AND", "matchers": [{"match": "type"}]},
    }
    assert update["matchingRules"]["body"]["$.timestamp_end"] == {
        "combine": "OR",
        "matchers": [{"match": "number"}, {"match": "null"}],
    }


@pytest.mark.slow
def test_the_pact_is_byte_identical_whatever_the_order_and_the_workers(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_wallet=WALLET_TEST)
    pact = pytester.path / "pacts" / "wallet-thrillpots.json"
    _run(pytester).assert_outcomes(passed=2)
    first = pact.read_bytes()
    pact.unlink()
    _run(pytester, "-p", "randomly", "-p", "xdist", "-n", "2", "--randomly-seed=3").assert_outcomes(passed=2)
    assert pact.read_bytes() == first


@pytest.mark.slow
def test_the_marker_names_the_consumer_and_the_option_the_directory(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        test_crm="""
        import pytest

        pytestmark = pytest.mark.thrillpots(provider="thrillpots-eu")

        @pytest.mark.thrillpots(consumer="crm", seed=7)
        def test_opt_in(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-in", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: event["opted_in"])

        def test_opt_out(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-out", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: event["opted_in"])
        """
    )
    _run(pytester, "--strict-markers", "--thrillpots-pact-dir=out/contracts").assert_outcomes(passed=2)
    # the function's marker names the consumer over the ini option; the module's names the provider of both
    crm = _pact(pytester.path / "out" / "contracts" / "crm-thrillpots-eu.json")
    assert [i["description"] for i in crm["interactions"]] == ["an opt-in"]
    wallet = _pact(pytester.path / "out" / "contracts" / "wallet-thrillpots-eu.json")
    assert [i["description"] for i in wallet["interactions"]] == ["an opt-out"]


@pytest.mark.slow
def test_there_is_one_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_crm="""
        import pytest

        @pytest.mark.thrillpots(consumer="")
        def test_an_empty_name(thrillpots_pact):
            pass

        @pytest.mark.thrillpots_pact(consumer="crm")
        def test_the_old_marker(thrillpots_pact):
            pass
        """
    )
    result = _run(pytester, "--strict-markers")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*'thrillpots_pact' not found in `markers` configuration option*"])
    result = _run(pytester, "-k", "empty")
    result.assert_outcomes(errors=1, deselected=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.thrillpots: consumer must be a service name (a non-empty string), not ''"]
    )


@pytest.mark.slow
def test_the_ini_option_names_the_directory(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI + "thrillpots_pact_dir = contracts/pacts\n")
    pytester.makepyfile(test_wallet=WALLET_TEST)
    _run(pytester).assert_outcomes(passed=2)
    assert (pytester.path / "contracts" / "pacts" / "wallet-thrillpots.json").is_file()


@pytest.mark.slow
def test_no_consumer_name_says_where_to_set_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_wallet=WALLET_TEST)
    result = _run(pytester)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "thrillpots_pact needs the consumer's name: set thrillpots_consumer = <your service> in the "
            "[[]pytest[]] ini options, or mark the test @pytest.mark.thrillpots(consumer='<your service>')"
        ]
    )


@pytest.mark.slow
def test_each_mistake_fails_its_test_saying_how_to_fix_it(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        test_typo="""
        def test_typo(thrillpots_pact):
            thrillpots_pact.expects("WinEvent", "a win", fields=["comunity_winners[*].win_amount"])
        """,
        test_reads_too_much="""
        def test_reads_too_much(thrillpots_pact):
            thrillpots_pact.expects("WinEvent", "a win", fields=["player_id"])
            thrillpots_pact.verify(lambda win: (win["player_id"], win["brand_id"]))
        """,
        test_given="""
        def test_given(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-in", given=42)
        """,
        test_forgets_verify="""
        def test_forgets_verify(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-out")
        """,
        test_defines_twice="""
        def test_one(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-in", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: None)

        def test_two(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-in", fields=["player_id"])
            thrillpots_pact.verify(lambda event: None)
        """,
    )
    result = _run(pytester)
    result.assert_outcomes(passed=2, failed=4, errors=1)
    # a provider state of no known form: at the caller's line, saying which forms there are
    result.stdout.fnmatch_lines(
        [
            '>       thrillpots_pact.expects("OptInEvent", "an opt-in", given=42)',
            "E   *PactDefinitionError: given= takes a provider state's name ('a jackpot win'), a list of names and "
            "(name, params) pairs, {name: params}, or one (name, params) pair, not 42 (int)",
        ]
    )
    assert "_interactions.py" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            # a field the spec lacks: at once, at the caller's line, with the close matches
            '>       thrillpots_pact.expects("WinEvent", "a win", fields=[[]"comunity_winners[[][*][]].win_amount"[]])',
            "E   *UnknownFieldError: WinEvent has no field 'comunity_winners[[][*][]].win_amount'*"
            "Did you mean 'community_winners[[][*][]].win_amount'?*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E   *AssertionError: the wallet handler failed on the message 'a win': KeyError: 'brand_id'",
            "E     'brand_id' is a field of WinEvent that the interaction does not declare: add it, "
            "fields=[[]'player_id', 'brand_id'[]], so the producer has to keep sending it",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*thrillpots_pact: 'an opt-out' never reached the consumer's handler: call "
            "thrillpots_pact.verify(handler) after expects(...), or the interaction is not written to the pact"
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "thrillpots_pact: wallet's interaction 'an opt-in' is defined twice with different contents, by "
            "test_defines_twice.py::test_one and test_defines_twice.py::test_two: give each expectation its own "
            "description (no pact is written)"
        ]
    )
    # a run with failing contract tests writes no pact
    assert not (pytester.path / "pacts").exists()


@pytest.mark.slow
def test_the_plugin_does_not_import_pact_until_a_test_uses_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_light="""
        import sys

        def test_nothing_heavy_is_loaded():
            # (pact-python's own pytest plugin imports pact; the toolkit's pact code waits for a test:
            # only the lazy package face and the stdlib-only session settings are loaded)
            loaded = sorted(m for m in sys.modules if m.startswith("pytest_thrillpots.pact"))
            assert loaded == ["pytest_thrillpots.pact", "pytest_thrillpots.pact._session"]
        """
    )
    _run(pytester).assert_outcomes(passed=1)


# Only a complete, green run of the contract tests writes a pact.

CONTRACT_TESTS = {
    "test_contract": """
        import pytest

        def test_one(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-in", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: None)

        @pytest.mark.slow
        def test_two(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-out", fields=["player_id"])
            thrillpots_pact.verify(lambda event: None)

        def test_not_a_contract_test():
            pass
        """,
    "test_other": """
        def test_three(thrillpots_pact):
            thrillpots_pact.expects("JackpotUpdateEvent", "a jackpot update", fields=["pots[*].current_value"])
            thrillpots_pact.verify(lambda update: None)
        """,
}
PREVIOUS_PACT = b'{"the pact": "as the last complete run wrote it"}\n'
NOT_WRITTEN = (
    "thrillpots: did not write pact pacts/wallet-thrillpots.json: {reason}. Only a complete, green run of the "
    "contract tests writes a pact (--thrillpots-pact-merge adds the passing tests' interactions instead)"
)


def _contract_suite(pytester: pytest.Pytester, **more: str) -> Path:
    """The suite of three contract tests in two files, and the pact a previous run wrote."""
    pytester.makeini(INI + "markers = slow\n")
    pytester.makepyfile(**CONTRACT_TESTS, **more)
    pact = pytester.path / "pacts" / "wallet-thrillpots.json"
    pact.parent.mkdir()
    pact.write_bytes(PREVIOUS_PACT)
    return pact


@pytest.mark.slow
def test_a_complete_green_run_rewrites_the_pact_and_a_failing_non_contract_test_does_not_stop_it(
    pytester: pytest.Pytester,
) -> None:
    pact = _contract_suite(pytester, test_unrelated="def test_unrelated_failure():\n    assert False\n")
    result = _run(pytester)
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(["thrillpots: wrote pact pacts/wallet-thrillpots.json (3 interactions)"])
    assert [i["description"] for i in _pact(pact)["interactions"]] == ["a jackpot update", "an opt-in", "an opt-out"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["-k", "one"], "2 contract tests were deselected (-k)"),
        (["-m", "not slow"], "1 contract test was deselected (-m)"),
        (["--deselect", "test_contract.py::test_two"], "1 contract test was deselected (--deselect)"),
        (["test_contract.py"], "the run was narrowed to test_contract.py"),
        (["test_contract.py::test_one", "test_other.py"], "the run was narrowed to test_contract.py::test_one, test_other.py"),
        (["--ignore=test_other.py"], "--ignore left paths out"),
    ],
)  # fmt: skip
def test_a_run_that_leaves_contract_tests_out_leaves_the_pact_byte_identical(
    pytester: pytest.Pytester, args: list[str], reason: str
) -> None:
    pact = _contract_suite(pytester)
    result = _run(pytester, *args)
    assert result.ret == 0
    assert NOT_WRITTEN.format(reason=reason) in result.stdout.lines
    assert pact.read_bytes() == PREVIOUS_PACT


@pytest.mark.slow
def test_the_whole_suite_given_as_paths_is_a_complete_run(pytester: pytest.Pytester) -> None:
    pact = _contract_suite(pytester)
    _run(pytester, "test_contract.py", "test_other.py", ".").assert_outcomes(passed=4)
    assert len(_pact(pact)["interactions"]) == 3


@pytest.mark.slow
def test_a_run_from_a_subdirectory_of_the_rootdir_is_narrowed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pact = _contract_suite(pytester)
    (pytester.path / "sub").mkdir()
    (pytester.path / "test_other.py").rename(pytester.path / "sub" / "test_other.py")
    monkeypatch.chdir(pytester.path / "sub")
    result = _run(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "thrillpots: did not write pact */pacts/wallet-thrillpots.json: pytest ran in sub/, which holds only "
            "part of the suite of * (run pytest there, or give sub/ a pytest.ini of its own). Only a complete, "
            "green run*"
        ]
    )
    assert pact.read_bytes() == PREVIOUS_PACT


FLAKY_CONTRACT_TEST = """
import os

def test_flaky(thrillpots_pact):
    thrillpots_pact.expects("OptInEvent", "a flaky opt-in", fields=["opted_in"])
    thrillpots_pact.verify(lambda event: None)
    assert os.path.exists("ok")
"""


@pytest.mark.slow
def test_a_last_failed_run_leaves_the_pact_as_it_was(pytester: pytest.Pytester) -> None:
    pact = _contract_suite(pytester, test_flaky=FLAKY_CONTRACT_TEST)
    result = pytester.runpytest_subprocess("-p", "no:randomly")  # with the cache: the failure is on record
    result.assert_outcomes(passed=4, failed=1)
    pytester.path.joinpath("ok").write_text("")
    result = pytester.runpytest_subprocess("-p", "no:randomly", "--lf")
    result.assert_outcomes(passed=1)
    assert NOT_WRITTEN.format(reason="--lf ran only the tests that failed last time") in result.stdout.lines
    assert pact.read_bytes() == PREVIOUS_PACT


BROKEN_CONTRACT_TESTS = {
    "a handler that raises": (
        """
        def test_broken(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "a raising handler", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: event["player_id"])
        """,
        [],
        "test_broken.py::test_broken failed",
    ),
    "an expectation never verified": (
        """
        def test_broken(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "never verified", fields=["opted_in"])
        """,
        [],
        "test_broken.py::test_broken failed",
    ),
    "a skip": (
        """
        import pytest

        def test_broken(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "skipped", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: None)
            pytest.skip("not today")
        """,
        [],
        "test_broken.py::test_broken was skipped",
    ),
    "an xfail": (
        """
        import pytest

        @pytest.mark.xfail(reason="a known bug")
        def test_broken(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "expected to fail", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: None)
            assert False
        """,
        [],
        "test_broken.py::test_broken was skipped",
    ),
    "-x stopping before the contract tests": (
        "def test_broken():\n    assert False\n",
        ["-x"],
        "3 contract tests did not run (test_contract.py::test_one, test_contract.py::test_two, test_other.py::test_three)",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize(("body", "args", "reason"), BROKEN_CONTRACT_TESTS.values(), ids=BROKEN_CONTRACT_TESTS)
def test_a_run_with_a_contract_test_that_did_not_pass_leaves_the_pact_byte_identical(
    pytester: pytest.Pytester, body: str, args: list[str], reason: str
) -> None:
    pact = _contract_suite(pytester, test_broken=body)
    result = _run(pytester, *args)
    line = NOT_WRITTEN.format(reason=reason)
    if "-x" in args:  # no contract test delivered anything, so the line names no pact file
        line = line.replace("pact pacts/wallet-thrillpots.json", "any pact")
    assert line in result.stdout.lines
    assert pact.read_bytes() == PREVIOUS_PACT


@pytest.mark.slow
def test_a_module_that_fails_to_collect_leaves_the_pact_as_it_was(pytester: pytest.Pytester) -> None:
    pact = _contract_suite(pytester, test_broken="import no_such_module\n")
    result = _run(pytester, "--continue-on-collection-errors")
    result.assert_outcomes(passed=4, errors=1)
    assert NOT_WRITTEN.format(reason="test_broken.py failed to collect") in result.stdout.lines
    assert pact.read_bytes() == PREVIOUS_PACT


@pytest.mark.slow
def test_merge_adds_the_passing_tests_interactions_and_keeps_the_others(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(**CONTRACT_TESTS)
    pact = pytester.path / "pacts" / "wallet-thrillpots.json"
    _run(pytester).assert_outcomes(passed=4)
    # the consumer now reads one more field of the opt-in: a -k run merges just that interaction
    pytester.makepyfile(
        test_contract=CONTRACT_TESTS["test_contract"].replace('["opted_in"]', '["opted_in", "player_id"]')
    )
    result = _run(pytester, "-k", "one", "--thrillpots-pact-merge")
    result.assert_outcomes(passed=1, deselected=3)
    assert (
        "thrillpots: merged 1 interaction into pact pacts/wallet-thrillpots.json (3 interactions; "
        "--thrillpots-pact-merge keeps the others)"
    ) in result.stdout.lines
    merged = pact.read_bytes()
    interactions = {i["description"]: i for i in _pact(pact)["interactions"]}
    assert sorted(interactions) == ["a jackpot update", "an opt-in", "an opt-out"]
    assert sorted(interactions["an opt-in"]["contents"]["content"]) == ["opted_in", "player_id"]
    # the merged file is byte for byte what a complete run writes
    _run(pytester).assert_outcomes(passed=4)
    assert pact.read_bytes() == merged


@pytest.mark.slow
def test_merge_refuses_a_pact_file_it_did_not_write(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_contract=CONTRACT_TESTS["test_contract"])
    pact = pytester.path / "pacts" / "wallet-thrillpots.json"
    pact.parent.mkdir()
    foreign = json.dumps({"interactions": [{"type": "Synchronous/HTTP", "description": "a GET of the wallet"}]})
    pact.write_text(foreign)
    result = _run(pytester, "--thrillpots-pact-merge", "-p", "no:pact")
    assert result.ret == 4
    assert (
        f"ERROR: thrillpots: cannot merge into {pact}: the interaction 'a GET of the wallet' is of type "
        "'Synchronous/HTTP', not 'Asynchronous/Messages', so pytest-thrillpots did not write it; move it away, "
        "or write it without merging"
    ) in result.stdout.lines
    assert pact.read_text() == foreign


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-p", "xdist", "-n", "2"]], ids=["one process", "xdist"])
def test_two_tests_defining_one_interaction_differently_fail_naming_both(
    pytester: pytest.Pytester, workers: list[str]
) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        test_first="""
        def test_one(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-in", fields=["opted_in"])
            thrillpots_pact.verify(lambda event: None)
        """,
        test_second="""
        def test_two(thrillpots_pact):
            thrillpots_pact.expects("OptInEvent", "an opt-in", fields=["player_id"])
            thrillpots_pact.verify(lambda event: None)
        """,
    )
    result = _run(pytester, *workers)
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == 1
    assert (
        "thrillpots_pact: wallet's interaction 'an opt-in' is defined twice with different contents, by "
        "test_first.py::test_one and test_second.py::test_two: give each expectation its own description "
        "(no pact is written)"
    ) in result.stdout.lines
    result.stdout.fnmatch_lines(
        ["thrillpots: did not write pact pacts/wallet-thrillpots.json: test_*.py::test_* failed.*"]
    )
    assert not (pytester.path / "pacts").exists()


@pytest.mark.slow
def test_a_crashed_xdist_worker_leaves_the_pact_as_it_was(pytester: pytest.Pytester) -> None:
    pact = _contract_suite(pytester, test_crash="import os\n\ndef test_crash():\n    os._exit(1)\n")
    result = _run(pytester, "-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        ["thrillpots: did not write pact pacts/wallet-thrillpots.json: pytest-xdist worker gw? crashed. Only*"]
    )
    assert pact.read_bytes() == PREVIOUS_PACT


@pytest.mark.slow
def test_a_pact_directory_that_cannot_be_made_stops_pytest_before_the_tests(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_contract=CONTRACT_TESTS["test_contract"])
    pytester.path.joinpath("occupied").write_text("a file, not a folder")
    result = _run(pytester, "--thrillpots-pact-dir=occupied/pacts")
    assert result.ret == 4
    result.stderr.fnmatch_lines(
        [
            f"ERROR: the pact directory {pytester.path}/occupied/pacts cannot be made: {pytester.path}/occupied is a "
            "file, not a directory (set --thrillpots-pact-dir or the ini option thrillpots_pact_dir)"
        ]
    )


@pytest.mark.slow
def test_a_pact_that_cannot_be_written_at_the_end_fails_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        test_contract=CONTRACT_TESTS["test_contract"],
        test_blocks="def test_blocks():\n    open('pacts', 'w').write('a file, not a folder')\n",
    )
    result = _run(pytester)
    result.assert_outcomes(passed=4)
    assert result.ret == 4
    assert (
        f"ERROR: thrillpots: cannot write the pacts to {pytester.path}/pacts: {pytester.path}/pacts is a file, "
        "not a directory"
    ) in result.stdout.lines


# What a consumer's handler failure shows.


@pytest.mark.slow
def test_a_handler_failure_shows_the_handlers_line_and_none_of_pact_pythons(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        # A loop, not a comprehension: Python 3.12+ runs comprehensions without a frame of their own.
        raffles=(
            "def on_raffle_win(event):\n    amounts = []\n    for winner in event['winners']:\n"
            "        amounts.append(winner['win_amount'])\n    return amounts\n"
        ),
        test_raffles="""
        from raffles import on_raffle_win

        def test_pays_the_raffle_winners(thrillpots_pact):
            thrillpots_pact.expects("RaffleWinEvent", "a raffle win", fields=["winners[*].player_id"])
            thrillpots_pact.verify(on_raffle_win)
        """,
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    failure = result.stdout.str().split("= FAILURES =")[1].split("raffles.py:4: AssertionError")[0].splitlines()
    # the test's line, the handler's line, the message: nothing of pact-python's in between
    assert not [line for line in failure if "site-packages" in line or "def verify(" in line]
    assert len(failure) < 30, "\n".join(failure)
    wanted = [
        ">       thrillpots_pact.verify(on_raffle_win)",
        ">           amounts.append(winner['win_amount'])",
        "E           AssertionError: the wallet handler failed on the message 'a raffle win': KeyError: 'win_amount'",
        "E             'winners[*].win_amount' is a field of RaffleWinEvent that the interaction does not declare: add it, "
        "fields=['winners[*].player_id', 'winners[*].win_amount'], so the producer has to keep sending it",
    ]
    positions = [failure.index(line) for line in wanted]
    assert positions == sorted(positions), failure


# The consumer helper as a library: pact files, merges, clashes, handler failures.

FREE_FORM = {
    (event_type, path) for event_type in EVENT_TYPES for path, node in iter_fields(spec(event_type)) if node.free_form
}
OBJECT_FIELDS = sorted(
    (event_type, path)
    for event_type in EVENT_TYPES
    for path, _ in iter_fields(spec(event_type))
    if not any((event_type, path[:depth]) in FREE_FORM for depth in range(len(path)))
)
"""Every field of every event that is not inside the free-form ``metadata``."""


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(OBJECT_FIELDS), data=st.data())
def test_a_handler_reading_an_undeclared_field_is_told_its_path_and_the_fields_entry(
    field: tuple[str, tuple[Any, ...]], data: st.DataObject
) -> None:
    event_type, path = field
    siblings = [p for p, _ in iter_fields(spec(event_type)) if p[:-1] == path[:-1] and p != path]
    declared = [to_human(data.draw(st.sampled_from(siblings)))] if siblings else None
    for interaction in derive(event_type, "a message", fields=declared):
        if declared is None:
            continue  # the whole event: every field is declared
        hint = _handler_failure("wallet", interaction, KeyError(path[-1]), declared).splitlines()[1]
        candidates = undeclared_fields(event_type, interaction.body, str(path[-1]))
        assert path in candidates
        if len(candidates) == 1:
            assert hint == (
                f"  {to_human(path)!r} is a field of {event_type} that the interaction does not declare: add it, "
                f"fields={[*declared, to_human(path)]!r}, so the producer has to keep sending it"
            )
        else:
            assert hint.startswith(f"  {event_type} has a field {path[-1]!r} at ") and repr(to_human(path)) in hint


def test_a_handler_reading_a_field_the_spec_lacks_is_told_the_close_match() -> None:
    (interaction,) = derive("RaffleWinEvent", "a raffle win", fields=["winners[*].player_id"])
    assert _handler_failure("wallet", interaction, KeyError("win_amout"), ["winners[*].player_id"]) == (
        "the wallet handler failed on the message 'a raffle win': KeyError: 'win_amout'\n"
        "  RaffleWinEvent has no field 'win_amout'. Did you mean 'win_amount'?"
    )


def test_a_handler_reading_a_second_array_item_is_told_the_pact_holds_one() -> None:
    (interaction,) = derive("RaffleWinEvent", "a raffle win", fields=["winners[*].player_id"])
    assert _handler_failure("wallet", interaction, IndexError("list index out of range"), None).splitlines()[1] == (
        "  a pact message holds one item in each array (the producer promises at least one): read the items in a "
        "loop, not by position"
    )


@settings(max_examples=15, deadline=None)
@given(
    expectations=st.lists(
        st.tuples(st.sampled_from(EVENT_TYPES), st.booleans()), min_size=1, max_size=4, unique_by=lambda e: e[0]
    )
)
def test_a_pact_file_reads_back_as_the_interactions_written(
    tmp_path_factory: pytest.TempPathFactory, expectations: list[tuple[str, bool]]
) -> None:
    directory = tmp_path_factory.mktemp("pacts")
    recorder = PactRecorder()
    for event_type, whole in expectations:
        fields = None if whole else [field_paths(event_type)[0]]
        recorder.add(
            "wallet", "thrillpots", derive(event_type, f"a {event_type}", fields=fields, given={"a state": {"n": 1}})
        )
    (written,) = recorder.write(directory)
    assert read_pact(written.path) == sorted(recorder.pacts["wallet", "thrillpots"].values(), key=Interaction.key)
    first = written.path.read_bytes()
    # a merge of the same interactions changes nothing
    assert recorder.write(directory, merge=True) == [written]
    assert written.path.read_bytes() == first


def test_a_clash_names_both_sources_and_adds_nothing() -> None:
    recorder = PactRecorder()
    recorder.add("wallet", "thrillpots", derive("OptInEvent", "an opt-in", fields=["opted_in"]), source="test_a")
    with pytest.raises(PactDefinitionError) as error:
        recorder.add(
            "wallet",
            "thrillpots",
            [*derive("OptInEvent", "an opt-out"), *derive("OptInEvent", "an opt-in", fields=["player_id"])],
            source="test_b",
        )
    assert str(error.value) == (
        "wallet's interaction 'an opt-in' is defined twice with different contents, by test_a and test_b: give each "
        "expectation its own description"
    )
    assert sorted(recorder.pacts["wallet", "thrillpots"]) == ["an opt-in"]


@pytest.mark.parametrize(("consumer", "provider"), [("", "thrillpots"), ("wallet", ""), ("wallet", 42)])
def test_the_consumer_and_the_provider_are_service_names(consumer: Any, provider: Any) -> None:
    with pytest.raises(PactDefinitionError, match=r"^a (consumer|provider) name is a non-empty string, not "):
        ConsumerPact(consumer, provider)


CRASH_AFTER_THE_TESTS = """
import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput"):
        os._exit(1)  # every test passed; the worker dies before it reports back
"""


@pytest.mark.slow
def test_a_worker_that_crashes_after_its_tests_fails_the_run(pytester: pytest.Pytester) -> None:
    """pytest-xdist fails no test for it and would exit 0: a green run with the old pact on disk."""
    pact = _contract_suite(pytester)
    pytester.makeconftest(CRASH_AFTER_THE_TESTS)
    result = _run(pytester, "-p", "xdist", "-n", "1", "--max-worker-restart", "0")
    result.assert_outcomes(passed=4)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "thrillpots: did not write pact pacts/wallet-thrillpots.json: pytest-xdist worker gw0 crashed. Only*",
            "ERROR: thrillpots: pytest-xdist worker gw0 crashed before reporting back, so no pact is written: "
            "the run fails",
        ]
    )
    assert pact.read_bytes() == PREVIOUS_PACT

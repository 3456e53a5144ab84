"""The thrillpots_pact fixture as a consumer team meets it: a fresh repo with the plugin installed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

INI = """
[pytest]
thrillpots_consumer = wallet
"""

WALLET_TEST = '''
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
'''


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", *args)


def _pact(path: Path) -> dict:
    return json.loads(path.read_text())


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


def test_the_pact_is_byte_identical_whatever_the_order_and_the_workers(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_wallet=WALLET_TEST)
    pact = pytester.path / "pacts" / "wallet-thrillpots.json"
    _run(pytester).assert_outcomes(passed=2)
    first = pact.read_bytes()
    pact.unlink()
    _run(pytester, "-p", "randomly", "-p", "xdist", "-n", "2", "--randomly-seed=3").assert_outcomes(passed=2)
    assert pact.read_bytes() == first


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


def test_the_ini_option_names_the_directory(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI + "thrillpots_pact_dir = contracts/pacts\n")
    pytester.makepyfile(test_wallet=WALLET_TEST)
    _run(pytester).assert_outcomes(passed=2)
    assert (pytester.path / "contracts" / "pacts" / "wallet-thrillpots.json").is_file()


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
    result.assert_outcomes(passed=2, failed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            # a field the spec lacks: at once, at the caller's line, with the close matches
            ">       thrillpots_pact.expects(\"WinEvent\", \"a win\", fields=[[]\"comunity_winners[[][*][]].win_amount\"[]])",
            "E   *UnknownFieldError: WinEvent has no field 'comunity_winners[[][*][]].win_amount'*"
            "Did you mean 'community_winners[[][*][]].win_amount'?*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E   *AssertionError: the wallet handler failed on the message 'a win': KeyError: 'brand_id'",
            "E     *'brand_id' is a WinEvent field the interaction does not declare: add it to fields=[[]...[]] "
            "so the producer has to keep sending it",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*thrillpots_pact: 'an opt-out' never reached the consumer's handler: call "
            "thrillpots_pact.verify(handler) after expects(...), or the interaction is not written to the pact"
        ]
    )
    result.stdout.fnmatch_lines(
        ["*wallet defines the interaction 'an opt-in' twice with different contents*"]
    )
    # only what reached a handler without failing is in the pact
    pact = _pact(pytester.path / "pacts" / "wallet-thrillpots.json")
    assert [i["description"] for i in pact["interactions"]] == ["an opt-in"]


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

"""The mistakes a team in another repository makes first, each met as that team meets it.

Every one must end in a clear message that names the fix, at the user's own line: no frames
of the plugin's code, no traceback from the command line, never a silent pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_thrillpots.cli import main

NO_OTHER_PLUGINS = ("-p", "no:randomly", "-p", "no:faker", "-p", "no:pact")

MISTAKES = {
    "hub_event_type": ('thrillpots.build("WinEvnt")', "*UnknownEventTypeError: no factory for 'WinEvnt'*"),
    "hub_batch_type": ('thrillpots.batch("OptInEvnt", 2)', "*Did you mean 'OptInEvent'?"),
    "hub_factory": ('thrillpots.factory("WinEvnt")', "*Did you mean 'WinEvent' or 'RaffleWinEvent'?"),
    "hub_coverage": ('thrillpots.coverage("WinEvnt")', "*Did you mean 'WinEvent' or 'RaffleWinEvent'?"),
    "hub_field": ('thrillpots.win_event(jackpot_nme="x")', "*Did you mean 'jackpot_name' or 'jackpot_currency'?*"),
    "hub_trait": ('thrillpots.trait("WinEvent", "witheld").build()', "*Did you mean 'withheld' or 'with_metadata'?*"),
    "class_field": ('WinEventFactory.build(jackpot_nme="x")', "*Did you mean 'jackpot_name' or 'jackpot_currency'?*"),
    "class_batch_field": ('WinEventFactory.batch(2, jackpot_nme="x")', "*Did you mean 'jackpot_name'*"),
    "seeded_field": ('WinEventFactory.seeded(1).build(jackpot_nme="x")', "*Did you mean 'jackpot_name'*"),
    "class_trait": ('WinEventFactory.trait("witheld")', "*Did you mean 'withheld' or 'with_metadata'?*"),
    "trait_parameter": ('WinEventFactory.trait("community", m=3)', "*WinEvent trait 'community' takes n, not m."),
    "factory_for": ('factory_for("WinEvnt")', "*Did you mean 'WinEvent' or 'RaffleWinEvent'?"),
    "strategy_field": ("events('WinEvent', jackpot_nme='x')", "*Did you mean 'jackpot_name'*"),
}


def test_a_mistake_in_a_factory_call_shows_at_the_users_line_only(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_mistakes="from pytest_thrillpots import WinEventFactory, factory_for\n"
        "from pytest_thrillpots.strategies import events\n\n"
        + "".join(f"def test_{name}(thrillpots):\n    {call}\n\n\n" for name, (call, _) in MISTAKES.items())
    )
    result = pytester.runpytest(*NO_OTHER_PLUGINS)
    result.assert_outcomes(failed=len(MISTAKES))
    output = result.stdout.str()
    for name, (call, message) in MISTAKES.items():
        section = output.split(f" test_{name} ")[1].split("\n____")[0]
        shown = [line for line in section.splitlines() if re.match(r"\S+\.py:\d+: ", line)]
        assert shown == [f"test_mistakes.py:{_line_of(output, name)}: {shown[0].split(': ', 1)[1]}"], section
        assert f">       {call}" in section, section
        pytest.LineMatcher([line[1:].strip() for line in section.splitlines() if line.startswith("E ")]).fnmatch_lines(
            [message]
        )


def _line_of(output: str, name: str) -> int:
    return 4 + 4 * list(MISTAKES).index(name) + 1


def test_an_unknown_hub_method_names_the_close_ones(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_hub="def test_typo(thrillpots):\n    thrillpots.win_evnt()\n")
    result = pytester.runpytest(*NO_OTHER_PLUGINS)
    result.stdout.fnmatch_lines(
        ["E *AttributeError: the thrillpots fixture has no 'win_evnt'. Did you mean 'win_event'*? It offers: *"]
    )


def test_the_seed_in_the_header_is_accepted_back(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_a="import json\n\ndef test_a(win_event):\n    open('event.json', 'w').write(json.dumps(win_event))\n"
    )
    first = pytester.runpytest(*NO_OTHER_PLUGINS)
    seed = re.search(r"rerun with --thrillpots-seed=(\d+) for the same events", first.stdout.str())
    assert seed is not None
    event = (pytester.path / "event.json").read_text()
    pytester.runpytest(f"--thrillpots-seed={seed[1]}", *NO_OTHER_PLUGINS).assert_outcomes(passed=1)
    assert (pytester.path / "event.json").read_text() == event


def test_a_bad_strict_ini_value_is_one_usage_error_before_any_test(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nthrillpots_strict = maybe\n")
    pytester.makepyfile(test_a="def test_a(win_event): pass\n\ndef test_b(win_event): pass\n")
    result = pytester.runpytest(*NO_OTHER_PLUGINS)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: thrillpots_strict: invalid truth value 'maybe': write true or false"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_sample_into_a_directory_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "WinEvent", "--seed", "1", "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"thrillpots: error: --output {tmp_path}: is a directory; name a file\n"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_the_fixtures_need_neither_fakers_nor_pact_pythons_own_pytest_plugins(pytester: pytest.Pytester) -> None:
    # docs/installation.md tells repositories they may switch those plugins off to start faster.
    pytester.makeini("[pytest]\nthrillpots_consumer = bonus_service\naddopts = -p no:faker -p no:pact -p no:randomly\n")
    pytester.makepyfile(
        test_contract="""
        def test_a_win(thrillpots_pact, win_event):
            thrillpots_pact.expects("WinEvent", "a jackpot win", fields=["player_id"])
            seen = []
            thrillpots_pact.verify(seen.append)
            assert seen[0].keys() == {"player_id"} and win_event["player_id"]
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "faker" not in result.stdout.str().split("plugins:")[1].splitlines()[0].lower()
    assert (pytester.path / "pacts" / "bonus_service-thrillpots.json").is_file()

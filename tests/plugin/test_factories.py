"""The factories in pytest, as a user in another repo meets them: seeds, fixtures, the marker."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

NO_RANDOMLY = ("-p", "no:randomly", "-p", "no:faker", "-p", "no:pact")
"""Leave out plugins unrelated to these tests (pytest-randomly shuffles; Faker's and pact-python's
own plugins only slow each run down)."""

RECORDING_TESTS = """
import json, os
import pytest

def record(request, thrillpots, event):
    with open(os.path.join(str(request.config.rootpath), "record.ndjson"), "a") as out:
        out.write(json.dumps({"test": request.node.nodeid, "seed": thrillpots.seed, "event": event}) + "\\n")

{body}
"""


def _tests(*names: str) -> str:
    body = "\n".join(
        f"def {name}(request, thrillpots, win_event):\n    record(request, thrillpots, win_event)\n" for name in names
    )
    return RECORDING_TESTS.replace("{body}", body)


def _records(pytester: pytest.Pytester) -> dict[str, dict]:
    path = pytester.path / "record.ndjson"
    found = {}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        found[record["test"].rsplit("::", 1)[-1]] = record
    path.unlink()
    return found


def test_a_tests_events_do_not_change_when_tests_are_added_or_reordered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_events=_tests("test_a", "test_b"))
    assert pytester.runpytest("--thrillpots-seed=5", *NO_RANDOMLY).ret == 0
    first = _records(pytester)
    pytester.makepyfile(test_events=_tests("test_new", "test_b", "test_a"))
    assert pytester.runpytest("--thrillpots-seed=5", *NO_RANDOMLY).ret == 0
    second = _records(pytester)
    assert second["test_a"] == first["test_a"] and second["test_b"] == first["test_b"]
    assert first["test_a"]["seed"] != first["test_b"]["seed"]
    assert first["test_a"]["event"] != first["test_b"]["event"]


def test_a_random_session_seed_is_shared_by_xdist_workers_and_reproducible(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_events=_tests("test_a", "test_b", "test_c", "test_d"))
    distributed = pytester.runpytest_subprocess("-n", "2", *NO_RANDOMLY)
    assert distributed.ret == 0, distributed.stdout.str()
    header = next(line for line in distributed.stdout.lines if line.startswith("thrillpots: seed "))
    base = int(header.split()[2])
    assert header == f"thrillpots: seed {base} (rerun with --thrillpots-seed={base} for the same events)"
    from_workers = _records(pytester)
    from pytest_thrillpots._seed import derive_seed

    assert {r["seed"] for r in from_workers.values()} == {derive_seed(base, r["test"]) for r in from_workers.values()}
    serial = pytester.runpytest(f"--thrillpots-seed={base}", *NO_RANDOMLY)
    assert serial.ret == 0
    assert _records(pytester) == from_workers
    other = pytester.runpytest(*NO_RANDOMLY)
    assert not other.stdout.lines.count(header), "the default seed is random: another run, another seed"


def test_the_ini_option_sets_the_seed_and_the_command_line_wins(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nthrillpots_seed = 77\n")
    pytester.makepyfile(test_events=_tests("test_a"))
    pytester.runpytest(*NO_RANDOMLY)
    from pytest_thrillpots._seed import derive_seed

    assert _records(pytester)["test_a"]["seed"] == derive_seed(77, "test_events.py::test_a")
    result = pytester.runpytest("--thrillpots-seed=123", *NO_RANDOMLY, "--co")
    result.stdout.fnmatch_lines(["thrillpots: seed 123 (rerun with --thrillpots-seed=123 for the same events)"])


def test_under_pytest_randomly_the_header_says_which_seed_the_class_level_factories_follow(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_a="def test_a(): pass")
    result = pytester.runpytest("--thrillpots-seed=9", "-p", "randomly", "--randomly-seed=4", "--co")
    result.stdout.fnmatch_lines(
        [
            "thrillpots: seed 9 (rerun with --thrillpots-seed=9 for the same events);"
            " factories called outside the fixtures follow --randomly-seed"
        ]
    )


# An empty value is `--thrillpots-seed=$SEED` with SEED unset in CI: it must not quietly run on a random seed.
@pytest.mark.parametrize("value", ["abc", ""])
def test_a_bad_seed_is_a_usage_error(pytester: pytest.Pytester, value: str) -> None:
    pytester.makepyfile(test_a="def test_a(win_event): pass")
    result = pytester.runpytest(f"--thrillpots-seed={value}", *NO_RANDOMLY)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: --thrillpots-seed: a seed is a whole number or 'random', not '{value}'"])


def test_every_event_fixture_gives_a_valid_event(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fixtures="""
        import pytest
        from pytest_thrillpots import EVENT_TYPES, validate

        FIXTURES = ["jackpot_update_event", "win_event", "raffle_win_event", "opt_in_event",
                    "community_payout_error_event", "raffle_payout_error_event"]

        @pytest.mark.parametrize("fixture, event_type", list(zip(FIXTURES, EVENT_TYPES)))
        def test_fixture(request, fixture, event_type):
            event = request.getfixturevalue(fixture)
            assert validate(event, event_type, strict=True, semantic=True) == []

        def test_hub(thrillpots, win_event):
            from pytest_thrillpots import WinEventFactory, ThrillpotsHub
            assert isinstance(thrillpots, ThrillpotsHub)
            reference = WinEventFactory.seeded(thrillpots.seed)
            assert win_event == reference.build()
            assert thrillpots.win_event(player_id="p-1") == reference.build(player_id="p-1")
            assert len(thrillpots.batch("OptInEvent", 10)) == 10
            assert thrillpots.factory("WinEvent").trait("withheld").build()["win_withheld"]
            assert thrillpots.build("PotTicker")["id"].startswith("pot_")
        """
    )
    result = pytester.runpytest("--strict-markers", *NO_RANDOMLY)
    result.assert_outcomes(passed=7)


def test_the_marker_fixes_the_seed_and_is_strict_markers_clean(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marker="""
        import pytest
        from pytest_thrillpots import WinEventFactory

        pytestmark = pytest.mark.thrillpots(seed=1)

        @pytest.mark.thrillpots(seed=42)
        def test_function_marker_wins(thrillpots, win_event):
            assert thrillpots.seed == 42
            assert win_event == WinEventFactory.seeded(42).build()

        def test_module_marker(thrillpots):
            assert thrillpots.seed == 1
        """
    )
    result = pytester.runpytest("--strict-markers", *NO_RANDOMLY)
    result.assert_outcomes(passed=2)
    help_text = pytester.runpytest("--markers", *NO_RANDOMLY).stdout.str()
    assert "@pytest.mark.thrillpots(*, seed=None, strict=None, consumer=None, provider=None)" in help_text


def test_strict_makes_an_invalid_override_an_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_strict="""
        import pytest

        @pytest.mark.thrillpots(strict=True)
        def test_strict(thrillpots):
            thrillpots.win_event(timestamp="soon")

        def test_lenient_by_default(thrillpots):
            assert thrillpots.win_event(timestamp="soon")["timestamp"] == "soon"
        """
    )
    result = pytester.runpytest(*NO_RANDOMLY)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E * pytest_thrillpots._errors.InvalidEventError: WinEventFactory.seeded(*) built an invalid WinEvent "
            "(1 violation); strict mode (the thrillpots marker's strict=True) allows only valid events: fix the "
            "overrides, or use strict=False for a negative test",
            'E *   timestamp: expected number, got string "soon" [[]type]',
            "*- thrillpots -*",
            "this test's seed: * (WinEventFactory.seeded(*) and the like rebuild its events)",
        ]
    )


def test_the_ini_option_makes_every_test_strict(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nthrillpots_strict = true\n")
    pytester.makepyfile(
        test_strict="""
        import pytest

        def test_strict(thrillpots):
            thrillpots.win_event(timestamp="soon")

        @pytest.mark.thrillpots(strict=False)
        def test_marker_overrides(thrillpots):
            thrillpots.win_event(timestamp="soon")
        """
    )
    pytester.runpytest(*NO_RANDOMLY).assert_outcomes(passed=1, failed=1)


def test_a_wrong_marker_option_is_a_clear_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marker="""
        import pytest

        @pytest.mark.thrillpots(sed=1)
        def test_typo(win_event):
            pass

        @pytest.mark.thrillpots(7)
        def test_positional(win_event):
            pass

        @pytest.mark.thrillpots(seed="7")
        def test_wrong_type(win_event):
            pass
        """
    )
    result = pytester.runpytest(*NO_RANDOMLY)
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines_random(
        [
            "@pytest.mark.thrillpots has no option sed; its options are seed, strict, consumer, provider",
            "@pytest.mark.thrillpots takes keyword options only (seed=..., strict=..., consumer=..., provider=...), not (7,)",
            "@pytest.mark.thrillpots: seed must be a whole number >= 0, not '7'",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    result.stdout.no_fnmatch_line("*During handling of the above exception*")


def test_class_level_factories_repeat_per_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_class_level="""
        import json, os
        from pytest_thrillpots import WinEventFactory

        def test_a(request):
            with open(os.path.join(str(request.config.rootpath), "class_level.json"), "a") as out:
                out.write(json.dumps(WinEventFactory.build()) + "\\n")
        """
    )
    for _ in range(2):
        assert pytester.runpytest("--thrillpots-seed=3", *NO_RANDOMLY).ret == 0
    first, second = (pytester.path / "class_level.json").read_text().splitlines()
    assert first == second


def test_pytest_randomly_reseeds_the_factories(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_randomly="""
        import zlib
        from pytest_thrillpots import _seed, WinEventFactory

        def test_reseeded(request):
            expected = request.config.getoption("randomly_seed") + zlib.crc32(request.node.nodeid.encode())
            assert _seed.GLOBAL.seed == expected
            _seed.reseed(expected)
            first = WinEventFactory.build()
            _seed.reseed(expected)
            assert WinEventFactory.build() == first
        """
    )
    result = pytester.runpytest("-p", "randomly", "-p", "no:pact")
    result.assert_outcomes(passed=1)
    randomly_seed = next(line for line in result.stdout.lines if line.startswith("Using --randomly-seed="))
    # Without a seed of its own, the session uses pytest-randomly's: one seed reproduces both.
    result.stdout.fnmatch_lines([f"thrillpots: seed {randomly_seed.split('=')[1]} *"])


def test_the_plugin_imports_nothing_heavy_at_start_up(pytester: pytest.Pytester) -> None:
    heavy = ("faker", "deepdiff", "pact", "hypothesis", "pytest_thrillpots.factories")
    code = textwrap.dedent(
        f"""
        import importlib, sys
        import pytest_thrillpots.plugin as plugin
        for name in plugin.PLUGIN_MODULES:
            importlib.import_module(name)
        print(sorted(m for m in {heavy!r} if m in sys.modules))
        """
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"
    pytester.makeconftest(
        f"""
        import sys

        def pytest_collection_finish(session):
            print("HEAVY", sorted(m for m in {heavy!r} if m in sys.modules))
        """
    )
    pytester.makepyfile(test_a="def test_a(): pass")
    # Faker and pact-python ship pytest plugins of their own that import them: NO_RANDOMLY leaves them out.
    result = pytester.runpytest_subprocess("--co", "-s", *NO_RANDOMLY)
    result.stdout.fnmatch_lines(["HEAVY []"])

"""The assertion failures as a user in another repo meets them: a pytest run with the plugin
installed (loaded by its entry point, not by -p), its output checked line by line."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("without_no_color")

OPT_IN = """
OPT_IN = {
    "instance_id": "inst-1",
    "player_id": "p-1",
    "ext_player_id": "ext-1",
    "player_brand_id": "brand-1",
    "preferred_contribution_value": 0.1,
    "contribution_count": 3,
    "contribution_value": 0.3,
    "opted_in": True,
    "last_updated": 1700000400,
}
UPDATE = {
    "id": "jp-1",
    "jackpot_type": "Jackpot",
    "currency": "EUR",
    "pots": [
        {"id": "pot-1", "is_progressive": True, "current_value": 1000.5},
        {"id": "pot-2", "is_progressive": False, "current_value": 50},
    ],
    "allowed_brands": ["brand-1"],
    "allowed_sources": ["src-1"],
    "status": "running",
    "timestamp_start": 1700000000,
    "timestamp_end": None,
    "last_updated": 1700000100,
}
"""


@pytest.fixture
def without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("PY_COLORS", raising=False)


def run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(
        test_user="from pytest_thrillpots import assert_events_equal, assert_valid, matches_spec\n" + OPT_IN + body
    )
    return pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", *args)


def test_passing_assertions_pass(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_valid():
    assert_valid(OPT_IN, "OptInEvent", strict=True)
    assert_valid(UPDATE, "JackpotUpdateEvent")

def test_equal():
    assert_events_equal({**OPT_IN, "last_updated": 1}, OPT_IN, ignore=["last_updated"])
    assert_events_equal({**UPDATE, "pots": UPDATE["pots"][::-1]}, UPDATE, ignore_order=True)

def test_matcher():
    assert OPT_IN == matches_spec("OptInEvent", player_id="p-1", contribution_count=3.0)
    assert [UPDATE, OPT_IN] == [matches_spec("JackpotUpdateEvent"), matches_spec("OptInEvent")]
""",
    )
    result.assert_outcomes(passed=3)


def test_assert_valid_failure(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_update():
    event = {**UPDATE, "timestamp_end": "soon", "pots": [UPDATE["pots"][0], {**UPDATE["pots"][1], "is_progressive": "no"}]}
    del event["status"]
    assert_valid(event, "JackpotUpdateEvent")
""",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "    def test_update():",
            "        event = *",
            "        del event*",
            '>       assert_valid(event, "JackpotUpdateEvent")',
            "E       AssertionError: JackpotUpdateEvent is not valid: 3 violations",
            "E         status: expected string, but the field is missing [missing]",
            'E         pots[1].is_progressive: expected boolean, got string "no" [type]',
            'E         timestamp_end: expected number or null, got string "soon" [type]',
            "",
            "test_user.py:*: AssertionError",
        ],
        consecutive=True,
    )
    # The helper's own frame is hidden: the failure is in the user's payload.
    assert "_assertions.py" not in result.stdout.str()


def test_assert_valid_strict_failure(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_opt_in():
    assert_valid({**OPT_IN, "opted_in": 1, "segment": "vip"}, "OptInEvent", strict=True)
""",
    )
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: OptInEvent is not valid (strict): 2 violations",
            "E         opted_in: expected boolean, got number 1 [type]",
            'E         segment: unknown field, not listed in the OptInEvent spec (strict mode), got string "vip" [unknown_field]',
        ],
        consecutive=True,
    )


def test_assert_events_equal_failure_with_ignore_and_ignore_order(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_equal():
    actual = {**UPDATE, "last_updated": 5, "status": "closed", "pots": [UPDATE["pots"][1], {**UPDATE["pots"][0], "current_value": 999}]}
    assert_events_equal(actual, UPDATE, ignore=["last_updated", "pots[*].id"], ignore_order=True)
""",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       assert_events_equal(actual, UPDATE, ignore=*, ignore_order=True)",
            "E       AssertionError: events differ at 2 paths",
            "E         pots[0].current_value",
            "E           - expected: 1000.5",
            "E           + actual:   999",
            "E         status",
            'E           - expected: "running"',
            'E           + actual:   "closed"',
        ],
        consecutive=True,
    )
    assert "_assertions.py" not in result.stdout.str()


def test_assert_events_equal_names_a_mistyped_ignore_path(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_equal():
    assert_events_equal(OPT_IN, OPT_IN, ignore=["last_update"])
""",
    )
    result.stdout.fnmatch_lines(
        [
            '>       assert_events_equal(OPT_IN, OPT_IN, ignore=["last_update"])',
            "E       pytest_thrillpots._errors.UnknownFieldError: ignore='last_update' names no field of any ThrillPots"
            " event. Did you mean 'last_updated'?",
            "",
            "test_user.py:*: UnknownFieldError",
        ],
        consecutive=True,
    )
    # A mistake in the call points at the call, not into the library.
    assert "pytest_thrillpots/" not in result.stdout.str()


def test_matches_spec_names_a_mistyped_field_at_the_call(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_matcher():
    assert OPT_IN == matches_spec("OptInEvent", opted=True)
""",
    )
    result.stdout.fnmatch_lines(
        [
            '>       assert OPT_IN == matches_spec("OptInEvent", opted=True)',
            "E       pytest_thrillpots._errors.UnknownFieldError: OptInEvent has no field 'opted' (opted is not in the"
            " spec). Did you mean 'opted_in'? Its fields are: *",
        ]
    )
    assert "pytest_thrillpots/" not in result.stdout.str()


def test_matcher_failure_shows_violations_and_field_differences_and_nothing_else(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_matcher():
    event = {**OPT_IN, "contribution_count": "3"}
    assert event == matches_spec("OptInEvent", player_id="p-2", opted_in=True)
""",
        "--color=no",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '>       assert event == matches_spec("OptInEvent", player_id="p-2", opted_in=True)',
            "E       assert payload does not match matches_spec('OptInEvent', player_id='p-2', opted_in=True)",
            "E         spec violations:",
            'E           contribution_count: expected number, got string "3" [type]',
            "E         field differences:",
            "E           player_id",
            'E             - expected: "p-2"',
            'E             + actual:   "p-1"',
            "",
            "test_user.py:*: AssertionError",
        ],
        consecutive=True,
    )
    assert "Use -v" not in result.stdout.str()
    assert "Full diff" not in result.stdout.str()


def test_matcher_failure_reads_the_same_with_the_matcher_on_the_left_and_with_verbose(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
def test_matcher():
    assert matches_spec("OptInEvent", player_id="p-2") == OPT_IN
""",
        "-vv",
        "--color=no",
    )
    result.stdout.fnmatch_lines(
        [
            "E       assert payload does not match matches_spec('OptInEvent', player_id='p-2')",
            "E         field differences:",
            "E           player_id",
            'E             - expected: "p-2"',
            'E             + actual:   "p-1"',
        ],
        consecutive=True,
    )


def test_matcher_against_something_not_an_object(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_matcher():
    assert [OPT_IN] == matches_spec("OptInEvent")
""",
        "--color=no",
    )
    result.stdout.fnmatch_lines(
        [
            "E       *assert payload does not match matches_spec('OptInEvent')",
            "E         *expected a OptInEvent object, got list",
        ],
        consecutive=True,
    )


def test_a_matched_matcher_inside_a_list_shows_only_the_real_difference(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_batch():
    assert [OPT_IN, 1] == [matches_spec("OptInEvent"), 2]
""",
        "-vv",
        "--color=no",
    )
    result.stdout.fnmatch_lines(["E         At index 1 diff: 1 != 2"])
    assert "matches_spec(" not in "\n".join(line for line in result.stdout.lines if line.startswith("E"))


MATCHER_FAILS = """
def test_matcher():
    assert OPT_IN == matches_spec("OptInEvent", player_id="p-2")
"""


def test_matcher_differences_are_coloured_when_pytest_colours(pytester: pytest.Pytester) -> None:
    result = run(pytester, MATCHER_FAILS, "--color=yes")
    output = result.stdout.str()
    assert '\x1b[31m- expected: "p-2"\x1b[0m' in output
    assert '\x1b[32m+ actual:   "p-1"\x1b[0m' in output


def test_no_color_turns_the_colours_off(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = run(pytester, MATCHER_FAILS, "--color=yes")
    result.stdout.fnmatch_lines(['*- expected: "p-2"*', '*+ actual:   "p-1"*'])
    for line in result.stdout.lines:
        if "expected:" in line or "actual:" in line:
            assert "\x1b[31m-" not in line and "\x1b[32m+" not in line, line


def test_no_colour_without_a_terminal(pytester: pytest.Pytester) -> None:
    result = run(pytester, MATCHER_FAILS)
    assert "\x1b[" not in result.stdout.str()
    result.stdout.fnmatch_lines(['E             - expected: "p-2"', 'E             + actual:   "p-1"'])


def test_other_comparisons_keep_pytests_own_report(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_plain():
    assert {"a": 1} == {"a": 2}
""",
        "--color=no",
    )
    result.stdout.fnmatch_lines(["E       AssertionError: assert {'a': 1} == {'a': 2}", "*Differing items:*"])


def test_huge_and_cyclic_payloads_keep_every_reported_line_short(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_matcher():
    event = {**OPT_IN, "player_id": "p" * 100_000}
    event["self"] = event
    assert event == matches_spec("OptInEvent", player_id="p-1")

def test_equal():
    event = {**OPT_IN, "note\\x1b[31m": "n" * 100_000}
    event["self"] = event
    assert_events_equal(event, OPT_IN)
""",
        "-vv",
        "--color=no",
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "E       assert payload does not match matches_spec('OptInEvent', player_id='p-1')",
            "E         spec violations:",
            "E           <event>: not JSON: a container that holds itself (a cycle) at self [type]",
            "E         field differences:",
            "E           player_id",
            'E             - expected: "p-1"',
            'E             + actual:   "' + "p" * 78 + "… (100002 characters)",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: events differ at 2 paths",
            'E         ["note\\u001b[31m"]',
            "E           - expected: (absent)",
            'E           + actual:   "' + "n" * 78 + "… (100002 characters)",
            "E         self",
            "E           - expected: (absent)",
            'E           + actual:   {"instance_id":"inst-1","player_id":"p-1",*… (* characters)',
        ],
        consecutive=True,
    )
    reported = [line for line in result.stdout.lines if line.startswith("E ")]
    assert max(map(len, reported)) <= len("E             + actual:   ") + 80 + len(" (100254 characters)")
    assert "\x1b" not in result.stdout.str()

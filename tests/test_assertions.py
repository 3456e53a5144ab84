"""The assertion helpers, called directly: their verdicts and the exact text of their failures.

tests/plugin/test_assertions.py shows the same failures as pytest prints them in a user's repo.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from _validation_samples import PAYOUT, legacy_raffle, valid_event
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import (
    SpecMatcher,
    UnknownEventTypeError,
    UnknownFieldError,
    assert_events_equal,
    assert_valid,
    matches_spec,
)
from pytest_thrillpots._assertions import event_differences, json_equal
from pytest_thrillpots._render import MAX_DIFFERENCES, difference_lines, render_value, violation_lines
from pytest_thrillpots.validation._violation import Violation


def failure(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(AssertionError) as raised:
        call(*args, **kwargs)
    return str(raised.value)


# assert_valid


def test_assert_valid_passes_a_valid_event_and_returns_none() -> None:
    assert assert_valid(valid_event("WinEvent"), "WinEvent", strict=True) is None  # type: ignore[func-returns-value]


def test_assert_valid_lists_every_violation_with_path_expected_actual_and_rule() -> None:
    event = valid_event("JackpotUpdateEvent")
    event["pots"][1]["is_progressive"] = "no"
    del event["pots"][0]["current_value"]
    event["jackpot_type"] = "Lottery"
    assert failure(assert_valid, event, "JackpotUpdateEvent") == (
        "JackpotUpdateEvent is not valid: 3 violations\n"
        '  jackpot_type: expected "Jackpot" or "Raffle", got string "Lottery" [enum]\n'
        "  pots[0].current_value: expected number, but the field is missing [missing]\n"
        '  pots[1].is_progressive: expected boolean, got string "no" [type]'
    )


def test_assert_valid_strict_says_so_and_names_unknown_fields() -> None:
    event = valid_event("OptInEvent")
    event["opted_in"] = 1
    event["segment"] = "vip"
    assert failure(assert_valid, event, "OptInEvent", strict=True) == (
        "OptInEvent is not valid (strict): 2 violations\n"
        "  opted_in: expected boolean, got number 1 [type]\n"
        '  segment: unknown field, not listed in the OptInEvent spec (strict mode), got string "vip" [unknown_field]'
    )
    assert_valid(event | {"opted_in": True}, "OptInEvent")


def test_assert_valid_one_violation_is_singular() -> None:
    assert failure(
        assert_valid, {**valid_event("RafflePayoutErrorEvent"), "instance_id": None}, "RafflePayoutErrorEvent"
    ) == (
        "RafflePayoutErrorEvent is not valid: 1 violation\n"
        "  instance_id: expected string, got null (null is not allowed here) [null]"
    )


def test_assert_valid_on_json_text_and_legacy_winners() -> None:
    assert failure(assert_valid, b'{"instance_id": ', "OptInEvent") == (
        "OptInEvent is not valid: 1 violation\n"
        "  <event>: not valid JSON: unexpected end of data at line 1 column 17 [json]"
    )
    assert_valid(legacy_raffle(), "RaffleWinEvent", allow_legacy_winners=True)
    assert "[legacy_tuple]" in failure(assert_valid, legacy_raffle(), "RaffleWinEvent")


def test_assert_valid_shows_twenty_violations_then_how_many_more() -> None:
    lines = failure(assert_valid, {}, "WinEvent").splitlines()
    assert lines[0] == "WinEvent is not valid: 14 violations"
    many = [Violation(f"/x{i}", "missing", "string", "missing", "m") for i in range(MAX_DIFFERENCES + 3)]
    rendered = violation_lines(many)
    assert len(rendered) == MAX_DIFFERENCES + 1
    assert rendered[-1] == "  ... and 3 more violations"
    assert violation_lines(many[: MAX_DIFFERENCES + 1])[-1] == "  ... and 1 more violation"


def test_assert_valid_rejects_an_unknown_event_type() -> None:
    with pytest.raises(UnknownEventTypeError, match="use one of JackpotUpdateEvent"):
        assert_valid({}, "Jackpot")


# assert_events_equal


def test_assert_events_equal_passes_equal_events_and_json_equal_numbers() -> None:
    assert_events_equal(valid_event("WinEvent"), valid_event("WinEvent"))
    assert_events_equal({"seed": 42.0, "a": [1.0]}, {"seed": 42, "a": [1]})
    assert_events_equal({"seed": 42.0000001}, {"seed": pytest.approx(42)})
    assert_events_equal({"seed": pytest.approx(42)}, {"seed": 42.0000001}, ignore=["timestamp"])


def test_assert_events_equal_shows_only_the_differing_paths() -> None:
    actual = valid_event("WinEvent")
    expected = valid_event("WinEvent")
    actual["community_winners"][0]["win_amount"] = 13
    actual["metadata"] = None
    actual["games_in_jackpot"].append("book-of-ra")
    del actual["seed"]
    assert failure(assert_events_equal, actual, expected) == (
        "events differ at 4 paths\n"
        "  community_winners[0].win_amount\n"
        "    - expected: 12.5\n"
        "    + actual:   13\n"
        "  games_in_jackpot[1]\n"
        "    - expected: (absent)\n"
        '    + actual:   "book-of-ra"\n'
        "  metadata\n"
        '    - expected: {"campaign":"winter","tags":["a",1,null]}\n'
        "    + actual:   null\n"
        "  seed\n"
        "    - expected: 42\n"
        "    + actual:   (absent)"
    )


def test_a_boolean_never_equals_a_number() -> None:
    assert failure(assert_events_equal, {"win_withheld": 0}, {"win_withheld": False}) == (
        "events differ at 1 path\n  win_withheld\n    - expected: false\n    + actual:   0"
    )
    assert failure(assert_events_equal, {"seed": True}, {"seed": 1}) == (
        "events differ at 1 path\n  seed\n    - expected: 1\n    + actual:   true"
    )


def test_ignore_takes_field_paths_with_wildcards() -> None:
    actual = valid_event("WinEvent")
    expected = valid_event("WinEvent")
    actual["timestamp"] = 1
    actual["community_winners"] = [{**PAYOUT, "player_id": "other"}, {**PAYOUT, "player_id": "third"}]
    expected["community_winners"] = [PAYOUT, {**PAYOUT, "player_id": "fourth"}]
    assert_events_equal(actual, expected, ignore=["timestamp", "community_winners[*].player_id"])
    assert failure(assert_events_equal, actual, expected, ignore=["timestamp", "community_winners[0].player_id"]) == (
        'events differ at 1 path\n  community_winners[1].player_id\n    - expected: "fourth"\n    + actual:   "third"'
    )


@pytest.mark.parametrize(
    "ignore",
    ["community_winners", "community_winners[1]", "community_winners[*]", "metadata.campaign", "metadata"],
)
def test_ignore_takes_whole_subtrees_items_and_paths_inside_metadata(ignore: str) -> None:
    actual = valid_event("WinEvent")
    expected = valid_event("WinEvent")
    actual["community_winners"].append({**PAYOUT, "win_amount": 1})
    expected["community_winners"].append({**PAYOUT, "win_amount": 2})
    actual["metadata"]["campaign"] = "summer"
    if ignore.startswith("metadata"):
        actual["community_winners"] = expected["community_winners"]
    else:
        actual["metadata"] = expected["metadata"]
    assert_events_equal(actual, expected, ignore=[ignore])


def test_ignore_of_a_field_no_event_has_is_an_error_with_suggestions() -> None:
    with pytest.raises(UnknownFieldError) as raised:
        assert_events_equal({}, {}, ignore=["timestamps"])
    assert str(raised.value) == (
        "ignore='timestamps' names no field of any ThrillPots event. "
        "Did you mean 'timestamp' or 'timestamp_start' or 'timestamp_end'?"
    )
    with pytest.raises(UnknownFieldError, match=r"cannot read field path 'pots\.\.0' at character 5"):
        assert_events_equal({}, {}, ignore=["pots..0"])


def test_ignore_is_checked_even_when_the_events_are_equal() -> None:
    with pytest.raises(UnknownFieldError):
        assert_events_equal({"a": 1}, {"a": 1}, ignore=["no_such_field"])


def test_ignore_order_compares_arrays_as_multisets() -> None:
    actual = valid_event("RaffleWinEvent")
    expected = valid_event("RaffleWinEvent")
    actual["winners"].reverse()
    assert "winners[0].player_id" in failure(assert_events_equal, actual, expected)
    assert_events_equal(actual, expected, ignore_order=True)
    actual["winners"][0]["win_amount"] = 99
    message = failure(assert_events_equal, actual, expected, ignore_order=True)
    assert message.startswith("events differ at 1 path\n  winners[")
    assert message.endswith("win_amount\n    - expected: 7\n    + actual:   99")


def test_a_long_value_is_cut_to_one_readable_line() -> None:
    assert render_value("x" * 200) == '"' + "x" * 78 + "… (202 characters)"
    assert render_value({"b": [1, None]}) == '{"b":[1,null]}'
    assert render_value({1: "non-string key"}) == '{"1":"non-string key"}'
    assert render_value({1, 2}) == "{1, 2}"


def test_differences_beyond_twenty_are_counted() -> None:
    actual = {f"k{i:02}": i for i in range(25)}
    message = failure(assert_events_equal, actual, {key: -1 for key in actual})
    assert message.splitlines()[0] == "events differ at 25 paths"
    assert message.splitlines()[-1] == "  ... and 5 more differences"
    assert len(message.splitlines()) == 1 + 3 * MAX_DIFFERENCES + 1


def test_difference_lines_colour_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    difference = [(["seed"], 1, 2)]
    assert difference_lines(difference) == ["  seed", "    - expected: 1", "    + actual:   2"]  # type: ignore[arg-type]
    assert difference_lines(difference, colour=True) == [  # type: ignore[arg-type]
        "  seed",
        "    \x1b[31m- expected: 1\x1b[0m",
        "    \x1b[32m+ actual:   2\x1b[0m",
    ]
    monkeypatch.setenv("NO_COLOR", "1")
    assert difference_lines(difference, colour=True) == ["  seed", "    - expected: 1", "    + actual:   2"]  # type: ignore[arg-type]


# json_equal


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (1, 1.0, True),
        (True, 1, False),
        (False, 0, False),
        (True, True, True),
        ({"a": [1, 2]}, {"a": (1, 2)}, True),
        ({"a": 1}, {"a": 1, "b": None}, False),
        ([1, 2], [2, 1], False),
        (None, None, True),
        ("1", 1, False),
        (0.1 + 0.2, pytest.approx(0.3), True),
    ],
)
def test_json_equal_is_equality_as_json_means_it(a: object, b: object, equal: bool) -> None:
    assert json_equal(a, b) is equal
    assert json_equal(b, a) is equal


# Leaves Python counts equal and JSON does not (False and 0, True and 1.0) are drawn often on purpose.
CONFUSABLE_LEAVES = st.sampled_from([None, True, False, 0, 1, 0.0, -0.0, 1.0, 2.5, 2**60, "", "a"])
JSON = st.recursive(
    CONFUSABLE_LEAVES
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["a", "b"]) | st.text(max_size=4), children, max_size=3),
    max_leaves=15,
)


def confusable_twin(draw: Any, value: Any) -> Any:
    """The same document with each 0/false and 1/true leaf redrawn among the values Python counts equal."""
    if isinstance(value, list):
        return [confusable_twin(draw, item) for item in value]
    if isinstance(value, dict):
        return {key: confusable_twin(draw, item) for key, item in value.items()}
    if isinstance(value, (bool, int, float)) and value in (0, 1):
        return draw(st.sampled_from([False, 0, 0.0, -0.0] if value == 0 else [True, 1, 1.0]))
    return value


def as_multiset(value: Any) -> str:
    """A canonical text of a document whose arrays are multisets: equal exactly when JSON-equal up to order."""
    if value is None or isinstance(value, (bool, str)):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else repr(value)
    if isinstance(value, list):
        return "[" + ",".join(sorted(map(as_multiset, value))) + "]"
    return "{" + ",".join(sorted(json.dumps(key) + ":" + as_multiset(item) for key, item in value.items())) + "}"


@settings(max_examples=300, deadline=None)
@given(a=JSON, b=JSON)
@example(a=[[], [False, False]], b=[[], [False, 0]])
def test_event_differences_is_empty_exactly_when_json_equal(a: Any, b: Any) -> None:
    assert json_equal(a, a)
    assert (event_differences(a, b) == []) == json_equal(a, b)


@settings(max_examples=300, deadline=None)
@given(a=JSON, data=st.data())
def test_booleans_never_pass_for_numbers_in_any_position(a: Any, data: st.DataObject) -> None:
    b = confusable_twin(data.draw, a)
    assert (event_differences(a, b) == []) == json_equal(a, b)
    assert (event_differences(a, b, ignore_order=True) == []) == (as_multiset(a) == as_multiset(b))


@settings(max_examples=300, deadline=None)
@given(a=JSON, b=JSON)
@example(a=[None], b=[None, None])
def test_ignore_order_is_empty_exactly_when_equal_as_multisets(a: Any, b: Any) -> None:
    assert (event_differences(a, b, ignore_order=True) == []) == (as_multiset(a) == as_multiset(b))


@settings(max_examples=150, deadline=None)
@given(items=st.lists(JSON, max_size=5), data=st.data())
def test_ignore_order_accepts_every_permutation(items: list[Any], data: st.DataObject) -> None:
    assert event_differences(data.draw(st.permutations(items)), items, ignore_order=True) == []


def test_ignore_order_counts_repeated_items() -> None:
    win = {"player_id": "p-1", "win_amount": 5}
    message = failure(assert_events_equal, {"winners": [win, win]}, {"winners": [win]}, ignore_order=True)
    assert message == (
        "events differ at 1 path\n"
        "  winners[0]\n"
        '    - expected: {"player_id":"p-1","win_amount":5} (1 time)\n'
        '    + actual:   {"player_id":"p-1","win_amount":5} (2 times)'
    )


def test_false_is_not_zero_inside_an_array() -> None:
    assert failure(assert_events_equal, {"flags": [False, False]}, {"flags": [False, 0]}) == (
        "events differ at 1 path\n  flags[1]\n    - expected: 0\n    + actual:   false"
    )


# matches_spec


def test_matches_spec_equals_a_valid_payload_with_the_named_fields() -> None:
    event = valid_event("WinEvent")
    assert event == matches_spec("WinEvent", player_id="p-1", seed=42.0)
    assert matches_spec("WinEvent", player_id="p-1") == event
    assert event == matches_spec(
        "WinEvent", currency_multipliers__multipliers__GBP=0.86, community_winners__0__win_amount=12.5
    )
    assert event == matches_spec("WinEvent", metadata__campaign="winter", timestamp=pytest.approx(1.7e9, rel=0.01))
    assert event != matches_spec("WinEvent", player_id="p-2")
    assert event != matches_spec("WinEvent", win_withheld=0)
    assert event != matches_spec("WinEvent", community_winners__5__win_amount=12.5)
    assert event != matches_spec("OptInEvent")


def test_matches_spec_requires_validity_and_honours_strict() -> None:
    event = valid_event("WinEvent")
    event["extra"] = 1
    assert event == matches_spec("WinEvent")
    assert event != matches_spec("WinEvent", strict=True)
    assert {**event, "seed": "42"} != matches_spec("WinEvent")
    assert matches_spec("WinEvent") != []
    assert matches_spec("WinEvent") != None  # noqa: E711


def test_matches_spec_inside_a_larger_structure() -> None:
    events = [valid_event("OptInEvent"), valid_event("RafflePayoutErrorEvent")]
    assert events == [matches_spec("OptInEvent", opted_in=True), matches_spec("RafflePayoutErrorEvent")]
    assert {"batch": events} == {"batch": [matches_spec("OptInEvent"), matches_spec("RafflePayoutErrorEvent")]}


def test_matches_spec_repr_is_the_call_until_it_matches_then_the_payload() -> None:
    matcher = matches_spec("OptInEvent", player_id="p-1", strict=True)
    assert repr(matcher) == "matches_spec('OptInEvent', player_id='p-1', strict=True)"
    event = valid_event("OptInEvent")
    assert matcher == event
    assert repr(matcher) == repr(event)
    assert matcher != {}
    assert repr(matcher) == "matches_spec('OptInEvent', player_id='p-1', strict=True)"


def test_matches_spec_checks_field_names_and_event_type_at_once() -> None:
    with pytest.raises(UnknownFieldError, match=r"OptInEvent has no field 'opted' .* Did you mean 'opted_in'\?"):
        matches_spec("OptInEvent", opted=True)
    with pytest.raises(UnknownEventTypeError, match="unknown event type 'Optin'"):
        matches_spec("Optin")


def test_matches_spec_is_unhashable_and_equal_only_to_itself_among_matchers() -> None:
    matcher = matches_spec("OptInEvent")
    assert isinstance(matcher, SpecMatcher)
    assert matcher == matcher
    assert matcher != matches_spec("OptInEvent")
    with pytest.raises(TypeError):
        hash(matcher)


def test_explain_lists_violations_then_field_differences() -> None:
    event = valid_event("OptInEvent")
    event["contribution_count"] = "3"
    matcher = matches_spec("OptInEvent", player_id="p-9", opted_in=True)
    assert matcher.explain(event) == [
        "payload does not match matches_spec('OptInEvent', player_id='p-9', opted_in=True)",
        "spec violations:",
        '  contribution_count: expected number, got string "3" [type]',
        "field differences:",
        "  player_id",
        '    - expected: "p-9"',
        '    + actual:   "p-1"',
    ]
    assert matcher.explain(["not", "an", "object"]) == [
        "payload does not match matches_spec('OptInEvent', player_id='p-9', opted_in=True)",
        "  expected a OptInEvent object, got list",
    ]


def test_ignore_order_pairs_items_whose_numbers_differ_only_in_form() -> None:
    """7 and 7.0 are one JSON number: the items pair up, and only the real change is shown."""
    expected = {"failed_payouts": [{**PAYOUT, "win_amount": 12}, {**PAYOUT, "player_id": "p-9", "win_amount": 7}]}
    actual = {"failed_payouts": [{**PAYOUT, "player_id": "p-9", "win_amount": 7.0}, {**PAYOUT, "win_amount": 13}]}
    assert failure(assert_events_equal, actual, expected, ignore_order=True) == (
        "events differ at 1 path\n  failed_payouts[0].win_amount\n    - expected: 12\n    + actual:   13"
    )
    assert_events_equal({"a": [10**400, 1]}, {"a": [1.0, 10**400]}, ignore_order=True)

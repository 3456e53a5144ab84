"""The assertion helpers, called directly: their verdicts and the exact text of their failures.

tests/plugin/test_assertions.py shows the same failures as pytest prints them in a user's repo;
tests/test_render.py how values, paths and violations are written on their lines.
"""

from __future__ import annotations

import copy
import enum
import itertools
import json
import random
from typing import Any

import orjson
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
from pytest_thrillpots._assertions import event_differences
from pytest_thrillpots._render import MAX_DIFFERENCES, MAX_KEY_WIDTH, MAX_VALUE_WIDTH
from pytest_thrillpots.comparison._comparison import _Comparison, json_equal
from pytest_thrillpots.comparison._core import _shortcut


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


def test_assert_valid_counts_every_violation_in_its_header() -> None:
    lines = failure(assert_valid, {}, "WinEvent").splitlines()
    assert lines[0] == "WinEvent is not valid: 14 violations"
    assert len(lines) == 1 + 14


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


def test_differences_beyond_twenty_are_counted() -> None:
    actual = {f"k{i:02}": i for i in range(25)}
    message = failure(assert_events_equal, actual, {key: -1 for key in actual})
    assert message.splitlines()[0] == "events differ at 25 paths"
    assert message.splitlines()[-1] == "  ... and 5 more differences"
    assert len(message.splitlines()) == 1 + 3 * MAX_DIFFERENCES + 1


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
        (float("nan"), float("nan"), True),
        ([float("nan")], [None], False),
        (float("nan"), float("inf"), False),
        (-0.0, 0, True),
        (2**70, float(2**70), True),
        (2**70 + 1, float(2**70), False),
        ({"m": {"a": 1.0000001}}, {"m": pytest.approx({"a": 1.0})}, True),
        ({"m": {"a": 1.1}}, {"m": pytest.approx({"a": 1.0})}, False),
    ],
)
def test_json_equal_is_equality_as_json_means_it(a: object, b: object, equal: bool) -> None:
    assert json_equal(a, b) is equal
    assert json_equal(b, a) is equal


# Leaves Python counts equal and JSON does not (False and 0, True and 1.0) are drawn often on purpose.
CONFUSABLE_LEAVES = st.sampled_from([None, True, False, 0, 1, 0.0, -0.0, 1.0, 2.5, 2**60, "", "a"])
JSON = st.recursive(
    CONFUSABLE_LEAVES | st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "b"]) | st.text(max_size=4), children, max_size=3)
    ),
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


# equality as JSON means it, whatever the value's shape


def nested(depth: int, leaf: object = 1) -> Any:
    value: Any = leaf
    for _ in range(depth):
        value = [value]
    return value


def test_an_event_that_contains_itself_equals_itself_and_its_twin() -> None:
    event = valid_event("WinEvent")
    event["metadata"] = {"campaign": "winter"}
    event["metadata"]["self"] = event["metadata"]
    twin = copy.deepcopy(event)
    assert_events_equal(event, event)
    assert_events_equal(event, twin)
    assert_events_equal(event, twin, ignore_order=True)
    one: list[Any] = []
    one.append(one)
    two: list[Any] = [[]]
    two[0].append(two)
    assert json_equal(one, two)  # [[[...]]] both ways: no finite walk tells them apart


def test_a_cycle_on_one_side_differs_where_the_other_side_ends() -> None:
    cyclic: dict[str, Any] = {"x": 1}
    cyclic["self"] = cyclic
    finite = {"x": 1, "self": {"x": 1, "self": {"x": 2}}}
    assert failure(assert_events_equal, {"metadata": cyclic}, {"metadata": finite}) == (
        "events differ at 2 paths\n"
        "  metadata.self.self.self\n"
        "    - expected: (absent)\n"
        '    + actual:   {"x":1,"self":(cycle)}\n'
        "  metadata.self.self.x\n"
        "    - expected: 2\n"
        "    + actual:   1"
    )
    assert not json_equal(cyclic, finite)


def test_events_nested_past_the_interpreters_limit_compare_without_recursion_error() -> None:
    assert_events_equal({"metadata": nested(100_000)}, {"metadata": nested(100_000)})
    assert_events_equal({"metadata": nested(2_000)}, {"metadata": nested(2_000)}, ignore_order=True)
    assert json_equal(nested(20_000, 1.0), nested(20_000, 1))
    message = failure(assert_events_equal, {"metadata": nested(20_000, 1)}, {"metadata": nested(20_000, 2)})
    path = "metadata" + "[0]" * 20_000
    assert message == (
        "events differ at 1 path\n"
        f"  {path[:59]}…{path[-60:]} ({len(path)} characters)\n"
        "    - expected: 2\n"
        "    + actual:   1"
    )


def test_a_nan_equals_a_nan_and_nothing_else() -> None:
    nan = float("nan")
    assert_events_equal({"seed": nan}, {"seed": nan})
    assert_events_equal({"seed": nan, "games": [nan, 1]}, {"seed": float("nan"), "games": [1, nan]}, ignore_order=True)
    assert failure(assert_events_equal, {"seed": nan}, {"seed": None}) == (
        "events differ at 1 path\n  seed\n    - expected: null\n    + actual:   NaN"
    )
    assert failure(assert_events_equal, {"seed": [nan]}, {"seed": [float("inf")]}) == (
        "events differ at 1 path\n  seed[0]\n    - expected: Infinity\n    + actual:   NaN"
    )


def test_a_matcher_for_a_whole_object_decides_for_it() -> None:
    assert_events_equal({"metadata": {"round": 1.0000001}}, {"metadata": pytest.approx({"round": 1.0})})
    assert failure(assert_events_equal, {"metadata": {"round": 2}}, {"metadata": pytest.approx({"round": 1.0})}) == (
        "events differ at 1 path\n"
        "  metadata\n"
        "    - expected: approx({'round': 1.0 ± 1.0e-06})\n"
        '    + actual:   {"round":2}'
    )


class Colour(enum.Enum):
    RED = "red"


def test_a_value_that_is_not_json_is_equal_only_by_its_own_eq() -> None:
    assert failure(assert_events_equal, {"currency": Colour.RED}, {"currency": "red"}) == (
        'events differ at 1 path\n  currency\n    - expected: "red" (str)\n    + actual:   "red" (Colour)'
    )
    assert_events_equal({"currency": Colour.RED}, {"currency": Colour.RED})


def test_a_huge_key_or_value_prints_a_short_line() -> None:
    key = "k" * 1_000_000
    assert failure(assert_events_equal, {"metadata": {key: "v" * 1_000_000}}, {"metadata": {key: 1}}) == (
        "events differ at 1 path\n"
        f'  metadata["{key[: MAX_KEY_WIDTH - 1]}… (1000000 characters)"]\n'
        "    - expected: 1\n"
        f'    + actual:   "{"v" * (MAX_VALUE_WIDTH - 2)}… (1000002 characters)'
    )


# the equal path: one C-speed check, held to the walk's verdict


def test_equal_events_are_told_equal_without_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_walk(*args: object, **kwargs: object) -> None:
        raise AssertionError("equal events must not reach the walk")

    monkeypatch.setattr(_Comparison, "differences", no_walk)
    event = valid_event("WinEvent")
    assert_events_equal(event, orjson.loads(orjson.dumps(event)))
    assert_events_equal(event, dict(reversed(list(event.items()))))  # keys in another order
    assert_events_equal(event, orjson.loads(orjson.dumps(event)), ignore=["timestamp"], ignore_order=True)
    assert event_differences(event, copy.deepcopy(event)) == []


# Leaves Python counts equal and JSON does not, numbers msgpack writes differently though equal,
# and values only the walk can judge (NaN, tuples, integers past 64 bits, matchers).
TRICKY_LEAVES = st.sampled_from(
    [True, False, 0, 1, 0.0, -0.0, 1.0, float("nan"), float("inf"), 2**64, float(2**64), None, "", "a"]
)
TRICKY = st.recursive(
    st.one_of(TRICKY_LEAVES, TRICKY_LEAVES, TRICKY_LEAVES, st.integers(), st.floats(), st.text(max_size=3)),
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(st.sampled_from(["a", "b", "c"]), children, max_size=3)
    ),
    max_leaves=12,
)


def tricky_twin(draw: Any, value: Any, *, loose: bool) -> Any:
    """The same document redrawn where it may stay equal as JSON or stop being so while ``==`` still
    holds: 0/false and 1/true swapped, keys reordered, sub-documents shared rather than copied; and
    when ``loose``, lists and tuples swapped and NaNs renewed (which ``==`` counts as differences)."""
    if draw(st.integers(0, 9)) == 0:
        return value  # the very same object
    if isinstance(value, (list, tuple)):
        items = [tricky_twin(draw, item, loose=loose) for item in value]
        return tuple(items) if (isinstance(value, tuple) != (loose and draw(st.booleans()))) else items
    if isinstance(value, dict):
        keys = list(value)
        if draw(st.booleans()):
            keys.reverse()
        return {key: tricky_twin(draw, value[key], loose=loose) for key in keys}
    if isinstance(value, float) and value != value:
        return float("nan") if loose else value
    if isinstance(value, (bool, int, float)) and value in (0, 1):
        return draw(st.sampled_from([False, 0, 0.0, -0.0] if value == 0 else [True, 1, 1.0]))
    return value


def walk_alone(a: Any, b: Any, *, ignore_order: bool) -> list[Any]:
    return _Comparison(ignore_order=ignore_order, shortcuts=False).differences(b, a, ())


@settings(max_examples=400, deadline=None)
@given(a=TRICKY, data=st.data())
@example(a={"a": True, "b": [0]}, data=None)
def test_the_c_speed_check_never_passes_what_the_walk_fails(a: Any, data: st.DataObject | None) -> None:
    b = a if data is None else tricky_twin(data.draw, a, loose=data.draw(st.booleans()))
    for ignore_order in (False, True):
        alone = walk_alone(a, b, ignore_order=ignore_order)
        if _shortcut(a, b) is True:
            assert alone == []
        # The check only prunes: with it the walk finds exactly what it finds alone.
        assert _Comparison(ignore_order=ignore_order).differences(b, a, ()) == alone
    assert json_equal(a, b) == (walk_alone(a, b, ignore_order=False) == [])
    assert (event_differences(a, b) == []) == json_equal(a, b)


# ignore_order pairs items by content


def shuffled_winners(count: int, changed: int, seed: int) -> tuple[list[Any], list[Any], list[int]]:
    rng = random.Random(seed)
    winners = [
        {"player_id": f"p-{i}", "brand_id": "brand-1", "currency": rng.choice("ABCDE"), "win_amount": rng.randrange(99)}
        for i in range(count)
    ]
    actual = copy.deepcopy(winners)
    rng.shuffle(actual)
    positions = rng.sample(range(count), changed)
    for position in positions:
        actual[position]["win_amount"] += 1
    changed_ids = {actual[position]["player_id"] for position in positions}
    return actual, winners, sorted(i for i, w in enumerate(winners) if w["player_id"] in changed_ids)


def test_ignore_order_pairs_changed_items_by_their_content_not_their_place() -> None:
    actual, expected, changed = shuffled_winners(10_000, 1_000, seed=3)
    by_id = {winner["player_id"]: winner for winner in actual}
    differences = event_differences({"community_winners": actual}, {"community_winners": expected}, ignore_order=True)
    assert differences == [
        (
            ["community_winners", i, "win_amount"],
            expected[i]["win_amount"],
            by_id[expected[i]["player_id"]]["win_amount"],
        )
        for i in changed
    ]


@settings(max_examples=100, deadline=None)
@given(
    amounts=st.lists(st.integers(0, 10**6), min_size=1, max_size=12, unique=True),
    data=st.data(),
)
def test_ignore_order_names_exactly_the_changed_fields_of_items_with_an_id(
    amounts: list[int], data: st.DataObject
) -> None:
    """Items with an id, changed to values no other item holds: the report names the changes, at
    each item's place in expected, whatever the order of actual."""
    expected = [
        {"player_id": f"p-{i}", "currency": data.draw(st.sampled_from("AB")), "win_amount": amount}
        for i, amount in enumerate(amounts)
    ]
    actual = copy.deepcopy(expected)
    changes = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(amounts) - 1), st.sampled_from(["currency", "win_amount"])),
            unique_by=lambda c: c[0],
        )
    )
    wanted = []
    for index, field in changes:
        new = "C" if field == "currency" else -1 - index
        actual[index][field] = new
        wanted.append((["winners", index, field], expected[index][field], new))
    shuffled = data.draw(st.permutations(actual))
    assert event_differences({"winners": shuffled}, {"winners": expected}, ignore_order=True) == sorted(wanted)


def test_matchers_in_arrays_compared_as_multisets_pair_up_in_any_order() -> None:
    expected = [pytest.approx(1.0, abs=0.5), pytest.approx(1.4, abs=0.1), {"win_amount": pytest.approx(7)}]
    for actual in itertools.permutations([1.0, 1.4, {"win_amount": 7.0000001}]):
        assert_events_equal({"pots": list(actual)}, {"pots": expected}, ignore_order=True)
    assert failure(assert_events_equal, {"pots": [1.4, 3.0]}, {"pots": expected[:2]}, ignore_order=True) == (
        "events differ at 1 path\n  pots[1]\n    - expected: 1.4 ± 0.1\n    + actual:   3.0"
    )
    assert_events_equal([1.0, 1.0], [1.0, pytest.approx(1.0)], ignore_order=True)


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.floats(-10, 10), max_size=7), data=st.data())
def test_overlapping_matchers_accept_every_permutation(values: list[float], data: st.DataObject) -> None:
    """Each matcher equals its own value and maybe others: a pairing where all succeed always exists."""
    tolerances = data.draw(st.lists(st.floats(0, 5), min_size=len(values), max_size=len(values)))
    expected = [pytest.approx(value, abs=tolerance) for value, tolerance in zip(values, tolerances, strict=True)]
    assert event_differences(data.draw(st.permutations(values)), expected, ignore_order=True) == []
    assert (
        event_differences([{"v": v} for v in reversed(values)], [{"v": m} for m in expected], ignore_order=True) == []
    )


def test_ignore_order_shows_an_item_only_in_actual_at_its_place_in_actual() -> None:
    expected = {"games_in_jackpot": ["a", "b"]}
    assert failure(assert_events_equal, {"games_in_jackpot": ["c", "b", "a"]}, expected, ignore_order=True) == (
        'events differ at 1 path\n  games_in_jackpot[0]\n    - expected: (absent)\n    + actual:   "c"'
    )
    assert failure(assert_events_equal, {"games_in_jackpot": ["b", "z"]}, expected, ignore_order=True) == (
        'events differ at 1 path\n  games_in_jackpot[0]\n    - expected: "a"\n    + actual:   "z"'
    )


# matches_spec on values of any shape


def test_matches_spec_on_a_cyclic_or_deep_payload_answers_and_explains() -> None:
    event = valid_event("WinEvent")
    event["metadata"] = {"campaign": "winter"}
    event["metadata"]["self"] = event["metadata"]
    # A cycle cannot be sent as JSON, so no matcher takes it for an event; it says why instead of raising.
    assert event != matches_spec("WinEvent", metadata__campaign="winter")
    matcher = matches_spec("WinEvent", metadata={"campaign": "winter"})
    assert event != matcher
    assert matcher.explain(event)[1:] == [
        "spec violations:",
        "  <event>: not JSON: a container that holds itself (a cycle) at metadata.self [type]",
        "field differences:",
        "  metadata",
        '    - expected: {"campaign":"winter"}',
        '    + actual:   {"campaign":"winter","self":(cycle)}',
    ]
    event["metadata"] = {"d": nested(20_000)}
    assert event == matches_spec("WinEvent", metadata__d=nested(20_000))
    deeper = matches_spec("WinEvent", metadata__d=nested(20_001))
    assert event != deeper
    assert deeper.explain(event) == [
        "payload does not match matches_spec('WinEvent', metadata__d=" + "[" * 79 + "… (40003 characters))",
        "field differences:",
        "  metadata.d",
        # the window moves to where the two differ: the 20,001st bracket
        "    - expected: …" + "[" * 41 + "1" + "]" * 36 + "… (40003 characters)",
        "    + actual:   …" + "[" * 40 + "1" + "]" * 37 + "… (40001 characters)",
    ]


def test_matches_spec_repr_and_explanation_stay_short_for_huge_values() -> None:
    matcher = matches_spec("OptInEvent", player_id="p" * 10_000)
    assert repr(matcher) == "matches_spec('OptInEvent', player_id='" + "p" * 78 + "… (10002 characters))"
    lines = matcher.explain(valid_event("OptInEvent"))
    assert lines[1:] == [
        "field differences:",
        "  player_id",
        '    - expected: "' + "p" * 78 + "… (10002 characters)",
        '    + actual:   "p-1"',
    ]


@pytest.mark.xfail(
    strict=True,
    reason="not fixed yet: keys compare by Python's ==, so True and 1 (JSON writes 'true' and '1') are one key",
)
def test_keys_that_json_writes_differently_are_different_keys() -> None:
    with pytest.raises(AssertionError):
        assert_events_equal({True: "x"}, {1: "x"})

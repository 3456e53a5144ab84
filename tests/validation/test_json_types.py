"""Which Python values are which JSON values: a payload is judged as the text `json.dumps` writes.

One definition (validation/_json.py) for the dict path, the text path, the messages and the
conventions; the properties hold the two paths to the same violations for any input, in
default, strict and semantic modes.
"""

from __future__ import annotations

import collections
import copy
import datetime
import decimal
import enum
import json
import math
import types
from typing import Any

import orjson
import pytest
from _validation_samples import at, places, valid_event
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES, SEMANTIC_RULES, Violation, assert_valid, validate
from pytest_thrillpots.factories import factory_for
from pytest_thrillpots.validation._violation import describe_value

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOT_JSON = r"validate\(\) takes parsed JSON \(dict, list, str, int, float, bool, None\) or JSON text; "


class Count(int):
    pass


class Ratio(float):
    pass


class Label(str):
    def __str__(self) -> str:  # json writes the text, never what str() says
        return "not the text"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 1_700_000_000_000


class Kind(enum.StrEnum):
    JACKPOT = "Jackpot"


class Items(list[Any]):
    pass


class Fields(dict[Any, Any]):
    pass


def test_python_number_and_string_subclasses_are_judged_as_json_writes_them() -> None:
    event = valid_event("JackpotUpdateEvent")
    event.update(jackpot_type=Kind.JACKPOT, last_updated=Level.HIGH, timestamp_start=Count(5), currency=Label("EUR"))
    event["pots"][0]["current_value"] = Ratio(2.5)
    assert json.loads(json.dumps(event))["jackpot_type"] == "Jackpot"
    assert validate(event, "JackpotUpdateEvent", strict=True) == []
    assert validate(json.dumps(event), "JackpotUpdateEvent", strict=True) == []


def test_containers_are_judged_as_json_writes_them_tuples_and_subclasses_included() -> None:
    event = valid_event("WinEvent")
    event["games_in_jackpot"] = ("a", "b")
    event["community_winners"] = Items([Fields(event["community_winners"][0])])
    event["currency_multipliers"] = collections.OrderedDict(event["currency_multipliers"])
    event["metadata"] = Fields({"tags": ("x", 1), 7: None, True: 1.5, None: []})
    assert validate(event, "WinEvent", strict=True) == []
    assert validate(json.dumps(event), "WinEvent", strict=True) == []


def test_a_subclass_holding_a_wrong_value_is_reported_like_the_plain_value() -> None:
    event = valid_event("WinEvent")
    event["community_winners"] = (Fields({**event["community_winners"][0], "win_amount": Label("12")}),)
    expected = [
        Violation(
            "/community_winners/0/win_amount", "type", "number", 'string "12"', 'expected number, got string "12"'
        )
    ]
    assert validate(event, "WinEvent") == expected
    assert validate(json.dumps(event), "WinEvent") == expected


def test_a_defaultdict_is_read_without_adding_keys() -> None:
    event = collections.defaultdict(lambda: "added", valid_event("OptInEvent"))
    del event["player_id"]
    assert [v.path for v in validate(event, "OptInEvent")] == ["/player_id"]
    assert "player_id" not in event


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Level.HIGH, "number 1700000000000"),
        (Count(3), "number 3"),
        (Ratio(0.5), "number 0.5"),
        (Label("x"), 'string "x"'),
        (Kind.JACKPOT, 'string "Jackpot"'),
        (("a",), "array of 1 item"),
        (Fields(), "object"),
        (10**5000, "number (an integer of about 5001 digits)"),
    ],
    ids=["IntEnum", "int-subclass", "float-subclass", "str-subclass", "str-Enum", "tuple", "dict-subclass", "huge-int"],
)
def test_describe_value_shows_python_values_as_the_json_they_stand_for(value: object, shown: str) -> None:
    assert describe_value(value) == shown


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (decimal.Decimal("1.5"), "a Decimal"),
        ({1, 2}, "a set"),
        (datetime.date(2024, 1, 1), "a date"),
        (b"bytes", "a bytes"),
        (types.MappingProxyType({}), "a mappingproxy"),
        (object(), "an object"),
    ],
    ids=["Decimal", "set", "date", "bytes", "mappingproxy", "object"],
)
@pytest.mark.parametrize("field", ["contribution_count", "player_id", "unknown_one"])
def test_a_value_json_cannot_write_is_a_type_error_naming_it_and_its_place(
    value: object, what: str, field: str
) -> None:
    """As json.dumps refuses it; anywhere: a spec field, of either type, or a field the spec does not list."""
    event = {**valid_event("OptInEvent"), field: value}
    with pytest.raises(TypeError) as raised:
        json.dumps(event)
    for strict in (False, True):
        with pytest.raises(TypeError) as raised:
            validate(event, "OptInEvent", strict=strict)
        assert str(raised.value) == (
            "validate() takes parsed JSON (dict, list, str, int, float, bool, None) or JSON text; "
            f"the payload holds a value JSON cannot represent: {what} at {field}"
        )


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({(1, 2): "x"}, "a key of type tuple at metadata"),
        ({"deep": [{"a": {1.5}}]}, "a set at metadata.deep[0].a"),
        ({1: "a", "1": "b"}, """two keys that JSON writes alike (1 and '1') at metadata["1"]"""),
    ],
    ids=["tuple-key", "deep-set", "colliding-keys"],
)
def test_inside_free_form_content_too(metadata: object, message: str) -> None:
    event = {**valid_event("WinEvent"), "metadata": metadata}
    with pytest.raises(
        TypeError, match=NOT_JSON + "the payload holds a value JSON cannot represent: " + _escaped(message)
    ):
        validate(event, "WinEvent")


def _escaped(text: str) -> str:
    import re

    return re.escape(text) + r"\Z"


def test_keys_json_writes_as_strings_are_those_strings() -> None:
    event: dict[Any, Any] = {**valid_event("OptInEvent"), 5: 1, True: None}
    assert [v.path for v in validate(event, "OptInEvent", strict=True)] == ["/5", "/true"]
    assert [v.path for v in validate(json.dumps(event), "OptInEvent", strict=True)] == ["/5", "/true"]
    multipliers = valid_event("WinEvent")
    multipliers["currency_multipliers"]["multipliers"][1] = "x"
    assert [(v.path, v.rule) for v in validate(multipliers, "WinEvent")] == [
        ("/currency_multipliers/multipliers/1", "type")
    ]


def test_a_container_that_holds_itself_is_a_type_error_not_a_hang() -> None:
    event = valid_event("WinEvent")
    event["metadata"]["self"] = event["metadata"]
    with pytest.raises(TypeError, match=NOT_JSON + ".*a container that holds itself \\(a cycle\\) at metadata.self"):
        validate(event, "WinEvent")
    looped = valid_event("OptInEvent")
    looped["extra"] = [looped]
    with pytest.raises(TypeError, match="a cycle"):
        validate(looped, "OptInEvent")
    for mode in ({"strict": True}, {"semantic": True}, {"allow_legacy_winners": True}):
        with pytest.raises(TypeError, match="a cycle"):
            validate(looped, "OptInEvent", **mode)  # type: ignore[arg-type]


def test_the_same_object_twice_is_no_cycle() -> None:
    shared = {"a": [1, 2]}
    event = {**valid_event("WinEvent"), "metadata": {"x": shared, "y": shared, "z": [shared, shared]}}
    assert validate(event, "WinEvent") == []
    assert validate(event, "WinEvent", allow_legacy_winners=True) == []


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=repr)
def test_nan_and_infinity_in_free_form_content_are_type_violations(value: float) -> None:
    """json.dumps writes NaN, which is no JSON: the event could not be read back."""
    event = {**valid_event("WinEvent"), "metadata": {"ratio": [1, value]}}
    actual = describe_value(value)
    assert validate(event, "WinEvent") == [
        Violation("/metadata/ratio/1", "type", "a JSON value", actual, f"expected a JSON value, got {actual}")
    ]


def test_very_deep_free_form_content_is_walked_without_recursion() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    event = {**valid_event("WinEvent"), "metadata": {"deep": deep}}
    assert validate(event, "WinEvent", strict=True) == []
    deep_set: Any = [{1}]
    for _ in range(5_000):
        deep_set = [deep_set]
    with pytest.raises(TypeError, match=r"a set at metadata\.deep"):
        validate({**event, "metadata": {"deep": deep_set}}, "WinEvent")


# Unicode digits are keys, never indexes.


@pytest.mark.parametrize("key", ["¹", "٣", "𝟘", "①"])
def test_a_key_of_unicode_digits_is_an_unknown_field_in_strict_mode(key: str) -> None:
    assert not key.isascii() and (key.isdigit() or key.isnumeric())
    event = {**valid_event("WinEvent"), key: 1}
    expected = Violation(
        f"/{key}",
        "unknown_field",
        "no such field",
        "number 1",
        "unknown field, not listed in the WinEvent spec (strict mode), got number 1",
    )
    for payload in (event, orjson.dumps(event)):
        assert validate(payload, "WinEvent", strict=True) == [expected]
        assert validate(payload, "WinEvent") == []
    assert str(expected) == f'["{key}"]: {expected.message} [unknown_field]'
    with pytest.raises(AssertionError) as raised:
        assert_valid(event, "WinEvent", strict=True)
    assert f'["{key}"]: unknown field' in str(raised.value)


@pytest.mark.parametrize("key", ["¹", "٣"])
def test_a_multipliers_key_of_unicode_digits_is_a_further_currency(key: str) -> None:
    event = valid_event("WinEvent")
    event["currency_multipliers"]["multipliers"][key] = "1.5"
    expected = [
        Violation(
            f"/currency_multipliers/multipliers/{key}",
            "type",
            "number",
            'string "1.5"',
            'expected number, got string "1.5"',
        )
    ]
    for payload in (event, orjson.dumps(event)):
        assert validate(payload, "WinEvent") == expected
        assert validate(payload, "WinEvent", strict=True) == expected
    assert expected[0].field == f'currency_multipliers.multipliers["{key}"]'
    event["currency_multipliers"]["multipliers"][key] = 1.5
    semantic = validate(event, "WinEvent", semantic=True)
    assert [(v.path, v.rule) for v in semantic if v.rule == "currency_code"] == [
        (f"/currency_multipliers/multipliers/{key}", "currency_code")
    ]
    assert validate(orjson.dumps(event), "WinEvent", semantic=True) == semantic


# The two paths, dict and text, agree for any input.

JSON_KEYS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ_¹٣", max_size=5)
"""Keys no int, bool or None key can collide with once JSON writes them."""
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.sampled_from([10**400, -(10**30)])
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(JSON_KEYS, children, max_size=3),
    max_leaves=12,
)


BASES = {
    event_type: [valid_event(event_type), *(factory_for(event_type).seeded(seed).build() for seed in range(2))]
    for event_type in EVENT_TYPES
}


@st.composite
def python_payloads(draw: st.DrawFn) -> tuple[str, Any]:
    """An event with defects of any kind, then written the many ways Python can hold the same JSON."""
    event_type = draw(st.sampled_from(EVENT_TYPES))
    event: Any = copy.deepcopy(draw(st.sampled_from(BASES[event_type])))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(list(places(event))))
        target = at(event, list(path))
        defect = draw(st.sampled_from(["remove", "replace", "add"]))
        if defect == "add" and isinstance(target, dict):
            target[draw(st.sampled_from(["extra", "EUR", "USD", "¹", "0"]) | JSON_KEYS)] = draw(VALUES)
        elif path and defect == "remove" and isinstance(at(event, list(path[:-1])), dict):
            del at(event, list(path[:-1]))[path[-1]]
        elif path:
            at(event, list(path[:-1]))[path[-1]] = draw(VALUES)
    return event_type, draw(pythonized(event))


@st.composite
def pythonized(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with some of its parts made Python's other forms of the same JSON."""
    if isinstance(value, dict):
        items = {key: draw(pythonized(item)) for key, item in value.items()}
        if draw(st.booleans()) and all(key.isdigit() and key.isascii() and key == str(int(key)) for key in items):
            items = {int(key): item for key, item in items.items()}  # json writes 5 as "5"
        return draw(st.sampled_from([dict, Fields, collections.OrderedDict]))(items)
    if isinstance(value, list):
        items = [draw(pythonized(item)) for item in value]
        return draw(st.sampled_from([list, tuple, Items]))(items)
    if type(value) is str:
        return draw(st.sampled_from([value, Label(value)]))
    if type(value) is int:
        forms: list[Any] = [value, Count(value)]
        forms += [member for member in Level if member == value]
        return draw(st.sampled_from(forms))
    if type(value) is float:
        return draw(st.sampled_from([value, Ratio(value)]))
    return value


@SETTINGS
@given(case=python_payloads(), strict=st.booleans(), semantic=st.booleans())
def test_a_payload_and_its_json_text_get_the_same_violations(
    case: tuple[str, Any], strict: bool, semantic: bool
) -> None:
    """In default, strict and semantic modes: the verdict, every rule, path and word, and the order."""
    event_type, payload = case
    assume(not isinstance(payload, str))  # a str is JSON text, not a parsed JSON string
    text = json.dumps(payload)
    from_dict = validate(payload, event_type, strict=strict, semantic=semantic)
    assert validate(text, event_type, strict=strict, semantic=semantic) == from_dict
    assert validate(text.encode(), event_type, strict=strict, semantic=semantic) == from_dict
    assert {v.rule for v in from_dict} <= {
        *SEMANTIC_RULES,
        "missing",
        "type",
        "null",
        "enum",
        "unknown_field",
        "legacy_tuple",
        "not_object",
    }


@SETTINGS
@given(case=python_payloads(), strict=st.booleans())
def test_a_payload_and_its_json_text_agree_with_legacy_winners_allowed(case: tuple[str, Any], strict: bool) -> None:
    event_type, payload = case
    assume(not isinstance(payload, str))
    text = json.dumps(payload)
    from_dict = validate(payload, event_type, strict=strict, allow_legacy_winners=True)
    assert validate(text, event_type, strict=strict, allow_legacy_winners=True) == from_dict


def test_a_multipliers_value_true_is_a_type_violation_on_both_paths() -> None:
    event = valid_event("WinEvent")
    event["currency_multipliers"]["multipliers"]["USD"] = True
    expected = [
        Violation(
            "/currency_multipliers/multipliers/USD",
            "type",
            "number",
            "boolean true",
            "expected number, got boolean true",
        )
    ]
    for strict in (False, True):
        assert validate(event, "WinEvent", strict=strict) == expected
        assert validate(orjson.dumps(event), "WinEvent", strict=strict) == expected


# Numbers of any size.


@pytest.mark.parametrize("count", [10**400, -(10**400), 2**64 + 1])
def test_whole_numbers_of_any_size_are_numbers_and_the_conventions_judge_them_exactly(count: int) -> None:
    event = {**valid_event("OptInEvent"), "contribution_count": count}
    expected = [] if count > 0 else ["/contribution_count"]
    for payload in (event, json.dumps(event)):
        assert validate(payload, "OptInEvent") == []
        found = validate(payload, "OptInEvent", semantic=True)
        assert [v.path for v in found if v.rule == "count"] == expected


def test_a_huge_number_in_a_money_or_timestamp_field_is_judged_not_raised() -> None:
    event = {
        **valid_event("OptInEvent"),
        "contribution_value": 10**400,
        "last_updated": 1e300,
        "preferred_contribution_value": 1.7e308,
    }
    found = validate(event, "OptInEvent", semantic=True)
    assert [(v.path, v.rule) for v in found] == [("/last_updated", "timestamp_ms")]
    assert found == validate(json.dumps(event), "OptInEvent", semantic=True)
    assert "got 1e+300" in found[0].message


def test_a_float_beyond_a_double_is_a_json_violation_of_the_text() -> None:
    found = validate(b'{"contribution_count": 1e400}', "OptInEvent")
    assert [(v.rule, v.message) for v in found] == [
        ("json", "not valid JSON: number is infinity when parsed as double at line 1 column 24")
    ]


# The event type.


@pytest.mark.parametrize("event_type", [None, 5, ["WinEvent"], b"WinEvent"], ids=repr)
def test_an_event_type_that_is_not_a_str_is_a_value_error_naming_the_six(event_type: Any) -> None:
    with pytest.raises(ValueError) as raised:
        validate(valid_event("WinEvent"), event_type)
    assert str(raised.value) == (
        f"unknown event type {event_type!r}: an event type is a str, one of JackpotUpdateEvent, WinEvent, "
        "RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, RafflePayoutErrorEvent."
    )

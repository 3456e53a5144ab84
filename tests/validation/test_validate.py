"""`validate()`: the verdict, path, rule and wording for every rule code, in both modes.

The spec decisions of issue 2 (section 3) each have their own tests here; property tests at the
end check the rules for all inputs, and the verdict against the reference `jsonschema`.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec
import orjson
import pytest
from _validation_samples import MULTIPLIERS, at, concrete, legacy_raffle, valid_event
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES, RULES, Violation, upgrade_legacy_winners, validate
from pytest_thrillpots.spec import Node, iter_fields, lookup, spec
from pytest_thrillpots.spec._paths import to_pointer
from pytest_thrillpots.validation._fastpath import fast_check
from pytest_thrillpots.validation._legacy import CANONICAL_WINNER, LEGACY_WINNER
from pytest_thrillpots.validation._violation import describe_value

MODES = [pytest.param(False, id="tolerant"), pytest.param(True, id="strict")]
# A value of another JSON kind than the field's, for each kind.
WRONG_KIND: dict[str, Any] = {"string": 12, "number": "12", "boolean": "true", "array": {"a": 1}, "object": ["a"]}

ALL_FIELDS = [
    pytest.param(event_type, parts, node, id=f"{event_type}.{'.'.join(map(str, parts))}")
    for event_type in EVENT_TYPES
    for parts, node in iter_fields(spec(event_type))
]


def fields_of_kind(*kinds: str) -> list[Any]:
    return [p for p in ALL_FIELDS if p.values[2].kind in kinds and p.values[2].enum is None]


def listed_objects(event_type: str) -> list[list[str | int]]:
    """Where strict mode reports unknown fields: the event and every fully listed object in it."""
    found: list[list[str | int]] = [[]]
    for parts, node in iter_fields(spec(event_type)):
        if node.listed_fully:
            found.append(concrete(parts))
        elif node.kind == "array" and node.items is not None and node.items.listed_fully:
            found.append(concrete((*parts, "*")))
    return found


def replaced(event_type: str, parts: list[str | int], value: Any) -> dict[str, Any]:
    event = valid_event(event_type)
    at(event, parts[:-1])[parts[-1]] = value
    return event


def one(violations: list[Violation]) -> Violation:
    assert len(violations) == 1, violations
    return violations[0]


@pytest.mark.parametrize("event_type", EVENT_TYPES)
@pytest.mark.parametrize("strict", MODES)
def test_a_valid_event_has_no_violations(event_type: str, strict: bool) -> None:
    assert validate(valid_event(event_type), event_type, strict=strict) == []


# Decision 1: every listed field is required; only three may be null.


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize(("event_type", "parts", "node"), ALL_FIELDS)
def test_a_missing_field_is_reported_at_the_missing_member(
    event_type: str, parts: tuple[str | int, ...], node: Node, strict: bool
) -> None:
    path = concrete(parts)
    event = valid_event(event_type)
    del at(event, path[:-1])[path[-1]]
    expected = node.describe()
    assert validate(event, event_type, strict=strict) == [
        Violation(to_pointer(path), "missing", expected, "missing", f"expected {expected}, but the field is missing")
    ]


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize(("event_type", "parts", "node"), ALL_FIELDS)
def test_null_is_accepted_only_where_the_seed_allows_it(
    event_type: str, parts: tuple[str | int, ...], node: Node, strict: bool
) -> None:
    path = concrete(parts)
    violations = validate(replaced(event_type, path, None), event_type, strict=strict)
    nullable = f"{event_type}.{'.'.join(map(str, parts))}" in {
        "JackpotUpdateEvent.timestamp_start",
        "JackpotUpdateEvent.timestamp_end",
        "WinEvent.metadata",
    }
    if nullable:
        assert violations == []
    else:
        expected = node.describe()
        assert violations == [
            Violation(
                to_pointer(path), "null", expected, "null", f"expected {expected}, got null (null is not allowed here)"
            )
        ]


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize(("event_type", "parts", "node"), ALL_FIELDS)
def test_a_value_of_another_kind_is_a_type_violation_at_its_path(
    event_type: str, parts: tuple[str | int, ...], node: Node, strict: bool
) -> None:
    path = concrete(parts)
    wrong = WRONG_KIND[node.kind]
    expected = node.describe()
    actual = describe_value(wrong)
    assert validate(replaced(event_type, path, wrong), event_type, strict=strict) == [
        Violation(to_pointer(path), "type", expected, actual, f"expected {expected}, got {actual}")
    ]


# Decision 2: Number, Boolean and String as JSON means them.


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize(("event_type", "parts", "node"), fields_of_kind("number"))
@pytest.mark.parametrize("value", [True, False], ids=["true", "false"])
def test_a_boolean_is_not_a_number(
    event_type: str, parts: tuple[str | int, ...], node: Node, value: bool, strict: bool
) -> None:
    """Python's True is an int; JSON's true is not a number."""
    violation = one(validate(replaced(event_type, concrete(parts), value), event_type, strict=strict))
    assert (violation.rule, violation.actual) == ("type", f"boolean {'true' if value else 'false'}")


@pytest.mark.parametrize(("event_type", "parts", "node"), fields_of_kind("number"))
@pytest.mark.parametrize("value", [0, -3, 2.5, -0.0, 1e300, 10**30, 1.5e-300], ids=repr)
def test_any_json_number_is_a_number(event_type: str, parts: tuple[str | int, ...], node: Node, value: float) -> None:
    assert validate(replaced(event_type, concrete(parts), value), event_type, strict=True) == []


@pytest.mark.parametrize(("event_type", "parts", "node"), fields_of_kind("number"))
def test_a_numeric_string_is_not_a_number(event_type: str, parts: tuple[str | int, ...], node: Node) -> None:
    violation = one(validate(replaced(event_type, concrete(parts), "1.5"), event_type))
    assert (violation.rule, violation.message) == ("type", f'expected {node.describe()}, got string "1.5"')


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize(("event_type", "parts", "node"), fields_of_kind("boolean"))
@pytest.mark.parametrize("value", [1, 0, "true", "false", "yes"], ids=repr)
def test_only_true_and_false_are_booleans(
    event_type: str, parts: tuple[str | int, ...], node: Node, value: object, strict: bool
) -> None:
    violation = one(validate(replaced(event_type, concrete(parts), value), event_type, strict=strict))
    assert (violation.path, violation.rule, violation.expected) == (to_pointer(concrete(parts)), "type", "boolean")
    assert violation.message == f"expected boolean, got {describe_value(value)}"


@pytest.mark.parametrize(("event_type", "parts", "node"), fields_of_kind("string"))
@pytest.mark.parametrize("value", ["", " ", "ünïcødé ✓", "x" * 10_000], ids=["empty", "space", "unicode", "long"])
def test_any_json_string_is_a_string_the_empty_one_included(
    event_type: str, parts: tuple[str | int, ...], node: Node, value: str
) -> None:
    assert validate(replaced(event_type, concrete(parts), value), event_type, strict=True) == []


def test_an_array_of_strings_checks_each_item() -> None:
    event = valid_event("JackpotUpdateEvent")
    event["allowed_brands"] = ["a", 7, "c", None]
    assert [(v.path, v.rule, v.actual) for v in validate(event, "JackpotUpdateEvent")] == [
        ("/allowed_brands/1", "type", "number 7"),
        ("/allowed_brands/3", "null", "null"),
    ]


def test_empty_arrays_are_valid() -> None:
    event = valid_event("WinEvent")
    event["community_winners"] = []
    event["games_in_jackpot"] = []
    assert validate(event, "WinEvent", strict=True) == []


# Decision 3: jackpot_type is exactly "Jackpot" or "Raffle".


@pytest.mark.parametrize("value", ["Jackpot", "Raffle"])
def test_jackpot_type_accepts_jackpot_and_raffle(value: str) -> None:
    assert validate(replaced("JackpotUpdateEvent", ["jackpot_type"], value), "JackpotUpdateEvent") == []


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize("value", ["jackpot", "RAFFLE", "", "Jackpot ", "Lottery"])
def test_jackpot_type_rejects_anything_else_with_the_enum_rule(value: str, strict: bool) -> None:
    actual = describe_value(value)
    assert validate(replaced("JackpotUpdateEvent", ["jackpot_type"], value), "JackpotUpdateEvent", strict=strict) == [
        Violation(
            "/jackpot_type", "enum", '"Jackpot" or "Raffle"', actual, f'expected "Jackpot" or "Raffle", got {actual}'
        )
    ]


def test_jackpot_type_of_another_kind_is_one_violation_not_two() -> None:
    assert validate(replaced("JackpotUpdateEvent", ["jackpot_type"], 1), "JackpotUpdateEvent") == [
        Violation(
            "/jackpot_type", "type", '"Jackpot" or "Raffle"', "number 1", 'expected "Jackpot" or "Raffle", got number 1'
        )
    ]


# Decision 4: metadata is null or an object of any content.


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize(
    "metadata",
    [None, {}, {"a": 1}, {"nested": {"deep": [1, "x", None, True, {"k": []}]}}, {"": None, "player_id": 5}],
    ids=["null", "empty", "flat", "nested", "odd-keys"],
)
def test_metadata_accepts_null_and_any_object(metadata: object, strict: bool) -> None:
    assert validate(replaced("WinEvent", ["metadata"], metadata), "WinEvent", strict=strict) == []


@pytest.mark.parametrize("metadata", [[], [{"a": 1}], "x", "", 0, 1.5, True, False], ids=repr)
def test_metadata_rejects_arrays_strings_numbers_and_booleans(metadata: object) -> None:
    actual = describe_value(metadata)
    assert validate(replaced("WinEvent", ["metadata"], metadata), "WinEvent") == [
        Violation("/metadata", "type", "object or null", actual, f"expected object or null, got {actual}")
    ]


# Decision 5: the multipliers object is an open map of Numbers holding the five currencies.


@pytest.mark.parametrize("strict", MODES)
def test_multipliers_accepts_further_currencies_as_numbers_in_both_modes(strict: bool) -> None:
    event = valid_event("WinEvent")
    event["currency_multipliers"]["multipliers"].update({"USD": 1.08, "NOK": 11, "XBT": 0.00001})
    assert validate(event, "WinEvent", strict=strict) == []


@pytest.mark.parametrize("strict", MODES)
@pytest.mark.parametrize("value", ["1.08", None, True, {}, []], ids=repr)
def test_a_further_currency_must_be_a_number(value: object, strict: bool) -> None:
    event = valid_event("RaffleWinEvent")
    event["currency_multipliers"]["multipliers"]["USD"] = value
    violation = one(validate(event, "RaffleWinEvent", strict=strict))
    assert violation.path == "/currency_multipliers/multipliers/USD"
    assert violation.rule == ("null" if value is None else "type")
    assert violation.expected == "number"
    assert violation.field == "currency_multipliers.multipliers.USD"


@pytest.mark.parametrize("currency", ["EUR", "GBP", "ZAR", "NZD", "SEK"])
def test_each_of_the_five_currencies_is_required(currency: str) -> None:
    event = valid_event("WinEvent")
    del event["currency_multipliers"]["multipliers"][currency]
    event["currency_multipliers"]["multipliers"]["USD"] = 1
    assert validate(event, "WinEvent", strict=True) == [
        Violation(
            f"/currency_multipliers/multipliers/{currency}",
            "missing",
            "number",
            "missing",
            "expected number, but the field is missing",
        )
    ]


# Decision 6: legacy raffle winners.


def test_legacy_tuple_winners_are_rejected_by_default_with_their_own_rule() -> None:
    violations = validate(legacy_raffle(), "RaffleWinEvent")
    expected_message = (
        f"legacy tuple form {LEGACY_WINNER}; the canonical winner shape is {CANONICAL_WINNER} "
        "(use upgrade_legacy_winners() to convert, or allow_legacy_winners=True to accept it)"
    )
    assert violations == [
        Violation(
            f"/winners/{i}",
            "legacy_tuple",
            f"PayoutRecord object {CANONICAL_WINNER}",
            "array of 2 items",
            expected_message,
        )
        for i in (0, 1)
    ]
    assert str(violations[0]) == f"winners[0]: {expected_message} [legacy_tuple]"
    assert '{"player_id": String, "brand_id": String, "currency": String, "win_amount": Number}' in expected_message


@pytest.mark.parametrize("strict", MODES)
def test_legacy_tuple_winners_are_accepted_when_allowed(strict: bool) -> None:
    assert validate(legacy_raffle(), "RaffleWinEvent", strict=strict, allow_legacy_winners=True) == []


def test_allowing_legacy_winners_still_accepts_canonical_winners_and_a_mix() -> None:
    mixed = legacy_raffle()
    mixed["winners"].append(valid_event("RaffleWinEvent")["winners"][0])
    assert validate(valid_event("RaffleWinEvent"), "RaffleWinEvent", allow_legacy_winners=True) == []
    assert validate(mixed, "RaffleWinEvent", allow_legacy_winners=True) == []
    assert [v.path for v in validate(mixed, "RaffleWinEvent")] == ["/winners/0", "/winners/1"]


def test_legacy_winners_are_checked_against_the_tuple_shape_when_allowed() -> None:
    event = legacy_raffle()
    event["winners"] = [
        ["p-1", {"currency": "EUR"}],
        ["p-2"],
        ["p-3", {"currency": "EUR", "value": 1}, "extra"],
        [7, {"currency": "EUR", "value": 1}],
        ["p-4", {"currency": "EUR", "value": "1"}],
    ]
    found = [(v.field, v.rule, v.message) for v in validate(event, "RaffleWinEvent", allow_legacy_winners=True)]
    assert found == [
        ("winners[0][1].value", "missing", "expected number, but the field is missing"),
        ("winners[1]", "type", f"expected legacy winner tuple {LEGACY_WINNER}, got array of 1 item"),
        (
            "winners[2][2]",
            "type",
            f'expected legacy winner tuple {LEGACY_WINNER} (2 items), got an extra item: string "extra"',
        ),
        ("winners[3][0]", "type", "expected string, got number 7"),
        ("winners[4][1].value", "type", 'expected number, got string "1"'),
    ]


def test_strict_mode_reports_unknown_fields_in_a_legacy_winners_amount() -> None:
    event = legacy_raffle()
    event["winners"][0][1]["note"] = "x"
    violation = one(validate(event, "RaffleWinEvent", allow_legacy_winners=True, strict=True))
    assert (violation.path, violation.rule) == ("/winners/0/1/note", "unknown_field")


def test_upgrade_legacy_winners_converts_to_the_canonical_form() -> None:
    event = legacy_raffle()
    before = copy.deepcopy(event)
    upgraded = upgrade_legacy_winners(event)
    assert upgraded["winners"] == [
        {"player_id": "p-2", "brand_id": "brand-1", "currency": "EUR", "win_amount": 12.5},
        {"player_id": "p-3", "brand_id": "brand-1", "currency": "GBP", "win_amount": 7},
    ]
    assert validate(upgraded, "RaffleWinEvent", strict=True) == []
    assert event == before, "the input is not changed"
    assert {k: v for k, v in upgraded.items() if k != "winners"} == {k: v for k, v in event.items() if k != "winners"}


def test_upgrade_legacy_winners_keeps_canonical_winners_and_accepts_tuples() -> None:
    event = legacy_raffle()
    canonical = {"player_id": "p-9", "brand_id": "other-brand", "currency": "SEK", "win_amount": 1}
    event["winners"] = [canonical, ("p-1", {"currency": "EUR", "value": 3})]
    upgraded = upgrade_legacy_winners(event)
    assert upgraded["winners"] == [
        canonical,
        {"player_id": "p-1", "brand_id": "brand-1", "currency": "EUR", "win_amount": 3},
    ]
    assert upgrade_legacy_winners(upgraded) == upgraded


def test_upgrade_legacy_winners_explains_what_it_cannot_convert() -> None:
    event = legacy_raffle()
    event["winners"][1] = ["p-3", {"currency": "EUR"}]
    with pytest.raises(ValueError, match=r"winners\[1\] is neither a winner object nor a legacy tuple"):
        upgrade_legacy_winners(event)
    without_brand = legacy_raffle()
    del without_brand["brand_id"]
    with pytest.raises(ValueError, match="needs the event's brand_id"):
        upgrade_legacy_winners(without_brand)
    with pytest.raises(ValueError, match="needs a RaffleWinEvent with a 'winners' array"):
        upgrade_legacy_winners({"brand_id": "b"})
    with pytest.raises(TypeError, match="takes a RaffleWinEvent dict, not list"):
        upgrade_legacy_winners([])  # type: ignore[arg-type]


# Decision 7: unknown fields.


UNKNOWN_FIELD_CASES = [
    pytest.param(event_type, path, id=f"{event_type}:{'.'.join(map(str, path)) or '<event>'}")
    for event_type in EVENT_TYPES
    for path in listed_objects(event_type)
]


@pytest.mark.parametrize(("event_type", "path"), UNKNOWN_FIELD_CASES)
def test_unknown_fields_are_tolerated_by_default(event_type: str, path: list[str | int]) -> None:
    event = valid_event(event_type)
    at(event, path)["brand_new_field"] = {"anything": [1, 2]}
    assert validate(event, event_type) == []


@pytest.mark.parametrize(("event_type", "path"), UNKNOWN_FIELD_CASES)
def test_strict_mode_reports_an_unknown_field_on_every_fully_listed_object(
    event_type: str, path: list[str | int]
) -> None:
    event = valid_event(event_type)
    at(event, path)["brand_new_field"] = "x"
    owner = lookup(event_type, path)
    assert owner is not None
    assert validate(event, event_type, strict=True) == [
        Violation(
            to_pointer([*path, "brand_new_field"]),
            "unknown_field",
            "no such field",
            'string "x"',
            f'unknown field, not listed in the {owner.structure} spec (strict mode), got string "x"',
        )
    ]


def test_the_fully_listed_objects_cover_events_and_the_four_structures() -> None:
    covered = {
        owner.structure
        for event_type in EVENT_TYPES
        for path in listed_objects(event_type)
        if (owner := lookup(event_type, path)) is not None
    }
    assert covered == {*EVENT_TYPES, "PotTicker", "PayoutRecord", "CurrencyMultipliers"}
    # CurrencyValue is listed fully too: it appears only inside legacy winners (tested above).
    assert spec("CurrencyValue").listed_fully


def test_strict_mode_reports_every_unknown_field_and_never_inside_metadata_or_multipliers() -> None:
    event = valid_event("WinEvent")
    event["zz_top"] = 1
    event["community_winners"][0]["zz_winner"] = True
    event["currency_multipliers"]["zz_brand"] = None
    event["currency_multipliers"]["multipliers"]["USD"] = 1.1
    event["metadata"] = {"zz_meta": {"deeper": 1}}
    found = [(v.field, v.actual) for v in validate(event, "WinEvent", strict=True)]
    assert sorted(found) == [
        ("community_winners[0].zz_winner", "boolean true"),
        ("currency_multipliers.zz_brand", "null"),
        ("zz_top", "number 1"),
    ]
    assert validate(event, "WinEvent") == []


# Every violation, not the first.


def test_every_violation_is_returned_not_only_the_first() -> None:
    event = valid_event("JackpotUpdateEvent")
    event["pots"][0]["current_value"] = "100"
    event["pots"][1]["is_progressive"] = "no"
    del event["pots"][1]["id"]
    event["jackpot_type"] = "Lottery"
    event["status"] = None
    event["extra"] = 1
    found = {(v.field, v.rule) for v in validate(event, "JackpotUpdateEvent", strict=True)}
    assert found == {
        ("pots[0].current_value", "type"),
        ("pots[1].is_progressive", "type"),
        ("pots[1].id", "missing"),
        ("jackpot_type", "enum"),
        ("status", "null"),
        ("extra", "unknown_field"),
    }


def test_a_wrong_structure_is_one_violation_at_the_structure() -> None:
    event = valid_event("WinEvent")
    event["community_winners"] = [["p-1", {"currency": "EUR", "value": 1}], "p-2"]
    assert [str(v) for v in validate(event, "WinEvent")] == [
        "community_winners[0]: expected PayoutRecord object, got array of 2 items [type]",
        'community_winners[1]: expected PayoutRecord object, got string "p-2" [type]',
    ]


def test_legacy_tuple_rule_is_only_for_raffle_winners() -> None:
    event = valid_event("CommunityPayoutErrorEvent")
    event["failed_payouts"] = [["p-1", {"currency": "EUR", "value": 1}]]
    assert one(validate(event, "CommunityPayoutErrorEvent")).rule == "type"


# Not an object, not JSON.


@pytest.mark.parametrize("event_type", EVENT_TYPES)
@pytest.mark.parametrize("payload", [[], [{}], 1, 2.5, True, None], ids=repr)
def test_a_payload_that_is_not_an_object_is_one_not_object_violation(event_type: str, payload: object) -> None:
    actual = describe_value(payload)
    assert validate(payload, event_type) == [
        Violation(
            "", "not_object", f"{event_type} object", actual, f"expected a JSON object (a {event_type}), got {actual}"
        )
    ]


@pytest.mark.parametrize("event_type", EVENT_TYPES)
@pytest.mark.parametrize("as_text", [bytes, str, bytearray, memoryview], ids=lambda t: t.__name__)
def test_json_text_validates_like_the_parsed_value(event_type: str, as_text: Any) -> None:
    raw = orjson.dumps(valid_event(event_type))
    text = as_text(raw.decode()) if as_text is str else as_text(raw)
    assert validate(text, event_type, strict=True) == []
    broken = valid_event(event_type)
    del broken[next(iter(broken))]
    assert validate(orjson.dumps(broken).decode(), event_type) == validate(broken, event_type) != []


def test_text_nested_past_the_parsers_limit_is_one_violation_of_the_whole_text() -> None:
    # How deep the parser reads depends on the interpreter (3.13's C stack lets msgspec read what
    # 3.11 refuses, and orjson stops at 1024): either way one violation of the whole text, never valid.
    found = validate(b"[" * 2000 + b"]" * 2000, "WinEvent")
    too_deep = "not valid JSON: nested more than 1024 levels deep at line 1 column 1026 (the parser's limit; no event nests that deep)"
    not_object = "expected a JSON object (a WinEvent), got array of 1 item"
    assert found in (
        [Violation("", "json", "a JSON document", "unparseable text", too_deep)],
        [Violation("", "not_object", "WinEvent object", "array of 1 item", not_object)],
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "not valid JSON: Input is a zero-length, empty document at line 1 column 1"),
        (b'{"id": "x",', "not valid JSON: unexpected end of data at line 1 column 12"),
        (b'{"a": 1,}', "not valid JSON: trailing comma is not allowed at line 1 column 8"),
        (
            b'{\n  "seed": NaN\n}',
            "not valid JSON: NaN at line 2 column 11 is not a JSON number (JSON has no NaN or Infinity)",
        ),
        (
            b'{"seed": -Infinity}',
            "not valid JSON: -Infinity at line 1 column 10 is not a JSON number (JSON has no NaN or Infinity)",
        ),
        (
            b'{"seed": Infinity}',
            "not valid JSON: Infinity at line 1 column 10 is not a JSON number (JSON has no NaN or Infinity)",
        ),
        (b'{"id": "\xff"}', "not valid JSON: the text is not valid UTF-8 (JSON text must be UTF-8)"),
        ("{'id': 'x'}", "not valid JSON: unexpected character, expected a string key at line 1 column 2"),
    ],
    ids=[
        "empty",
        "truncated",
        "trailing-comma",
        "nan",
        "minus-infinity",
        "infinity",
        "bad-utf8",
        "single-quotes",
    ],
)
def test_text_that_is_not_json_is_one_json_violation(text: bytes | str, message: str) -> None:
    assert validate(text, "WinEvent") == [Violation("", "json", "a JSON document", "unparseable text", message)]


def test_an_unknown_event_type_is_a_value_error_naming_the_six_types() -> None:
    with pytest.raises(ValueError) as raised:
        validate({}, "Win")
    message = str(raised.value)
    for event_type in EVENT_TYPES:
        assert event_type in message
    assert message.startswith("unknown event type 'Win': use one of JackpotUpdateEvent, WinEvent, RaffleWinEvent,")


def test_the_event_type_is_checked_before_the_payload() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        validate(b"not json", "PotTicker")


# Python values JSON cannot hold.


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=repr)
@pytest.mark.parametrize("field", ["seed", "timestamp"])
def test_nan_and_infinity_are_not_numbers(value: float, field: str) -> None:
    actual = describe_value(value)
    assert actual.endswith("(not valid JSON)")
    assert validate(replaced("WinEvent", [field], value), "WinEvent") == [
        Violation(f"/{field}", "type", "number", actual, f"expected number, got {actual}")
    ]


@pytest.mark.parametrize("value", [math.nan, math.inf], ids=repr)
def test_nan_is_not_mistaken_for_null_in_a_nullable_field(value: float) -> None:
    found = validate(replaced("JackpotUpdateEvent", ["timestamp_end"], value), "JackpotUpdateEvent")
    assert [(v.path, v.rule, v.expected) for v in found] == [("/timestamp_end", "type", "number or null")]
    event = replaced("JackpotUpdateEvent", ["timestamp_end"], value)
    event["pots"][0]["current_value"] = value
    assert sorted((v.path, v.rule) for v in validate(event, "JackpotUpdateEvent")) == [
        ("/pots/0/current_value", "type"),
        ("/timestamp_end", "type"),
    ]


def test_tuples_are_accepted_as_arrays() -> None:
    event = valid_event("WinEvent")
    event["games_in_jackpot"] = ("a", "b")
    assert validate(event, "WinEvent") == []


@pytest.mark.parametrize("value", [{"a"}, object(), b"bytes"], ids=["set", "object", "bytes"])
def test_a_value_json_cannot_hold_is_a_clear_type_error(value: object) -> None:
    with pytest.raises(
        TypeError, match=r"validate\(\) takes parsed JSON .* the payload holds a value JSON cannot represent"
    ):
        validate(replaced("WinEvent", ["games_in_jackpot"], [value]), "WinEvent")


# Violation.


def test_violation_is_frozen_and_reads_as_one_line() -> None:
    violation = one(validate(replaced("JackpotUpdateEvent", ["pots", 1, "is_progressive"], "no"), "JackpotUpdateEvent"))
    assert violation == Violation(
        "/pots/1/is_progressive", "type", "boolean", 'string "no"', 'expected boolean, got string "no"'
    )
    assert violation.field == "pots[1].is_progressive"
    assert str(violation) == 'pots[1].is_progressive: expected boolean, got string "no" [type]'
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.rule = "missing"  # type: ignore[misc]
    assert hash(violation) == hash(dataclasses.replace(violation))


def test_the_whole_payload_reads_as_event() -> None:
    assert Violation("", "json", "", "", "m").field == "<event>"


def test_pointers_escape_slash_and_tilde_and_odd_keys_read_quoted() -> None:
    event = valid_event("OptInEvent")
    event["a/b"] = 1
    event["c~d"] = 2
    event["e f"] = 3
    found = {(v.path, v.field) for v in validate(event, "OptInEvent", strict=True)}
    assert found == {("/a~1b", '["a/b"]'), ("/c~0d", '["c~d"]'), ("/e f", '["e f"]')}


def test_rules_are_the_stable_codes() -> None:
    assert RULES == ("missing", "type", "null", "enum", "unknown_field", "legacy_tuple", "not_object", "json")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "boolean true"),
        (0, "number 0"),
        (1.5, "number 1.5"),
        ("no", 'string "no"'),
        ("", 'string ""'),
        ("x" * 50, 'string "' + "x" * 40 + '…" (50 characters)'),
        ([], "empty array"),
        ([1], "array of 1 item"),
        ((1, 2), "array of 2 items"),
        ({}, "object"),
        (math.nan, "number nan (not valid JSON)"),
        ({1}, "set (not a JSON value)"),
    ],
)
def test_describe_value(value: object, text: str) -> None:
    assert describe_value(value) == text


# Properties, for all inputs.

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)
FIELD_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def walk(value: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every path inside a JSON value."""
    yield parts
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*parts, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*parts, index))


@st.composite
def mutated_events(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid event with a few of its values replaced by arbitrary JSON, or removed."""
    event_type = draw(st.sampled_from(EVENT_TYPES))
    event: Any = valid_event(event_type)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        paths = list(walk(event))
        path = draw(st.sampled_from(paths))
        if not path:
            event = draw(JSON_VALUES)
            continue
        parent = at(event, list(path[:-1]))
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON_VALUES)
    return event_type, event


@pytest.fixture(scope="module")
def reference_validators() -> dict[str, Any]:
    """The reference implementation, `jsonschema`, on the same schema files."""
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from pytest_thrillpots.spec import raw_schemas

    schemas = raw_schemas()
    registry: Any = Registry().with_resources(
        (schema["$id"], DRAFT202012.create_resource(schema)) for schema in schemas.values()
    )
    return {name: jsonschema.Draft202012Validator(schemas[name], registry=registry) for name in EVENT_TYPES}


@PROPERTY_SETTINGS
@given(case=mutated_events())
def test_the_verdict_agrees_with_the_reference_jsonschema(
    case: tuple[str, Any], reference_validators: dict[str, Any]
) -> None:
    event_type, payload = case
    violations = validate(payload, event_type)
    assert (violations == []) == reference_validators[event_type].is_valid(payload), violations
    assert {v.rule for v in violations} <= set(RULES)


@PROPERTY_SETTINGS
@given(event_type=st.sampled_from(EVENT_TYPES), payload=JSON_VALUES, strict=st.booleans(), legacy=st.booleans())
def test_validate_never_raises_on_any_json_value(
    event_type: str, payload: Any, strict: bool, legacy: bool, reference_validators: dict[str, Any]
) -> None:
    violations = validate(payload, event_type, strict=strict, allow_legacy_winners=legacy)
    assert all(isinstance(v, Violation) and v.rule in RULES and v.message for v in violations)
    if not strict and not legacy:
        assert (violations == []) == reference_validators[event_type].is_valid(payload)


@PROPERTY_SETTINGS
@given(case=mutated_events(), strict=st.booleans(), legacy=st.booleans())
def test_json_text_and_the_parsed_value_give_the_same_violations(
    case: tuple[str, Any], strict: bool, legacy: bool
) -> None:
    event_type, payload = case
    assume(not isinstance(payload, str))  # a str is JSON text, not a parsed JSON string
    parsed = validate(payload, event_type, strict=strict, allow_legacy_winners=legacy)
    assert validate(orjson.dumps(payload), event_type, strict=strict, allow_legacy_winners=legacy) == parsed
    assert validate(orjson.dumps(payload).decode(), event_type, strict=strict, allow_legacy_winners=legacy) == parsed


@PROPERTY_SETTINGS
@given(event_type=st.sampled_from(EVENT_TYPES), data=st.binary(max_size=300), strict=st.booleans())
def test_validate_never_raises_on_arbitrary_bytes(event_type: str, data: bytes, strict: bool) -> None:
    violations = validate(data, event_type, strict=strict)
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError:
        assert [v.rule for v in violations] == ["json"]
    else:
        assert "json" not in {v.rule for v in violations}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_unknown_fields_never_change_the_tolerant_verdict_and_strict_reports_each(data: st.DataObject) -> None:
    event_type = data.draw(st.sampled_from(EVENT_TYPES))
    event = valid_event(event_type)
    added = set()
    for path in data.draw(st.lists(st.sampled_from(listed_objects(event_type)), min_size=1, max_size=4)):
        target = at(event, path)
        name = data.draw(FIELD_NAMES.filter(lambda n, t=target: n not in t))
        target[name] = data.draw(JSON_VALUES)
        added.add(to_pointer([*path, name]))
    assert validate(event, event_type) == []
    strict = validate(event, event_type, strict=True)
    assert {v.path for v in strict} == added
    assert {v.rule for v in strict} == {"unknown_field"}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_single_field_kind_change_is_detected_at_that_path(data: st.DataObject) -> None:
    event_type, parts, node = data.draw(st.sampled_from([p.values for p in ALL_FIELDS]))
    path = concrete(parts)
    value = data.draw(JSON_VALUES.filter(lambda v: not _fits(v, node)))
    violations = validate(replaced(event_type, path, value), event_type, strict=data.draw(st.booleans()))
    assert violations, f"{value!r} at {path} passed"
    assert violations[0].path == to_pointer(path)
    enum_miss = node.enum is not None and isinstance(value, str)
    assert violations[0].rule == ("null" if value is None else "enum" if enum_miss else "type")
    assert all(v.path == to_pointer(path) or v.path.startswith(to_pointer(path) + "/") for v in violations)


def _fits(value: object, node: Node) -> bool:
    """Whether ``value`` has the node's JSON kind (its contents aside)."""
    if value is None:
        return node.nullable
    kinds = {
        "string": isinstance(value, str),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }
    if node.enum is not None:
        return value in node.enum and kinds[node.kind]
    # An array or object of the right kind may still hold wrong items: the property is about kinds.
    return kinds[node.kind]


def test_multipliers_sample_is_shared_not_mutated() -> None:
    """Guard for the samples module: tests change copies, never the shared constants."""
    assert MULTIPLIERS["multipliers"] == {"EUR": 1, "GBP": 0.86, "ZAR": 19.7, "NZD": 1.8, "SEK": 11.4}


# The fast path for JSON text (msgspec) never changes a result, only how soon it comes.


@PROPERTY_SETTINGS
@given(case=mutated_events(), strict=st.booleans())
def test_the_fast_path_says_valid_only_for_valid_events(
    case: tuple[str, Any], strict: bool, reference_validators: dict[str, Any]
) -> None:
    event_type, payload = case
    check = fast_check(event_type, strict)
    assert check is not None
    if check(orjson.dumps(payload)) is None:
        assert validate(payload, event_type, strict=strict) == []
        if not strict:
            assert reference_validators[event_type].is_valid(payload)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_single_violation_found_fast_equals_the_engines(data: st.DataObject) -> None:
    """One defect of any kind, anywhere: the text path (fast) and the parsed path (engine) agree."""
    event_type, parts, _ = data.draw(st.sampled_from([p.values for p in ALL_FIELDS]))
    path = concrete(parts)
    event = valid_event(event_type)
    strict = data.draw(st.booleans())
    defect = data.draw(st.sampled_from(["delete", "replace", "unknown"]))
    if defect == "delete":
        del at(event, path[:-1])[path[-1]]
    elif defect == "replace":
        at(event, path[:-1])[path[-1]] = data.draw(JSON_VALUES)
    else:
        owner = at(event, path[:-1])
        owner[data.draw(FIELD_NAMES.filter(lambda n: n not in owner))] = data.draw(JSON_VALUES)
    assert validate(orjson.dumps(event), event_type, strict=strict) == validate(event, event_type, strict=strict)


@PROPERTY_SETTINGS
@given(case=mutated_events(), strict=st.booleans())
def test_the_text_path_explains_any_defects_as_the_engine_does(case: tuple[str, Any], strict: bool) -> None:
    event_type, payload = case
    assume(not isinstance(payload, str))  # validate() reads a str as JSON text, not as a parsed value
    assert validate(orjson.dumps(payload), event_type, strict=strict) == validate(payload, event_type, strict=strict)


def places(value: Any, parts: tuple[str | int, ...]) -> Iterator[tuple[Any, str | int]]:
    """Every (owner, key) where a spec field path occurs in ``value``: ``*`` is every item."""
    head, rest = parts[0], parts[1:]
    keys: Iterable[str | int] = range(len(value)) if head == "*" and isinstance(value, list) else [head]
    for key in keys:
        if not rest:
            yield value, key
        elif isinstance(value, (list, dict)) and (key in value if isinstance(value, dict) else True):
            yield from places(value[key], rest)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_one_field_broken_in_every_item_is_explained_as_the_engine_does(data: st.DataObject) -> None:
    """The fast path reads past one place in every array item at once: still the engine's verdict."""
    event_type, parts, _ = data.draw(st.sampled_from([p.values for p in ALL_FIELDS]))
    event = valid_event(event_type)
    for owner, key in list(places(event, parts)):
        if data.draw(st.booleans()):
            del owner[key]
        else:
            owner[key] = data.draw(JSON_VALUES)
    strict = data.draw(st.booleans())
    assert validate(orjson.dumps(event), event_type, strict=strict) == validate(event, event_type, strict=strict)


def test_one_wrong_leaf_or_missing_field_is_explained_without_the_engines_error_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The common invalid event costs two typed reads, not the engine's error list (the slow part)."""
    import pytest_thrillpots.validation._validate as validate_module

    def no_engine(*args: Any) -> list[Violation]:
        raise AssertionError("the engine's error list was used")

    monkeypatch.setattr(validate_module, "_explain", no_engine)
    update = valid_event("JackpotUpdateEvent")
    every_pot_wrong = {**update, "pots": [{**pot, "is_progressive": "no"} for pot in update["pots"]]}
    every_pot_short = {**update, "pots": [{"id": pot["id"], "is_progressive": True} for pot in update["pots"]]}
    win = valid_event("WinEvent")
    cases = [
        ("JackpotUpdateEvent", every_pot_wrong),
        ("JackpotUpdateEvent", every_pot_short),
        ("JackpotUpdateEvent", {**update, "jackpot_type": "jackpot"}),
        ("WinEvent", {key: value for key, value in win.items() if key != "player_id"}),
        ("WinEvent", {**win, "metadata": []}),
    ]
    assert [[(v.path, v.rule) for v in validate(orjson.dumps(event), event_type)] for event_type, event in cases] == [
        [("/pots/0/is_progressive", "type"), ("/pots/1/is_progressive", "type")],
        [("/pots/0/current_value", "missing"), ("/pots/1/current_value", "missing")],
        [("/jackpot_type", "enum")],
        [("/player_id", "missing")],
        [("/metadata", "type")],
    ]


@pytest.mark.parametrize(
    "text",
    [
        b'{"instance_id": "a", "instance_id": 5, "failed_payouts": []}',
        b'{"instance_id": 5, "instance_id": "a", "failed_payouts": []}',
        b'{"instance_id": 5, "instance_id": true, "failed_payouts": []}',
        b'{"failed_payouts": [{"player_id": "p", "brand_id": "b", "currency": "c", "win_amount": "1", "win_amount": 1}],'
        b' "instance_id": "i"}',
    ],
    ids=["last-wrong", "first-wrong", "both-wrong", "nested-first-wrong"],
)
def test_duplicate_keys_are_reported_and_judged_by_the_value_that_wins(text: bytes) -> None:
    """A key given twice is a `json` violation (first, as `thrillpots validate` lists it); the rest
    is judged by the last value, as orjson keeps it: the fast path must agree with both."""
    found = validate(text, "RafflePayoutErrorEvent")
    assert [v.actual for v in found[:1]] == ["duplicate key"]
    assert found[1:] == validate(orjson.loads(text), "RafflePayoutErrorEvent")


def test_the_open_map_key_check_reaches_maps_inside_arrays() -> None:
    """No event nests an open map in an array today; the check built from the spec model must still hold."""
    from types import SimpleNamespace

    from pytest_thrillpots.validation._fastpath import _keys_check

    check = _keys_check(("pots", "*", "rates"), frozenset({"EUR"}))
    item = SimpleNamespace
    assert check(item(pots=[item(rates={"EUR": 1, "USD": 2}), item(rates=None)]))
    assert not check(item(pots=[item(rates={"EUR": 1}), item(rates={"USD": 2})]))
    assert check(item(pots=[]))
    flat = _keys_check(("currency_multipliers", "multipliers"), frozenset({"EUR"}))
    assert flat(item(currency_multipliers=item(multipliers={"EUR": 1})))
    assert not flat(item(currency_multipliers=item(multipliers={"GBP": 1})))
    assert flat(item(currency_multipliers=None))


def test_a_missing_key_of_the_open_map_is_found_on_the_text_path_too() -> None:
    event = valid_event("WinEvent")
    del event["currency_multipliers"]["multipliers"]["SEK"]
    assert [v.path for v in validate(orjson.dumps(event), "WinEvent")] == ["/currency_multipliers/multipliers/SEK"]


def test_a_wrong_further_currency_is_found_on_the_text_path_too() -> None:
    event = valid_event("WinEvent")
    event["currency_multipliers"]["multipliers"].update({"USD": 1, "NOK": "x", "AUD": None})
    assert validate(orjson.dumps(event), "WinEvent") == validate(event, "WinEvent")
    assert [v.path for v in validate(orjson.dumps(event), "WinEvent")] == [
        "/currency_multipliers/multipliers/NOK",
        "/currency_multipliers/multipliers/AUD",
    ]


@pytest.mark.parametrize("strict", MODES)
def test_a_map_with_further_keys_is_valid_text_though_the_fast_decoder_stops_at_it(strict: bool) -> None:
    """The fast decoder reads the multipliers as their five keys; a sixth stops it, the collector decides."""
    from pytest_thrillpots.validation._fastpath import fast_decoder

    event = valid_event("WinEvent")
    event["currency_multipliers"]["multipliers"].update({"USD": 1.08, "NOK": 11})
    fast = fast_decoder("WinEvent", strict)
    assert fast is not None
    with pytest.raises(msgspec.ValidationError, match="unknown field `USD`"):
        fast.decode(orjson.dumps(event))
    assert validate(orjson.dumps(event), "WinEvent", strict=strict) == []
    assert fast.decode(orjson.dumps(valid_event("WinEvent"))) is not None


@pytest.mark.parametrize("strict", MODES)
def test_a_map_with_further_keys_and_a_defect_is_explained(strict: bool) -> None:
    event = valid_event("RaffleWinEvent")
    event["currency_multipliers"]["multipliers"].update({"USD": 1.08, "NOK": "11"})
    del event["currency_multipliers"]["multipliers"]["EUR"]
    assert [(v.path, v.rule) for v in validate(orjson.dumps(event), "RaffleWinEvent", strict=strict)] == [
        ("/currency_multipliers/multipliers/EUR", "missing"),
        ("/currency_multipliers/multipliers/NOK", "type"),
    ]

"""The consumer helper's interactions: matchers read from the spec, examples from seeded factories."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES, PactDefinitionError, UnknownFieldError
from pytest_thrillpots._errors import ThrillpotsError, UnknownEventTypeError
from pytest_thrillpots.pact import Interaction, derive
from pytest_thrillpots.pact._interactions import GIVEN_FORMS, normalize_states
from pytest_thrillpots.spec import field_paths, raw_schemas

# What each JSON Schema type becomes, stated once here to check the derivation against the raw
# schema files (not against the spec model the derivation itself reads).
SCHEMA_TYPE_RULE = {"string": "type", "number": "number", "boolean": "boolean"}


def _schema_at(event_type: str, jsonpath: str) -> dict[str, Any]:
    schema: dict[str, Any] = raw_schemas()[event_type]
    for token in re.findall(r"\.(\w+)|\[\*\]", jsonpath):
        if "$ref" in schema:
            schema = raw_schemas()[schema["$ref"].removesuffix(".schema.json")]
        schema = schema["properties"][token] if token else schema["items"]
    if "$ref" in schema:
        schema = raw_schemas()[schema["$ref"].removesuffix(".schema.json")]
    return schema


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_rule_agrees_with_the_schema_file(event_type: str) -> None:
    for interaction in derive(event_type, "the whole event"):
        for path, rule in interaction.rules.items():
            schema = _schema_at(event_type, path)
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            kinds = [t for t in types if t != "null"]
            matchers = [m["match"] for m in rule["matchers"]]
            if "enum" in schema:
                assert matchers == ["regex"]
                assert rule["matchers"][0]["regex"] == "^(" + "|".join(schema["enum"]) + ")$"
            elif kinds == ["array"]:
                assert rule["matchers"] == [{"match": "type", "min": 1}]
            elif kinds == ["object"]:
                # only the free-form, nullable metadata has a rule of its own: null, or any object
                assert matchers in (["null"], ["type"]) and "null" in types
            elif "null" in types:
                assert rule["combine"] == "OR" and matchers == [SCHEMA_TYPE_RULE[kinds[0]], "null"]
            else:
                assert rule == {"combine": "AND", "matchers": [{"match": SCHEMA_TYPE_RULE[kinds[0]]}]}


def test_only_the_fields_the_consumer_reads_are_in_the_message() -> None:
    (interaction,) = derive(
        "WinEvent", "a win", fields=["player_id", "community_winners[*].win_amount"], given="a win happened"
    )
    assert interaction.description == "a win"
    assert set(interaction.body) == {"player_id", "community_winners"}
    assert [set(w) for w in interaction.body["community_winners"]] == [{"win_amount"}]
    assert interaction.rules == {
        "$.community_winners": {"combine": "AND", "matchers": [{"match": "type", "min": 1}]},
        "$.community_winners[*].win_amount": {"combine": "AND", "matchers": [{"match": "number"}]},
        "$.player_id": {"combine": "AND", "matchers": [{"match": "type"}]},
    }
    assert interaction.states == (("a win happened", {}),)
    assert interaction.metadata == {"event_type": "WinEvent"}


def test_an_enum_is_an_anchored_regex() -> None:
    (interaction,) = derive("JackpotUpdateEvent", "an update", fields=["jackpot_type"])
    pattern = interaction.rules["$.jackpot_type"]["matchers"][0]["regex"]
    assert re.search(pattern, "Raffle") and not re.search(pattern, "Raffles") and not re.search(pattern, "a Jackpot")


def test_a_nullable_number_is_an_or_rule() -> None:
    (interaction,) = derive("JackpotUpdateEvent", "an update", fields=["timestamp_end"])
    assert interaction.rules["$.timestamp_end"] == {
        "combine": "OR",
        "matchers": [{"match": "number"}, {"match": "null"}],
    }


def test_a_nullable_object_splits_the_interaction_in_two() -> None:
    null, present = derive("WinEvent", "a win", fields=["metadata"], given={"a win": {"pot": 1}})
    assert (null.description, present.description) == (
        "a win (metadata null)",
        "a win (metadata present)",
    )
    assert null.states == (("a win", {"pot": 1}), ("metadata is null", {}))
    assert present.states == (("a win", {"pot": 1}), ("metadata is present", {}))
    assert (null.body, present.body) == ({"metadata": None}, {"metadata": {}})
    assert null.rules == {"$.metadata": {"combine": "AND", "matchers": [{"match": "null"}]}}
    assert present.rules == {"$.metadata": {"combine": "AND", "matchers": [{"match": "type"}]}}


def test_a_pin_is_an_exact_value_the_consumer_reads() -> None:
    (interaction,) = derive(
        "WinEvent",
        "a win",
        fields=["player_id"],
        pins={"brand_id": "brand-7", "currency_multipliers__base_currency": "EUR"},
    )
    assert interaction.body["brand_id"] == "brand-7"
    assert interaction.body["currency_multipliers"] == {"base_currency": "EUR"}
    assert "$.brand_id" not in interaction.rules and "$.currency_multipliers.base_currency" not in interaction.rules


def test_a_pinned_nullable_object_does_not_split() -> None:
    (interaction,) = derive("WinEvent", "a win", pins={"metadata": {"campaign": "x"}})
    assert interaction.body["metadata"] == {"campaign": "x"} and "$.metadata" not in interaction.rules


def test_a_pin_inside_an_array_or_a_free_form_object_is_matched_by_equality() -> None:
    # the array's rule (and the free-form object's) matches what is inside by type: a pin there needs its own
    (interaction,) = derive(
        "WinEvent",
        "a win",
        fields=["player_id"],
        pins={"community_winners__0__currency": "EUR", "metadata__campaign": "spring"},
    )
    equality = {"combine": "AND", "matchers": [{"match": "equality"}]}
    assert interaction.description == "a win"  # a pin inside metadata says it is present: no null form
    assert interaction.body["community_winners"] == [{"currency": "EUR"}]
    assert interaction.body["metadata"] == {"campaign": "spring"}
    assert interaction.rules["$.community_winners[*].currency"] == equality
    assert interaction.rules["$.metadata.campaign"] == equality
    assert interaction.rules["$.metadata"] == {"combine": "AND", "matchers": [{"match": "type"}]}


def test_a_field_inside_a_free_form_object_is_pinned_or_read_whole() -> None:
    with pytest.raises(PactDefinitionError) as error:
        derive("WinEvent", "a win", fields=["player_id", "metadata.campaign"])
    assert str(error.value) == (
        "'metadata.campaign' is inside 'metadata', which the spec leaves free-form (any object): a pact has no type "
        "to match it by. Read 'metadata' whole (fields=[..., 'metadata']), or pin the value the consumer needs "
        "(metadata__campaign=...)"
    )
    with pytest.raises(
        PactDefinitionError, match=r"^cannot pin metadata__tags__0=\.\.\.: inside the free-form 'metadata'"
    ):
        derive("WinEvent", "a win", pins={"metadata__tags__0": "x"})


def test_examples_are_the_same_in_every_run() -> None:
    first = derive("RaffleWinEvent", "a draw", given="drawn")
    again = derive("RaffleWinEvent", "a draw", given="drawn")
    assert [i.to_json() for i in first] == [i.to_json() for i in again]


def test_an_unknown_field_raises_with_close_matches() -> None:
    with pytest.raises(UnknownFieldError, match=r"WinEvent has no field 'player_idd'.*Did you mean 'player_id'\?"):
        derive("WinEvent", "a win", fields=["player_idd"])


def test_an_unknown_pin_raises_naming_the_pin() -> None:
    with pytest.raises(UnknownFieldError, match=r"^cannot pin brandid=\.\.\.: WinEvent has no field 'brandid'"):
        derive("WinEvent", "a win", pins={"brandid": "x"})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"fields": "player_id"},
            "fields= takes a list of field paths, not the string 'player_id': write ['player_id']",
        ),
        (
            {"fields": []},
            "fields=[] reads nothing: list the fields the consumer reads, or leave fields out for the whole event",
        ),
        ({"given": {"": {}}}, "a provider state is a non-empty string, not ''"),
        (
            {"pins": {"community_winners__1__brand_id": "b"}},
            "cannot pin community_winners__1__brand_id=...: a pact matches",
        ),
    ],
)
def test_a_bad_expectation_says_how_to_fix_it(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(PactDefinitionError) as error:
        derive("WinEvent", "a win", **kwargs)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("event_type", "pins", "line"),
    [
        ("WinEvent", {"seed": None}, "  seed: expected number, got null (null is not allowed here) [null]"),
        ("JackpotUpdateEvent", {"jackpot_type": "Mystery"}, '  jackpot_type: expected "Jackpot" or "Raffle", got string "Mystery" [enum]'),
        ("JackpotUpdateEvent", {"pots__0__current_value": "12"}, '  pots[0].current_value: expected number, got string "12" [type]'),
    ],
)  # fmt: skip
def test_a_pin_the_spec_forbids_raises_at_once(event_type: str, pins: dict[str, Any], line: str) -> None:
    name = next(iter(pins))
    with pytest.raises(PactDefinitionError) as error:
        derive(event_type, "a message", pins=pins)
    assert str(error.value) == (
        f"cannot pin {name}=...: the spec does not allow that value, so no producer could send it\n{line}"
    )


@pytest.mark.parametrize(
    ("given", "states"),
    [
        ("a win", (("a win", {}),)),
        (["a win", "a jackpot"], (("a win", {}), ("a jackpot", {}))),
        ({"a win": {"pot": 1}, "a jackpot": None}, (("a win", {"pot": 1}), ("a jackpot", {}))),
        (("a win", {"pot": 1}), (("a win", {"pot": 1}),)),
        (["a jackpot", ("a win", {"pot": 1})], (("a jackpot", {}), ("a win", {"pot": 1}))),
    ],
)
def test_provider_states_take_names_params_and_pairs(given: Any, states: tuple[Any, ...]) -> None:
    (interaction,) = derive("OptInEvent", "an opt-in", given=given)
    assert interaction.states == states


@settings(max_examples=30, deadline=None)
@given(event_type=st.sampled_from(EVENT_TYPES), description=st.text(min_size=1, max_size=40).filter(str.strip))
def test_the_description_is_the_consumers_own_words(event_type: str, description: str) -> None:
    interactions = derive(event_type, description, fields=[field_paths(event_type)[0]])
    assert [i.description for i in interactions] == [description]
    # the whole WinEvent reads its nullable metadata: only the two forms add their words
    if event_type == "WinEvent":
        assert [i.description for i in derive(event_type, description)] == [
            f"{description} (metadata null)",
            f"{description} (metadata present)",
        ]
    assert all(i.metadata == {"event_type": event_type} for i in interactions)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_message_holds_exactly_the_fields_read(data: st.DataObject) -> None:
    event_type = data.draw(st.sampled_from(EVENT_TYPES))
    paths = data.draw(st.lists(st.sampled_from(field_paths(event_type)), min_size=1, max_size=6, unique=True))
    for interaction in derive(event_type, "some message", fields=paths):
        body_paths = _leaf_paths(interaction.body)
        for path in paths:
            # each field read is in the body, itself or through its sub-fields
            assert any(p == path or p.startswith((f"{path}.", f"{path}[")) for p in body_paths), (path, body_paths)
        for body_path in body_paths:
            # and nothing else: each body field is one read, or inside one, or on the way to one
            assert any(
                body_path == p
                or body_path.startswith((f"{p}.", f"{p}["))
                or p.startswith((f"{body_path}.", f"{body_path}["))
                for p in paths
            ), (body_path, paths)
        json.dumps(interaction.to_json())


def _leaf_paths(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, dict) and value:
        return [p for k, v in value.items() for p in _leaf_paths(v, f"{prefix}.{k}" if prefix else k)]
    if isinstance(value, list) and value:
        return _leaf_paths(value[0], f"{prefix}[*]")
    return [prefix]


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.binary(max_size=4),
    st.decimals(allow_nan=False),
    st.builds(object),
    st.frozensets(st.text(max_size=4), max_size=2),
)
"""Anything a test might pass: JSON values and values a pact cannot hold."""
GIVEN = st.recursive(
    ODD_VALUES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(st.text(max_size=8), inner),
        st.tuples(inner, inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=3),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(given_=GIVEN)
def test_given_becomes_provider_states_or_says_which_forms_it_takes(given_: Any) -> None:
    try:
        states = normalize_states(given_)
    except PactDefinitionError:
        return
    for name, params in states:
        assert isinstance(name, str) and name.strip() and isinstance(params, dict)
    json.dumps(states, allow_nan=False)


@pytest.mark.parametrize(
    ("given_", "message"),
    [
        (42, f"given= takes {GIVEN_FORMS}, not 42 (int)"),
        ({"a win"}, f"given= takes {GIVEN_FORMS}, not {{'a win'}} (set)"),
        (["a win", 7], "given= has 7 (int) in its list: each item is a provider state's name or a (name, params) pair"),
        ({"a win": 7}, "the parameters of provider state 'a win' are a dict of JSON values, not 7 (int)"),
        ({"a win": {"pot": Decimal("1.5")}}, "the parameters of provider state 'a win' must be JSON values (Object of type Decimal is not JSON serializable)"),
    ],
)  # fmt: skip
def test_a_given_of_no_known_form_says_what_to_write(given_: Any, message: str) -> None:
    with pytest.raises(PactDefinitionError) as error:
        derive("OptInEvent", "an opt-in", given=given_)
    assert str(error.value) == message


def test_a_pin_a_pact_cannot_hold_is_refused_at_once() -> None:
    with pytest.raises(PactDefinitionError) as error:
        derive("OptInEvent", "an opt-in", pins={"contribution_value": Decimal("1.5")})
    assert str(error.value) == (
        "cannot pin contribution_value=Decimal('1.5'): a pact holds JSON values only "
        "(Object of type Decimal is not JSON serializable)"
    )


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"type": "Synchronous/HTTP", "description": "a GET"}, "the interaction 'a GET' is of type 'Synchronous/HTTP', not 'Asynchronous/Messages'"),
        ({"type": "Asynchronous/Messages", "description": "a win", "metadata": {}}, "the interaction 'a win' has no 'event_type' in its metadata"),
        ({"type": "Asynchronous/Messages", "description": "a win", "metadata": {"event_type": "WinEvent"}, "contents": {"content": "eyJ9", "encoded": "base64"}}, "the interaction 'a win' has no JSON body"),
        ("a string", "an interaction is a JSON object, not 'a string'"),
    ],
)  # fmt: skip
def test_an_interaction_this_plugin_did_not_write_is_not_read_back(entry: Any, problem: str) -> None:
    with pytest.raises(PactDefinitionError) as error:
        Interaction.from_pact(entry)
    assert str(error.value) == problem


@settings(max_examples=200, deadline=None)
@given(
    event_type=st.one_of(st.sampled_from(EVENT_TYPES), ODD_VALUES),
    description=st.one_of(st.just("a message"), ODD_VALUES),
    fields=st.one_of(
        st.none(),
        ODD_VALUES,
        st.lists(st.one_of(st.sampled_from(field_paths("WinEvent")), ODD_VALUES), max_size=3),
        st.dictionaries(st.sampled_from(field_paths("WinEvent")), ODD_VALUES, max_size=2),
    ),
)
def test_any_expectation_is_interactions_or_an_error_saying_what_is_wrong(
    event_type: Any, description: Any, fields: Any
) -> None:
    try:
        interactions = derive(event_type, description, fields=fields)
    except ThrillpotsError:
        return
    assert interactions and all(json.dumps(i.to_json(), allow_nan=False) for i in interactions)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"fields": 42}, PactDefinitionError, "fields= takes a list of field paths such as ['player_id'], not 42 (int)"),
        ({"fields": [42]}, PactDefinitionError, "fields= holds field paths such as 'player_id' or 'community_winners[*].win_amount', not 42 (int)"),
        ({"fields": [""]}, PactDefinitionError, "fields= holds field paths such as 'player_id' or 'community_winners[*].win_amount', not '' (str)"),
        ({"event_type": 42}, UnknownEventTypeError, "an event type is a name such as 'WinEvent', not 42 (int): use one of JackpotUpdateEvent, WinEvent, RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, RafflePayoutErrorEvent"),
    ],
)  # fmt: skip
def test_an_argument_of_the_wrong_kind_says_what_to_write(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"event_type": "WinEvent", "description": "a win", **kwargs}
    with pytest.raises(error) as raised:
        derive(arguments.pop("event_type"), arguments.pop("description"), **arguments)
    assert str(raised.value) == message

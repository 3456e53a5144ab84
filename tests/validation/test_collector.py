"""The violation collector generated from the spec model: held to the reference `jsonschema`.

The generated code is a view of the spec model, not a second copy of the rules: these tests hold
it to `jsonschema` (the Python reference implementation) on the same schema files, for every kind
of defect hypothesis can make, verdict and violations alike; and to the schema engine's route it
replaced (jsonschema-rs errors mapped onto our rules), order and words included.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import orjson
import pytest
from _validation_samples import at, places, valid_event
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES, validate
from pytest_thrillpots.factories import factory_for
from pytest_thrillpots.spec import iter_fields, raw_schemas, spec
from pytest_thrillpots.spec._paths import to_pointer
from pytest_thrillpots.validation import _codegen
from pytest_thrillpots.validation._codegen import collector, generated_source
from pytest_thrillpots.validation._engine import strict_schema
from pytest_thrillpots.validation._validate import _by_engine

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)
# Keys a producer might add: spec names in the wrong place, odd spellings, digits of any script.
NEW_KEYS = st.sampled_from(["id", "brand_id", "EUR", "USD", "metadata", "0", "¹", "a/b", "~", ""]) | st.text(max_size=6)

BASES: dict[str, list[dict[str, Any]]] = {
    event_type: [valid_event(event_type), *(factory_for(event_type).seeded(seed).build() for seed in range(3))]
    for event_type in EVENT_TYPES
}
"""Valid events of each type: the hand-written sample and factory events (arrays of several items)."""


@st.composite
def defective_events(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid event with defects of every kind: fields removed, values replaced by any JSON, keys
    added to any object (unknown fields, further map keys, metadata content), the whole replaced."""
    event_type = draw(st.sampled_from(EVENT_TYPES))
    event: Any = copy.deepcopy(draw(st.sampled_from(BASES[event_type])))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        defect = draw(st.sampled_from(["remove", "replace", "replace", "add", "add", "root"]))
        if defect == "root":
            if draw(st.integers(0, 9)) == 0:  # rare: it hides every other defect
                event = draw(JSON_VALUES)
            continue
        path = draw(st.sampled_from(list(places(event))))
        target = at(event, list(path))
        if defect == "add":
            if isinstance(target, dict):
                target[draw(NEW_KEYS)] = draw(JSON_VALUES)
            continue
        if not path:
            continue
        owner = at(event, list(path[:-1]))
        if defect == "remove" and isinstance(owner, dict):
            del owner[path[-1]]
        else:
            owner[path[-1]] = draw(JSON_VALUES)
    return event_type, event


class References(dict[tuple[str, bool], Any]):
    def __repr__(self) -> str:  # hypothesis shows the arguments of a failing example
        return "<jsonschema validators>"


@pytest.fixture(scope="module")
def references() -> References:
    """`jsonschema`'s Draft 2020-12 validator of each event type, tolerant and strict."""
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    found = References()
    for strict in (False, True):
        schemas = {name: strict_schema(schema) if strict else schema for name, schema in raw_schemas().items()}
        registry: Any = Registry().with_resources(
            (schema["$id"], DRAFT202012.create_resource(schema)) for schema in schemas.values()
        )
        for name in EVENT_TYPES:
            found[name, strict] = jsonschema.Draft202012Validator(schemas[name], registry=registry)
    return found


def reference_violations(validator: Any, payload: Any, event_type: str) -> list[tuple[str, str]]:
    """The reference's errors as (pointer, rule): the rule codes' definitions, written out for the test."""
    found: dict[tuple[str | int, ...], set[str]] = {}
    for error in validator.iter_errors(payload):
        path = tuple(error.absolute_path)
        if error.validator == "required":
            for name in error.validator_value:
                if name not in error.instance:
                    found.setdefault((*path, name), set()).add("missing")
        elif error.validator == "additionalProperties":
            for name in error.instance:
                if name not in error.schema.get("properties", {}):
                    found.setdefault((*path, name), set()).add("unknown_field")
        elif error.validator == "type":
            winner = event_type == "RaffleWinEvent" and len(path) == 2 and path[0] == "winners"
            rule = (
                "not_object"
                if not path
                else "null"
                if error.instance is None
                else "legacy_tuple"
                if winner and isinstance(error.instance, list)
                else "type"
            )
            found.setdefault(path, set()).add(rule)
        elif error.validator == "enum":
            found.setdefault(path, set()).add("enum")
        else:
            raise AssertionError(f"a rule the collector does not know: {error.validator} at {path}")
    pairs = []
    for path, rules in found.items():
        if "enum" in rules and len(rules) > 1:  # a number in an enum field: one violation, its type
            rules.discard("enum")
        pairs.extend((to_pointer(path), rule) for rule in rules)
    return sorted(pairs)


@SETTINGS
@given(case=defective_events(), strict=st.booleans())
def test_the_collector_finds_what_the_reference_jsonschema_finds(
    case: tuple[str, Any], strict: bool, references: dict[tuple[str, bool], Any]
) -> None:
    event_type, payload = case
    assume(not isinstance(payload, str))  # validate() reads a str as JSON text
    reference = references[event_type, strict]
    expected = reference_violations(reference, payload, event_type)
    for form in (payload, orjson.dumps(payload)):
        found = validate(form, event_type, strict=strict)
        assert sorted((v.path, v.rule) for v in found) == expected
        assert (found == []) == reference.is_valid(payload)


@SETTINGS
@given(case=defective_events(), strict=st.booleans())
def test_the_collector_reports_as_the_engine_route_did_order_and_words_included(
    case: tuple[str, Any], strict: bool
) -> None:
    """The engine route (jsonschema-rs errors mapped onto the rules) is what the collector replaced."""
    event_type, payload = case
    assume(not isinstance(payload, str))  # validate() reads a str as JSON text
    assume(not has_key_the_engine_misplaces(payload))
    by_engine = _by_engine(payload, event_type, strict, False)
    assert validate(payload, event_type, strict=strict) == by_engine
    assert validate(orjson.dumps(payload), event_type, strict=strict) == by_engine


def has_key_the_engine_misplaces(value: Any) -> bool:
    """jsonschema-rs 0.61 leaves "" out of its error paths and gives "0" as the index 0: the engine
    route reported such places wrong (the collector does not use its paths; see the next tests)."""
    return any(
        isinstance(part, str) and (part == "" or (part.isascii() and part.isdigit()))
        for parts in places(value)
        for part in parts
    )


@st.composite
def legacy_raffles(draw: st.DrawFn) -> Any:
    """A RaffleWinEvent whose winners mix both forms, with defects anywhere, the tuples' included."""
    event: Any = copy.deepcopy(draw(st.sampled_from(BASES["RaffleWinEvent"])))
    event["winners"] = [
        *event["winners"],
        ["p-9", {"currency": "EUR", "value": 1.5}],
        ["p-8", {"currency": "SEK", "value": 2}],
    ]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        path = draw(st.sampled_from(list(places(event))))
        if not path:
            continue
        owner = at(event, list(path[:-1]))
        defect = draw(st.sampled_from(["remove", "replace", "add"]))
        if defect == "add" and isinstance(at(event, list(path)), (dict, list)):
            target = at(event, list(path))
            if isinstance(target, dict):
                target[draw(NEW_KEYS)] = draw(JSON_VALUES)
            else:
                target.append(draw(JSON_VALUES))
        elif defect == "remove" and isinstance(owner, dict):
            del owner[path[-1]]
        else:
            owner[path[-1]] = draw(JSON_VALUES)
    return event


@SETTINGS
@given(payload=legacy_raffles(), strict=st.booleans())
def test_legacy_winners_are_checked_by_the_engine_inside_the_collectors_walk(payload: Any, strict: bool) -> None:
    """With the tuple form allowed, each tuple is the engine's; the rest, and the order, as before.

    Inside one tuple the violations come in the tuple's order, missing members first (the
    engine's own order there follows its keywords: an extra item before a wrong first one).
    """
    assume(not has_key_the_engine_misplaces(payload))
    by_engine = _by_engine(payload, "RaffleWinEvent", strict, True)
    for form in (payload, orjson.dumps(payload)):
        found = validate(form, "RaffleWinEvent", strict=strict, allow_legacy_winners=True)
        assert sorted(found, key=repr) == sorted(by_engine, key=repr)
        assert [v for v in found if not in_a_tuple(v, payload)] == [v for v in by_engine if not in_a_tuple(v, payload)]


def in_a_tuple(violation: Any, payload: Any) -> bool:
    parts = violation.path.split("/")[1:]
    return len(parts) >= 3 and parts[0] == "winners" and isinstance(payload["winners"][int(parts[1])], list)


@pytest.mark.parametrize("allow_legacy_winners", [False, True])
@pytest.mark.parametrize(
    ("key", "value", "line"),
    [
        ("", None, 'currency_multipliers.multipliers[""]: expected number, got null (null is not allowed here) [null]'),
        ("0", [], "currency_multipliers.multipliers[0]: expected number, got empty array [type]"),
    ],
    ids=["empty", "digits"],
)
def test_a_map_key_the_engine_misplaces_is_reported_where_it_is(
    allow_legacy_winners: bool, key: str, value: object, line: str
) -> None:
    """jsonschema-rs leaves "" out of its error paths and makes "0" an index; the collector does not
    use them. (A pointer cannot tell the key "0" from an index: `.field` reads it as one.)"""
    from _validation_samples import legacy_raffle

    event = legacy_raffle() if allow_legacy_winners else valid_event("RaffleWinEvent")
    event["currency_multipliers"]["multipliers"][key] = value
    for payload in (event, orjson.dumps(event)):
        found = validate(payload, "RaffleWinEvent", allow_legacy_winners=allow_legacy_winners)
        assert [str(v) for v in found] == [line]
        assert [v.path for v in found] == [f"/currency_multipliers/multipliers/{key}"]


def test_the_collector_is_generated_for_every_event_type_and_mode() -> None:
    for event_type in EVENT_TYPES:
        for strict in (False, True):
            for trusted in (False, True):
                assert collector(event_type, strict, trusted) is not None


@pytest.mark.parametrize("event_type", EVENT_TYPES)
@pytest.mark.parametrize("strict", [False, True])
def test_the_generated_code_reads_every_field_of_the_model_once(event_type: str, strict: bool) -> None:
    """Derived from the model: each listed field is read by name, once (an object's leaves first)."""
    source = generated_source(event_type, strict, trusted=True)
    walk = source.split("\ndef ")[0]  # the inline walk; the rest checks values built in Python
    read = re.findall(r"= \w+\['([^']*)'\]", walk)  # field by field: x0 = v['id']
    open_maps = {parts for parts, node in iter_fields(spec(event_type)) if node.extra_values is not None}
    listed = [
        parts[-1] for parts, _ in iter_fields(spec(event_type)) if parts[-1] != "*" and parts[:-1] not in open_maps
    ]
    assert sorted(read) == sorted(listed)
    assert len(read) == len(listed)


def test_a_form_the_generator_does_not_cover_is_left_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """An open map whose listed keys differ from its further values is not generated: the engine answers."""
    from pytest_thrillpots.spec import Node
    from pytest_thrillpots.validation import _validate

    mixed = Node("object", fields={"rate": Node("object", fields={"EUR": Node("string")}, extra_values=Node("number"))})
    monkeypatch.setattr(_codegen, "spec", lambda name: mixed)
    assert _codegen.collector.__wrapped__("WinEvent", False, True) is None

    monkeypatch.setattr(_validate, "collector", lambda *args, **kwargs: None)
    monkeypatch.setattr(_validate, "_ROUTES", {})
    event = valid_event("WinEvent")
    event["seed"] = "x"
    assert [(v.path, v.rule) for v in validate(event, "WinEvent")] == [("/seed", "type")]
    assert [(v.path, v.rule) for v in validate(orjson.dumps(event), "WinEvent")] == [("/seed", "type")]
    assert validate(valid_event("WinEvent"), "WinEvent") == []


def test_violations_are_worded_only_when_read() -> None:
    event = valid_event("WinEvent")
    event["seed"] = "x"
    (violation,) = validate(orjson.dumps(event), "WinEvent")
    assert object.__getattribute__(violation, "rule") == "type"
    with pytest.raises(AttributeError):
        object.__getattribute__(violation, "message")  # not built yet
    assert violation.message == 'expected number, got string "x"'
    assert object.__getattribute__(violation, "message") == 'expected number, got string "x"'


def test_two_violations_are_in_the_engines_order_missing_first_unknown_last() -> None:
    event = valid_event("JackpotUpdateEvent")
    event = {"zz_first": 1, **{key: value for key, value in event.items() if key != "status"}, "aa_last": 2}
    event["pots"][1] = {"extra": 1, "current_value": "x", "is_progressive": 1, "id": 2}
    event["jackpot_type"] = 3
    found = [(v.field, v.rule) for v in validate(event, "JackpotUpdateEvent", strict=True)]
    assert found == [
        ("status", "missing"),
        ("jackpot_type", "type"),
        ("pots[1].current_value", "type"),
        ("pots[1].is_progressive", "type"),
        ("pots[1].id", "type"),
        ("pots[1].extra", "unknown_field"),
        ("zz_first", "unknown_field"),
        ("aa_last", "unknown_field"),
    ]


@SETTINGS
@given(case=defective_events(), strict=st.booleans())
def test_the_fast_path_says_valid_exactly_when_the_collector_finds_nothing(case: tuple[str, Any], strict: bool) -> None:
    """Either way round: a valid event never pays for a parse (further map keys included)."""
    from pytest_thrillpots.validation._fastpath import fast_check

    event_type, payload = case
    check = fast_check(event_type, strict)
    assert check is not None
    assert (check(orjson.dumps(payload)) is None) == (validate(payload, event_type, strict=strict) == [])

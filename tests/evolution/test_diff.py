"""`diff_contracts`: every change kind, in every mode, on small schemas (table-driven), plus properties."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots import ContractChange, ContractSourceError, DiffReport, diff_contracts
from pytest_thrillpots.evolution._change import CHANGE_KINDS, DOCUMENT_KINDS, MODES

B, F = "BACKWARD", "FORWARD"


def obj(required: tuple[str, ...] | None = None, **properties: Any) -> dict[str, Any]:
    """An object schema; every field required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "required": list(properties if required is None else required),
        "properties": properties,
    }


def closed(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "additionalProperties": False}


NUM = {"type": "number"}
STR = {"type": "string"}
KINDS = {"type": "string", "enum": ["Jackpot", "Raffle"]}

# (id, old contracts, new contracts, expected [(event, path, kind, breaks)])
CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple[str, str, str, set[str]]]]] = [
    ("event added", {"E": obj(a=NUM)}, {"E": obj(a=NUM), "G": obj(a=NUM)}, [("G", "<event>", "event_added", {F})]),
    ("event removed", {"E": obj(a=NUM), "G": obj(a=NUM)}, {"E": obj(a=NUM)}, [("G", "<event>", "event_removed", {B})]),
    ("required field added", {"E": obj(a=NUM)}, {"E": obj(a=NUM, b=STR)}, [("E", "b", "field_added", {B})]),
    ("optional field added", {"E": obj(a=NUM)}, {"E": obj(("a",), a=NUM, b=STR)}, [("E", "b", "field_added", set())]),
    (
        "optional field added to a closed object",
        {"E": closed(obj(a=NUM))},
        {"E": closed(obj(("a",), a=NUM, b=STR))},
        [("E", "b", "field_added", {F})],
    ),
    (
        "required field added to a closed object",
        {"E": closed(obj(a=NUM))},
        {"E": closed(obj(a=NUM, b=STR))},
        [("E", "b", "field_added", {B, F})],
    ),
    (
        "map key added with the map's value type",
        {"E": {**obj(a=NUM), "additionalProperties": NUM}},
        {"E": {**obj(("a",), a=NUM, USD=NUM), "additionalProperties": NUM}},
        [("E", "USD", "field_added", set())],
    ),
    (
        "map key added with another type",
        {"E": {**obj(a=NUM), "additionalProperties": NUM}},
        {"E": {**obj(("a",), a=NUM, USD=STR), "additionalProperties": NUM}},
        [("E", "USD", "field_added", {B, F})],
    ),
    ("required field removed", {"E": obj(a=NUM, b=STR)}, {"E": obj(a=NUM)}, [("E", "b", "field_removed", {F})]),
    (
        "optional field removed",
        {"E": obj(("a",), a=NUM, b=STR)},
        {"E": obj(a=NUM)},
        [("E", "b", "field_removed", set())],
    ),
    (
        "required field removed from a closed object",
        {"E": closed(obj(a=NUM, b=STR))},
        {"E": closed(obj(a=NUM))},
        [("E", "b", "field_removed", {B, F})],
    ),
    (
        "map key removed, its type kept by the map",
        {"E": {**obj(a=NUM, USD=NUM), "additionalProperties": NUM}},
        {"E": {**obj(a=NUM), "additionalProperties": NUM}},
        [("E", "USD", "field_removed", {F})],
    ),
    ("required added", {"E": obj(("a",), a=NUM, b=STR)}, {"E": obj(a=NUM, b=STR)}, [("E", "b", "required_added", {B})]),
    (
        "required removed",
        {"E": obj(a=NUM, b=STR)},
        {"E": obj(("a",), a=NUM, b=STR)},
        [("E", "b", "required_removed", {F})],
    ),
    (
        "type widened",
        {"E": obj(a=NUM)},
        {"E": obj(a={"type": ["number", "string"]})},
        [("E", "a", "type_widened", {F})],
    ),
    (
        "integer widened to number",
        {"E": obj(a={"type": "integer"})},
        {"E": obj(a=NUM)},
        [("E", "a", "type_widened", {F})],
    ),
    (
        "type narrowed",
        {"E": obj(a={"type": ["number", "string"]})},
        {"E": obj(a=NUM)},
        [("E", "a", "type_narrowed", {B})],
    ),
    ("type changed", {"E": obj(a=NUM)}, {"E": obj(a=STR)}, [("E", "a", "type_changed", {B, F})]),
    (
        "nullability added",
        {"E": obj(a=NUM)},
        {"E": obj(a={"type": ["number", "null"]})},
        [("E", "a", "nullability_added", {F})],
    ),
    (
        "nullability removed",
        {"E": obj(a={"type": ["number", "null"]})},
        {"E": obj(a=NUM)},
        [("E", "a", "nullability_removed", {B})],
    ),
    (
        "enum value added",
        {"E": obj(k=KINDS)},
        {"E": obj(k={**KINDS, "enum": ["Jackpot", "Raffle", "Bonus"]})},
        [("E", "k", "enum_value_added", {F})],
    ),
    (
        "enum value removed",
        {"E": obj(k=KINDS)},
        {"E": obj(k={**KINDS, "enum": ["Jackpot"]})},
        [("E", "k", "enum_value_removed", {B})],
    ),
    ("enum added", {"E": obj(k=STR)}, {"E": obj(k=KINDS)}, [("E", "k", "enum_added", {B})]),
    ("enum removed", {"E": obj(k=KINDS)}, {"E": obj(k=STR)}, [("E", "k", "enum_removed", {F})]),
    (
        "const is a one-value enum",
        {"E": obj(k={"const": "Jackpot"})},
        {"E": obj(k={"enum": ["Jackpot", "Raffle"]})},
        [("E", "k", "enum_value_added", {F})],
    ),
    (
        "lower bound raised",
        {"E": obj(xs={"type": "array"})},
        {"E": obj(xs={"type": "array", "minItems": 1})},
        [("E", "xs", "constraint_tightened", {B})],
    ),
    (
        "upper bound lowered",
        {"E": obj(s={**STR, "maxLength": 10})},
        {"E": obj(s={**STR, "maxLength": 5})},
        [("E", "s", "constraint_tightened", {B})],
    ),
    (
        "lower bound lowered",
        {"E": obj(n={**NUM, "minimum": 5})},
        {"E": obj(n={**NUM, "minimum": 0})},
        [("E", "n", "constraint_loosened", {F})],
    ),
    (
        "unique items dropped",
        {"E": obj(xs={"type": "array", "uniqueItems": True})},
        {"E": obj(xs={"type": "array"})},
        [("E", "xs", "constraint_loosened", {F})],
    ),
    (
        "pattern changed",
        {"E": obj(s={**STR, "pattern": "^a"})},
        {"E": obj(s={**STR, "pattern": "^b"})},
        [("E", "s", "constraint_changed", {B, F})],
    ),
    (
        "array item type changed",
        {"E": obj(tags={"type": "array", "items": STR})},
        {"E": obj(tags={"type": "array", "items": NUM})},
        [("E", "tags[*]", "type_changed", {B, F})],
    ),
    (
        "array items may be null",
        {"E": obj(tags={"type": "array", "items": STR})},
        {"E": obj(tags={"type": "array", "items": {"type": ["string", "null"]}})},
        [("E", "tags[*]", "nullability_added", {F})],
    ),
    (
        "array item enum value removed",
        {"E": obj(kinds={"type": "array", "items": KINDS})},
        {"E": obj(kinds={"type": "array", "items": {**KINDS, "enum": ["Raffle"]}})},
        [("E", "kinds[*]", "enum_value_removed", {B})],
    ),
    (
        "array items given a schema",
        {"E": obj(xs={"type": "array"})},
        {"E": obj(xs={"type": "array", "items": NUM})},
        [("E", "xs[*]", "type_narrowed", {B}), ("E", "xs[*]", "nullability_removed", {B})],
    ),
    (
        "field removed inside array items",
        {"E": obj(xs={"type": "array", "items": obj(id=STR, v=NUM)})},
        {"E": obj(xs={"type": "array", "items": obj(id=STR)})},
        [("E", "xs[*].v", "field_removed", {F})],
    ),
    (
        "tuple position changed",
        {"E": obj(t={"type": "array", "prefixItems": [STR, NUM], "items": False})},
        {"E": obj(t={"type": "array", "prefixItems": [STR, STR], "items": False})},
        [("E", "t[1]", "type_changed", {B, F})],
    ),
    (
        "tuple grew",
        {"E": obj(t={"type": "array", "prefixItems": [STR], "items": False})},
        {"E": obj(t={"type": "array", "prefixItems": [STR, NUM], "items": False})},
        [("E", "t[1]", "type_widened", {F})],
    ),
    (
        "unknown fields now rejected",
        {"E": obj(a=NUM)},
        {"E": closed(obj(a=NUM))},
        [("E", "<event>", "additional_properties_closed", {B})],
    ),
    (
        "unknown fields now allowed",
        {"E": obj(m=closed(obj(a=NUM)))},
        {"E": obj(m=obj(a=NUM))},
        [("E", "m", "additional_properties_opened", {F})],
    ),
    (
        "further keys restricted to a type",
        {"E": obj(m=obj(EUR=NUM))},
        {"E": obj(m={**obj(EUR=NUM), "additionalProperties": NUM})},
        [("E", "m", "additional_properties_restricted", {B})],
    ),
    (
        "further keys of any type",
        {"E": obj(m={**obj(EUR=NUM), "additionalProperties": NUM})},
        {"E": obj(m=obj(EUR=NUM))},
        [("E", "m", "additional_properties_relaxed", {F})],
    ),
    (
        "a map closed",
        {"E": obj(m={**obj(EUR=NUM), "additionalProperties": NUM})},
        {"E": obj(m=closed(obj(EUR=NUM)))},
        [("E", "m", "additional_properties_restricted", {B})],
    ),
    (
        "a closed object opened to further keys of a type",
        {"E": obj(m=closed(obj(EUR=NUM)))},
        {"E": obj(m={**obj(EUR=NUM), "additionalProperties": NUM})},
        [("E", "m", "additional_properties_relaxed", {F})],
    ),
    (
        "map values may be null",
        {"E": obj(m={**obj(EUR=NUM), "additionalProperties": NUM})},
        {"E": obj(m={**obj(EUR=NUM), "additionalProperties": {"type": ["number", "null"]}})},
        [("E", "m.*", "nullability_added", {F})],
    ),
    (
        "a keyword diff does not judge",
        {"E": obj(a={"oneOf": [NUM, STR]})},
        {"E": obj(a={"oneOf": [NUM]})},
        [("E", "a", "unsupported_change", {B, F})],
    ),
    (
        "change inside a referenced structure",
        {"E": obj(ws={"type": "array", "items": {"$ref": "P.schema.json"}}), "P": obj(win=NUM)},
        {"E": obj(ws={"type": "array", "items": {"$ref": "P.schema.json"}}), "P": obj(win=STR)},
        [("E", "ws[*].win", "type_changed", {B, F})],
    ),
    (
        "change inside $defs",
        {"E": {**obj(a=NUM), "$defs": {"T": {"type": "array", "prefixItems": [STR]}}}},
        {"E": {**obj(a=NUM), "$defs": {"T": {"type": "array", "prefixItems": [NUM]}}}},
        [("E", "$defs/T[0]", "type_changed", {B, F})],
    ),
    ("description only: no change", {"E": obj(a=NUM)}, {"E": obj(a={**NUM, "description": "money"})}, []),
]


def compatible_in(mode: str, expected: list[tuple[str, str, str, set[str]]]) -> bool:
    broken = set().union(*(breaks for *_, breaks in expected)) if expected else set()
    return {"backward": B not in broken, "forward": F not in broken, "full": not broken}[mode]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_change_kind_in_every_mode(
    old: dict[str, Any], new: dict[str, Any], expected: list[tuple[str, str, str, set[str]]], mode: str
) -> None:
    report = diff_contracts(old, new, mode=mode)  # type: ignore[arg-type]
    assert [(c.event, c.path, c.kind, set(c.breaks)) for c in report.changes] == expected
    assert report.compatible is compatible_in(mode, expected)
    assert [c.breaks_in(mode) for c in report.changes] == [  # type: ignore[arg-type]
        bool(breaks) if mode == "full" else mode.upper() in breaks for *_, breaks in expected
    ]


def test_the_table_covers_every_payload_change_kind() -> None:
    """The kinds above the payload (channels, operations, content types) have their table in test_routing."""
    covered = {kind for _, _, _, expected in CASES for _, _, kind, _ in expected}
    assert covered == set(CHANGE_KINDS) - DOCUMENT_KINDS


def test_reasons_are_one_sentence_naming_the_field() -> None:
    for _, old, new, _ in CASES:
        for change in diff_contracts(old, new).changes:
            assert change.reason.endswith(".") and change.reason[0].isupper(), change
            assert change.reason.count(". ") == 0, change.reason
            field = change.path.rsplit(".", 1)[-1]
            if change.kind.startswith(("field_", "required_")):
                assert field in change.reason, change.reason


def test_change_text_and_confluent_labels() -> None:
    report = diff_contracts({"E": obj(a=NUM, b=STR)}, {"E": obj(a={"type": ["number", "null"]})}, mode="forward")
    removed, nullable = sorted(report.changes, key=lambda c: c.kind)
    assert str(removed) == (
        "E: b: field removed (was string): breaks FORWARD. Old readers require b, which new writers no longer send."
    )
    assert removed.allowed_under == "BACKWARD"
    assert nullable.headline == "a: null allowed (number -> number or null)"
    assert report.text() == (
        "E\n"
        "  a: null allowed (number -> number or null): breaks FORWARD\n"
        "      New writers may send null, which old readers reject.\n"
        "  b: field removed (was string): breaks FORWARD\n"
        "      Old readers require b, which new writers no longer send.\n"
        "\n"
        "2 changes in 1 event (0 break BACKWARD, 2 break FORWARD): BREAKING in forward mode (2 of 2 not allowed).\n"
    )
    assert report.to_dict()["changes"][0] == {
        "event": "E",
        "path": "a",
        "kind": "nullability_added",
        "breaks": ["FORWARD"],
        "allowed_under": "BACKWARD",
        "breaking": True,
        "old": "number",
        "new": "number or null",
        "reason": "New writers may send null, which old readers reject.",
        "consumers": None,
    }


def test_the_default_mode_is_full() -> None:
    """The producer deploys first (old readers meet new events) and consumers replay history
    (new readers meet old events): a removed field every consumer reads fails by default."""
    report = diff_contracts({"E": obj(a=NUM, b=STR)}, {"E": obj(a=NUM)})
    assert report.mode == "full"
    assert not report.compatible
    assert diff_contracts({"E": obj(a=NUM, b=STR)}, {"E": obj(a=NUM)}, mode="backward").compatible


def test_both_directions_and_no_direction_get_their_labels() -> None:
    both = ContractChange("E", "a", "type_changed", frozenset({B, F}), "Why.")
    none = ContractChange("E", "a", "field_added", frozenset(), "Why.")
    assert (both.verdict, both.allowed_under) == ("breaks BACKWARD and FORWARD", "NONE")
    assert (none.verdict, none.allowed_under) == ("compatible", "FULL")
    assert DiffReport("a", "b", "full", (none,)).compatible


def test_unknown_mode_is_a_value_error_naming_the_modes() -> None:
    with pytest.raises(
        ValueError, match=r"unknown mode 'backwards': use backward, forward or full\. Did you mean 'backward'"
    ):
        diff_contracts({"E": obj(a=NUM)}, {"E": obj(a=NUM)}, mode="backwards")  # type: ignore[arg-type]


def test_the_confluent_spelling_of_a_mode_works() -> None:
    report = diff_contracts({"E": obj(a=NUM)}, {"E": obj(a=STR)}, mode="FULL")  # type: ignore[arg-type]
    assert report.mode == "full"
    assert not report.compatible


def test_a_dangling_ref_is_a_source_error() -> None:
    with pytest.raises(
        ContractSourceError, match=r"\$ref 'Nope.schema.json' in E.schema.json points at Nope.schema.json"
    ):
        diff_contracts({"E": obj(a={"$ref": "Nope.schema.json"})}, {"E": obj(a=NUM)})


def test_recursive_structures_terminate() -> None:
    tree = {"type": "object", "properties": {"v": NUM, "children": {"type": "array", "items": {"$ref": "#"}}}}
    changed = copy.deepcopy(tree)
    changed["properties"]["v"] = STR
    report = diff_contracts({"T": tree}, {"T": changed})
    assert [(c.path, c.kind) for c in report.changes] == [("v", "type_changed")]


# --- properties -------------------------------------------------------------------------------

FIELD_TYPES = st.sampled_from(["string", "number", "integer", "boolean"])


@st.composite
def field_schemas(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(FIELD_TYPES)
    schema: dict[str, Any] = {"type": [kind, "null"] if draw(st.booleans()) else kind}
    if kind == "string" and draw(st.booleans()):
        schema["enum"] = draw(st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True))
        if "null" in schema["type"]:
            schema["enum"].append(None)
    return schema


@st.composite
def object_schemas(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from("abcd"), max_size=4, unique=True))
    properties = {name: draw(field_schemas()) for name in names}
    required = [name for name in names if draw(st.booleans())]
    schema: dict[str, Any] = {"type": "object", "required": required, "properties": properties}
    content_model = draw(st.sampled_from(["open", "closed", "map"]))
    if content_model == "closed":
        schema["additionalProperties"] = False
    elif content_model == "map":
        schema["additionalProperties"] = draw(field_schemas())
    return schema


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3))


def value_of(draw: st.DrawFn, field: dict[str, Any]) -> Any:
    if "enum" in field:
        return draw(st.sampled_from(field["enum"]))
    types = field["type"] if isinstance(field["type"], list) else [field["type"]]
    return draw(
        {
            "string": st.text(max_size=3),
            "number": st.floats(allow_nan=False, allow_infinity=False),
            "integer": st.integers(),
            "boolean": st.booleans(),
            "null": st.none(),
        }[draw(st.sampled_from(types))]
    )


@st.composite
def written_by(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    """A payload a writer on ``schema`` sends, under the diff's premises: the fields it names; under
    an open content model perhaps an unknown field no version names; under a map further keys."""
    payload: dict[str, Any] = {}
    for name, field in schema["properties"].items():
        if name in schema["required"] or draw(st.booleans()):
            payload[name] = value_of(draw, field)
    further = schema.get("additionalProperties", True)
    if further is True and draw(st.booleans()):
        payload["zz_unknown"] = draw(SCALARS)
    elif isinstance(further, dict) and draw(st.booleans()):
        key = draw(st.sampled_from([k for k in "abcde" if k not in schema["properties"]]))
        payload[key] = value_of(draw, further)
    return payload


@settings(max_examples=300, deadline=None)
@given(old=object_schemas(), new=object_schemas(), data=st.data())
def test_a_direction_reported_compatible_really_is(
    old: dict[str, Any], new: dict[str, Any], data: st.DataObject
) -> None:
    """No BACKWARD break reported -> new readers accept what old writers send; FORWARD likewise."""
    report = diff_contracts({"E": old}, {"E": new})
    if not any(c.breaks_in("backward") for c in report.changes):
        payload = data.draw(written_by(old), label="old writer's payload")
        assert jsonschema.Draft202012Validator(new).is_valid(payload), report.text()
    if not any(c.breaks_in("forward") for c in report.changes):
        payload = data.draw(written_by(new), label="new writer's payload")
        assert jsonschema.Draft202012Validator(old).is_valid(payload), report.text()


@settings(max_examples=150, deadline=None)
@given(old=object_schemas(), new=object_schemas())
def test_swapping_versions_swaps_backward_and_forward(old: dict[str, Any], new: dict[str, Any]) -> None:
    swap = {B: F, F: B}
    there = sorted((c.path, sorted(swap[d] for d in c.breaks)) for c in diff_contracts({"E": old}, {"E": new}).changes)
    back = sorted((c.path, sorted(c.breaks)) for c in diff_contracts({"E": new}, {"E": old}).changes)
    assert there == back


@settings(max_examples=50, deadline=None)
@given(schema=object_schemas())
def test_a_schema_has_no_changes_against_itself(schema: dict[str, Any]) -> None:
    assert diff_contracts({"E": schema}, {"E": copy.deepcopy(schema)}).changes == ()

"""`diff_contracts`: every change kind, in every mode, on small schemas (table-driven), plus properties."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots import ContractChange, ContractSourceError, DiffReport, diff_contracts
from pytest_thrillpots.evolution._change import CHANGE_KINDS, DOCUMENT_KINDS, MODES
from pytest_thrillpots.spec._paths import parse_human

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


# --- consumer-aware: every change kind, read or not by a consumer, in every mode -----------------


def with_unrelated_fields(contracts: dict[str, Any]) -> dict[str, Any]:
    """The case's contracts, plus a field no case changes in each event, and an event no case changes."""
    extended = {}
    for name, schema in contracts.items():
        properties = {**schema["properties"], "zz_unrelated": NUM}
        extended[name] = {**schema, "properties": properties}
    return {**extended, "Other": obj(o=NUM)}


def read_parts(path: str) -> list[Any]:
    """A change's path as a consumer's pact reads it: ``m.*`` (further keys) as any key."""
    if path == "<event>" or path.startswith("$defs/"):
        return []
    return parse_human(path.replace(".*", "[*]"))


def body_at(parts: list[Any]) -> Any:
    """An example message with one value at ``parts``: what a consumer reading that path writes."""
    value: Any = 1
    for part in reversed(parts):
        value = [value] if part == "*" or isinstance(part, int) else {part: value}
    return value


def message_pact(tmp_path: Path, consumer: str, event: str, body: Any) -> Path:
    interaction = {
        "type": "Asynchronous/Messages",
        "description": f"{consumer} reads {event}",
        "contents": {"content": body, "contentType": "application/json", "encoded": False},
        "metadata": {"event_type": event},
    }
    pact = {"consumer": {"name": consumer}, "provider": {"name": "thrillpots"}, "interactions": [interaction]}
    path = tmp_path / f"{consumer}-thrillpots.json"
    path.write_text(json.dumps(pact), encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES if c[3]], ids=[c[0] for c in CASES if c[3]])
def test_every_change_kind_read_or_not_by_a_consumer_in_every_mode(
    tmp_path: Path, old: dict[str, Any], new: dict[str, Any], expected: list[tuple[str, str, str, set[str]]], mode: str
) -> None:
    """A change fails only when it breaks the mode and a consumer reads what it changes: the
    consumer reading the changed path is reached; one reading another field of the event is
    reached only by a change to the event itself (or inside $defs, which may be used anywhere);
    one reading another event never is."""
    old, new = with_unrelated_fields(old), with_unrelated_fields(new)
    (event,) = {e for e, *_ in expected}
    (path,) = {p for _, p, *_ in expected}
    breaks = any(bool(b) if mode == "full" else mode.upper() in b for *_, b in expected)
    whole_event = path == "<event>" or path.startswith("$defs/")
    readers = {
        "reader": (event, body_at(read_parts(path)), True),
        "sibling": (event, {"zz_unrelated": 1}, whole_event),
        "other": ("Other", {"o": 1}, False),
    }
    for consumer, (read_event, body, reached) in readers.items():
        pact = message_pact(tmp_path, consumer, read_event, body)
        report = diff_contracts(old, new, mode=mode, pacts=[pact])  # type: ignore[arg-type]
        assert [(c.event, c.path, c.kind, set(c.breaks)) for c in report.changes] == expected
        assert [bool(c.read_by) for c in report.changes] == [reached] * len(expected), consumer
        assert report.compatible is not (breaks and reached), consumer
        verdict = "breaks" if breaks and reached else "compatible" if reached else "unaffected"
        assert [(v.consumer, v.verdict) for v in report.consumers] == [(consumer, verdict)]
        assert report.to_dict()["compatible"] is report.compatible
        assert [c["breaking"] for c in report.to_dict()["changes"]] == [breaks and reached] * len(expected)


def test_a_read_inside_a_structure_is_reached_by_a_change_to_that_structure(tmp_path: Path) -> None:
    """``pots[*].current_value`` read by a consumer, ``current_value`` changed in the referenced PotTicker."""
    ticker = obj(id=STR, current_value=NUM)
    event = obj(pots={"type": "array", "items": {"$ref": "PotTicker.schema.json"}})
    pact = message_pact(tmp_path, "lobby", "Update", {"pots": [{"current_value": 1}]})
    report = diff_contracts(
        {"Update": event, "PotTicker": ticker},
        {"Update": event, "PotTicker": obj(id=STR, current_value=STR)},
        pacts=pact,
    )
    (change,) = report.changes
    assert (change.event, change.path) == ("Update", "pots[*].current_value")
    assert [(r.consumer, r.interaction, r.path) for r in change.read_by or ()] == [
        ("lobby", "lobby reads Update", "pots[*].current_value")
    ]


def test_a_read_of_a_whole_array_is_reached_by_any_change_inside_it(tmp_path: Path) -> None:
    """A matching rule on ``$.winners`` (and an example of no winner): every change inside the array reaches it."""
    old = {"Raffle": obj(winners={"type": "array", "items": obj(player_id=STR, win_amount=NUM)}, id=STR)}
    new = {"Raffle": obj(winners={"type": "array", "items": obj(player_id=STR, win_amount=STR)}, id=STR, extra=STR)}
    pact = message_pact(tmp_path, "wallet", "Raffle", {"winners": []})
    report = diff_contracts(old, new, pacts=pact)
    assert [(c.path, bool(c.read_by)) for c in report.changes] == [("winners[*].win_amount", True), ("extra", False)]
    assert [str(v) for v in report.consumers] == ["wallet: breaks (reads winners in 'wallet reads Raffle')"]


def test_the_consumer_aware_report_in_text_and_json(tmp_path: Path) -> None:
    old = {"E": obj(a=NUM, b=STR, c=NUM)}
    new = {"E": obj(a=STR, c=NUM)}
    crm = message_pact(tmp_path, "crm", "E", {"a": 1, "c": 2})
    lobby = message_pact(tmp_path, "lobby", "E", {"c": 2})
    report = diff_contracts(old, new, pacts=[crm, lobby])
    assert report.text() == (
        "E\n"
        "  a: type changed (number -> string): breaks BACKWARD and FORWARD\n"
        "      New readers reject the number values old writers send; old readers reject the string values new writers send.\n"
        "      Read by crm in 'crm reads E'.\n"
        "  b: field removed (was string): breaks FORWARD\n"
        "      Old readers require b, which new writers no longer send.\n"
        "      Read by no consumer: it passes.\n"
        "\n"
        f"Consumers (2 with pacts from {crm}, {lobby}):\n"
        "  crm: breaks (reads a in 'crm reads E')\n"
        "  lobby: unaffected\n"
        "\n"
        "2 changes in 1 event (1 break BACKWARD, 2 break FORWARD): BREAKING in full mode for crm "
        "(1 of 2 breaks what a consumer reads; 1 change breaks full mode but no consumer reads it).\n"
    )
    document = report.to_dict()
    assert document["compatible"] is False
    assert [(c["path"], c["breaking"], c["consumers"]) for c in document["changes"]] == [
        ("a", True, [{"consumer": "crm", "interaction": "crm reads E", "reads": "a"}]),
        ("b", False, []),
    ]
    assert document["consumers"] == [
        {
            "consumer": "crm",
            "verdict": "breaks",
            "reads": [{"consumer": "crm", "interaction": "crm reads E", "reads": "a"}],
        },
        {"consumer": "lobby", "verdict": "unaffected", "reads": []},
    ]
    unread = diff_contracts(old, {"E": obj(a=NUM, c=NUM)}, pacts=[crm, lobby])
    assert unread.compatible
    assert unread.summary() == (
        "1 change in 1 event (0 break BACKWARD, 1 break FORWARD): compatible in full mode for every consumer "
        "(1 change breaks full mode but no consumer reads it)."
    )


def test_a_consumer_reading_an_event_neither_version_defines_is_an_error(tmp_path: Path) -> None:
    pact = message_pact(tmp_path, "crm", "Nope", {"a": 1})
    with pytest.raises(ContractSourceError) as error:
        diff_contracts({"E": obj(a=NUM)}, {"E": obj(a=NUM)}, pacts=pact)
    assert str(error.value) == (
        "crm in 'crm reads Nope' reads Nope events, which neither <schemas> nor <schemas> defines: "
        "check the pact's event_type, or compare the contracts it was written against"
    )


def test_provider_without_pacts_is_a_type_error() -> None:
    with pytest.raises(
        TypeError, match=r"provider= names the provider in the pacts: give pacts=\.\.\. or broker=\.\.\. too"
    ):
        diff_contracts({"E": obj(a=NUM)}, {"E": obj(a=NUM)}, provider="payments")


# --- $ref with keywords beside it, and recursion through them --------------------------------


def with_defs(schema: dict[str, Any], **defs: Any) -> dict[str, Any]:
    return {**schema, "$defs": defs}


@pytest.mark.parametrize(
    ("beside", "target", "changed_target", "expected"),
    [
        # both apply: the tighter bound is the one in force, and it did not change
        ({"minimum": 1}, {"type": "number", "minimum": 5}, {"type": "number", "minimum": 5}, []),
        (
            {"minimum": 1},
            {"type": "number", "minimum": 5},
            {"type": "number", "minimum": 3},
            [("n", "constraint_loosened")],
        ),
        ({"maxLength": 9}, {"type": "string", "maxLength": 4}, {"type": "string", "maxLength": 4}, []),
        # the types both allow: integer, in both versions
        ({"type": ["number", "null"]}, {"type": ["integer", "string"]}, {"type": "integer"}, []),
        ({"required": ["a"]}, obj(("b",), a=NUM, b=NUM), obj(("b",), a=NUM, b=NUM), []),
        ({"required": ["a"]}, obj(("b",), a=NUM, b=NUM), obj((), a=NUM, b=NUM), [("n.b", "required_removed")]),
        # two patterns cannot be one: the pair is the allOf it means, and a change to it is not judged
        (
            {"pattern": "^a"},
            {"type": "string", "pattern": "b$"},
            {"type": "string", "pattern": "c$"},
            [("n", "unsupported_change")],
        ),
    ],
)
def test_keywords_beside_a_ref_apply_with_its_target(
    beside: dict[str, Any], target: Any, changed_target: Any, expected: list[tuple[str, str]]
) -> None:
    event = obj(n={"$ref": "#/$defs/N", **beside})
    report = diff_contracts({"E": with_defs(event, N=target)}, {"E": with_defs(event, N=changed_target)})
    assert [(c.path, c.kind) for c in report.changes if not c.path.startswith("$defs")] == expected


def test_a_recursive_array_reached_through_a_ref_with_keywords_beside_it_terminates() -> None:
    tree = {"$ref": "#/$defs/Tree", "minItems": 1, "$defs": {"Tree": {"type": "array", "items": {"$ref": "#"}}}}
    report = diff_contracts({"E": tree}, {"E": {"type": "object"}})
    assert [(c.path, c.kind, c.old) for c in report.changes] == [
        ("<event>", "type_changed", "array"),
        ("<event>", "constraint_loosened", "minItems 1"),
    ]
    changed = copy.deepcopy(tree)
    changed["minItems"] = 2
    assert [(c.path, c.kind) for c in diff_contracts({"E": tree}, {"E": changed}).changes] == [
        ("<event>", "constraint_tightened"),
        ("$defs/Tree[*]", "constraint_tightened"),  # its items are the event, again
    ]


LEAF_SCHEMAS = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["string", "number", "integer", "boolean", "null", ["string", "null"]])},
        optional={
            "enum": st.lists(
                st.one_of(st.integers(0, 2), st.sampled_from(["a", "b"]), st.none()), min_size=1, max_size=3
            ),
            "minimum": st.integers(0, 3),
            "pattern": st.sampled_from(["^a", "b"]),
            "multipleOf": st.sampled_from([1, 2, 0.5]),
        },
    ),
    st.booleans(),
    st.sampled_from(
        [{}, {"$ref": "#"}, {"$ref": "#/$defs/d"}, {"$ref": "X.schema.json"}, {"$ref": "#/$defs/d", "minimum": 1}]
    ),
)


def _compound(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(
            lambda props, required, further: {
                "type": "object",
                "properties": props,
                "required": required,
                **({} if further is None else {"additionalProperties": further}),
            },
            st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
            st.lists(st.sampled_from("abcd"), max_size=3, unique=True),
            st.one_of(st.none(), inner),
        ),
        st.builds(
            lambda items, prefix: {"type": "array", "items": items, **({"prefixItems": prefix} if prefix else {})},
            inner,
            st.lists(inner, max_size=2),
        ),
        st.builds(lambda options: {"oneOf": options}, st.lists(inner, min_size=1, max_size=2)),
    )


ANY_SCHEMAS = st.recursive(LEAF_SCHEMAS, _compound, max_leaves=10)


def as_document(schema: Any, definition: Any) -> dict[str, Any]:
    return {**(schema if isinstance(schema, dict) else {"allOf": [schema]}), "$defs": {"d": definition}}


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(old=ANY_SCHEMAS, new=ANY_SCHEMAS, old_def=ANY_SCHEMAS, new_def=ANY_SCHEMAS, other=ANY_SCHEMAS)
def test_any_schemas_give_a_report_or_a_source_error(
    old: Any, new: Any, old_def: Any, new_def: Any, other: Any
) -> None:
    """Recursive, referencing, self-referencing schemas: a verdict, or a one-line error; never a crash."""
    before = {"E": as_document(old, old_def), "X": as_document(other, old_def)}
    after = {"E": as_document(new, new_def), "X": as_document(other, new_def)}
    try:
        report = diff_contracts(before, after)
    except ContractSourceError:
        return
    report.text()
    try:  # a broken $ref the change did not lead through is met when the same schemas are compared whole
        unchanged = diff_contracts(before, copy.deepcopy(before))
    except ContractSourceError:
        return
    assert unchanged.changes == ()

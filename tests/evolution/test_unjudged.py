"""Nothing a schema says is silently taken as unchanged: keywords `thrillpots diff` cannot judge are
compared with their `$ref`s followed, and a keyword it does not know is reported, not skipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_thrillpots import diff_contracts

B, F = "BACKWARD", "FORWARD"
NUM = {"type": "number"}
STR = {"type": "string"}


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


RECORD = obj(v=NUM)
RECORD_RETYPED = obj(v=STR)


def kinds(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str | None, set[str]]]:
    return [(c.path, c.kind, c.new, set(c.breaks)) for c in diff_contracts(old, new).changes]


@pytest.mark.parametrize(
    ("keyword", "where"),
    [
        ("anyOf", {"anyOf": [{"$ref": "Record.schema.json"}, {"type": "null"}]}),
        ("oneOf", {"oneOf": [{"$ref": "Record.schema.json"}, STR]}),
        ("allOf", {"allOf": [{"$ref": "Record.schema.json"}]}),
        ("not", {"not": {"$ref": "Record.schema.json"}}),
        ("patternProperties", {"type": "object", "patternProperties": {"^x": {"$ref": "Record.schema.json"}}}),
        ("if", {"if": {"$ref": "Record.schema.json"}, "then": STR}),
    ],
)
def test_a_structure_changed_behind_a_keyword_diff_cannot_judge_is_reported(keyword: str, where: Any) -> None:
    """The keyword's own text is the same in both versions, but the structure it refers to changed."""
    old = {"E": obj(a=where), "Record": RECORD}
    new = {"E": obj(a=where), "Record": RECORD_RETYPED}
    report = diff_contracts(old, new)
    assert [(c.path, c.kind, c.new, set(c.breaks)) for c in report.changes] == [
        ("a", "unsupported_change", keyword, {B, F})
    ]
    assert str(report.changes[0]) == (
        f"E: a: change thrillpots diff cannot judge ({keyword}): breaks BACKWARD and FORWARD. "
        f"The {keyword} keyword changed and thrillpots diff does not judge {keyword}, so it cannot vouch for "
        "either direction; review the change by hand."
    )
    assert not report.compatible


def test_a_ref_chain_behind_a_keyword_is_followed_to_its_end() -> None:
    chain = {"A": {"$ref": "Record.schema.json"}}
    where = {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}
    old = {"E": {**obj(a=where), "$defs": chain}, "Record": RECORD}
    new = {"E": {**obj(a=where), "$defs": chain}, "Record": RECORD_RETYPED}
    assert ("a", "unsupported_change", "anyOf", {B, F}) in kinds(old, new)


def test_a_keyword_whose_refs_lead_to_the_same_schemas_is_no_change() -> None:
    """Pointing the same anyOf at an identical copy of the structure changes nothing."""
    old = {"E": obj(a={"anyOf": [{"$ref": "Record.schema.json"}, {"type": "null"}]}), "Record": RECORD}
    new = {
        "E": obj(a={"anyOf": [{"$ref": "Copy.schema.json"}, {"type": "null"}]}),
        "Record": RECORD,
        "Copy": RECORD,
    }
    assert kinds(old, new) == []


def test_a_recursive_structure_behind_a_keyword_terminates() -> None:
    tree = {"anyOf": [{"type": "null"}, obj(v=NUM, children={"type": "array", "items": {"$ref": "#"}})]}
    retyped = {"anyOf": [{"type": "null"}, obj(v=STR, children={"type": "array", "items": {"$ref": "#"}})]}
    assert kinds({"T": tree}, {"T": tree}) == []
    assert kinds({"T": tree}, {"T": retyped}) == [("<event>", "unsupported_change", "anyOf", {B, F})]


@pytest.mark.parametrize(
    ("old", "new", "keyword"),
    [
        ({"type": "string", "nullable": True}, STR, "nullable"),
        (
            {"type": "string", "contentMediaType": "application/json", "contentSchema": NUM},
            {"type": "string", "contentMediaType": "application/json", "contentSchema": STR},
            "contentSchema",
        ),
        ({"type": "object", "discriminator": {"propertyName": "k"}}, {"type": "object"}, "discriminator"),
        ({"type": "number", "exclusiveMinimun": 0}, NUM, "exclusiveMinimun"),
    ],
    ids=["nullable", "contentSchema", "discriminator", "a misspelt keyword"],
)
def test_a_keyword_diff_does_not_know_is_reported_when_it_changes(old: Any, new: Any, keyword: str) -> None:
    report = diff_contracts({"E": obj(a=old)}, {"E": obj(a=new)})
    assert [(c.path, c.kind, c.new, set(c.breaks)) for c in report.changes] == [
        ("a", "unsupported_change", keyword, {B, F})
    ]
    assert report.changes[0].reason == (
        f"The {keyword} keyword changed and thrillpots diff does not judge {keyword}, so it cannot vouch for "
        "either direction; review the change by hand."
    )


def test_a_changed_schema_dialect_is_reported() -> None:
    """Draft 7 ignores the keywords beside a $ref and reads items as a tuple: the same text means other things."""
    old = {"E": {"$schema": "http://json-schema.org/draft-07/schema#", **obj(a=NUM)}}
    new = {"E": {"$schema": "https://json-schema.org/draft/2020-12/schema", **obj(a=NUM)}}
    assert kinds(old, new) == [("<event>", "unsupported_change", "$schema", {B, F})]


@pytest.mark.parametrize(
    "annotation",
    [
        {"description": "x"},
        {"default": 3},
        {"examples": [1]},
        {"title": "t"},
        {"$comment": "c"},
        {"deprecated": True},
        {"x-unit": "EUR"},
        {"externalDocs": {"url": "https://example.invalid"}},
    ],
)
def test_annotations_and_extensions_are_not_changes(annotation: dict[str, Any]) -> None:
    assert kinds({"E": obj(a=NUM)}, {"E": obj(a={**NUM, **annotation})}) == []


def test_const_and_enum_together_allow_only_the_values_both_allow() -> None:
    old = {"E": obj(k={"const": "Jackpot", "enum": ["Jackpot", "Raffle"]})}
    new = {"E": obj(k={"const": "Jackpot", "enum": ["Raffle"]})}
    assert kinds(old, new) == [
        ("k", "type_narrowed", "nothing", {B}),  # "Jackpot" is not in the new enum: nothing is valid
        ("k", "enum_value_removed", None, {B}),
    ]
    raffle = {"E": obj(k={"const": "Raffle", "enum": ["Jackpot", "Raffle"]})}
    assert kinds(raffle, {"E": obj(k={"const": "Raffle", "enum": ["Raffle"]})}) == []


def test_files_of_a_schema_directory_that_diff_does_not_read_are_named(tmp_path: Path) -> None:
    """A schema in a subdirectory, or a file not named *.schema.json, that no schema references is
    not compared: the report says so instead of passing it silently."""
    for version, kind in (("old", NUM), ("new", STR)):
        (tmp_path / version / "extra").mkdir(parents=True)
        (tmp_path / version / "E.schema.json").write_text(json.dumps(obj(a=NUM, r={"$ref": "common/R.json"})))
        (tmp_path / version / "common").mkdir()
        (tmp_path / version / "common" / "R.json").write_text(json.dumps(obj(v=NUM)))
        (tmp_path / version / "extra" / "G.schema.json").write_text(json.dumps(obj(a=kind)))
        (tmp_path / version / "H.json").write_text(json.dumps(obj(a=kind)))
    (tmp_path / "new" / "README.md").write_text("not a schema")
    report = diff_contracts(tmp_path / "old", tmp_path / "new")
    assert report.changes == ()
    assert report.notes == (
        f"Not compared: H.json and extra/G.schema.json in {tmp_path / 'old'}, which no schema references "
        "(thrillpots diff compares the *.schema.json files of the directory itself, and what they reference).",
        f"Not compared: H.json and extra/G.schema.json in {tmp_path / 'new'}, which no schema references "
        "(thrillpots diff compares the *.schema.json files of the directory itself, and what they reference).",
    )
    assert report.text().endswith(
        f"No changes between {tmp_path / 'old'} and {tmp_path / 'new'}: compatible in full mode.\n"
    )

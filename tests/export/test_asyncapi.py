"""contracts/asyncapi.yaml: in sync with the schemas, valid AsyncAPI 3.0, every example valid."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from pytest_thrillpots import EVENT_TYPES, asyncapi_document, asyncapi_yaml, diff_contracts, validate
from pytest_thrillpots.factories import factory_for
from pytest_thrillpots.spec import field_paths, spec

REPO = Path(__file__).resolve().parents[2]
ASYNCAPI = REPO / "contracts" / "asyncapi.yaml"
SCHEMAS = REPO / "contracts" / "schemas"
OFFICIAL_SCHEMA = Path(__file__).resolve().parents[1] / "asyncapi" / "asyncapi-3.0.0.schema.json"


@cache
def shipped() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))
    return document


@cache
def official_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "http://asyncapi.com/definitions/3.0.0/asyncapi.json"
    return jsonschema.Draft7Validator(schema)


def test_the_shipped_document_is_what_export_writes_byte_for_byte() -> None:
    assert ASYNCAPI.read_bytes() == asyncapi_yaml().encode("utf-8"), (
        "contracts/asyncapi.yaml is out of date: run `thrillpots export asyncapi --output contracts/asyncapi.yaml`"
    )


def test_export_is_deterministic() -> None:
    assert asyncapi_yaml() == asyncapi_yaml()


def test_the_document_validates_against_the_official_asyncapi_3_schema() -> None:
    errors = sorted(official_validator().iter_errors(shipped()), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("operations", "sendWinEvent", "action"), "publish"),  # AsyncAPI 2 wording, gone in 3.0
        (("components", "messages", "WinEvent", "examples", 0, "nme"), "typo"),
        (("channels", "WinEvent", "adress"), "WinEvent"),
        (("info", "version"), 1),
    ],
)
def test_the_official_schema_catches_a_broken_document(path: tuple[Any, ...], value: Any) -> None:
    broken = json.loads(json.dumps(shipped()))
    target = broken
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert not official_validator().is_valid(broken)


def test_a_channel_send_operation_and_message_per_event() -> None:
    document = shipped()
    assert document["asyncapi"] == "3.0.0"
    assert list(document["channels"]) == list(EVENT_TYPES)
    assert list(document["components"]["messages"]) == list(EVENT_TYPES)
    for name in EVENT_TYPES:
        operation = document["operations"][f"send{name}"]
        assert operation["action"] == "send"
        assert resolve(document, operation["channel"]["$ref"]) is document["channels"][name]
        (message_ref,) = operation["messages"]
        assert message_ref["$ref"] == f"#/channels/{name}/messages/{name}"
        message = resolve(document, resolve(document, message_ref["$ref"])["$ref"])
        assert message is document["components"]["messages"][name]
        assert message["payload"] == {
            "schemaFormat": "application/schema+json;version=draft-2020-12",
            "schema": {"$ref": f"./schemas/{name}.schema.json"},
        }
        assert (ASYNCAPI.parent / message["payload"]["schema"]["$ref"]).resolve() == SCHEMAS / f"{name}.schema.json"


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def registry() -> Registry:
    resources = [
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in (json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json"))
    ]
    return Registry().with_resources(resources)


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_every_example_is_valid_against_its_payload_schema(name: str) -> None:
    message = shipped()["components"]["messages"][name]
    schema_file = ASYNCAPI.parent / message["payload"]["schema"]["$ref"]
    payload_schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(payload_schema, registry=registry())
    examples = message["examples"]
    assert [e["name"] for e in examples] == [f"coverage-{i}" for i in range(1, len(examples) + 1)]
    for example in examples:
        assert [e.message for e in validator.iter_errors(example["payload"])] == []
        assert validate(example["payload"], name, strict=True) == []


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_the_examples_are_the_factories_coverage_events(name: str) -> None:
    examples = shipped()["components"]["messages"][name]["examples"]
    assert [e["payload"] for e in examples] == factory_for(name).coverage()


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_the_examples_take_every_branch(name: str) -> None:
    """Each nullable field null and set, each enum value and boolean both ways, each array empty and not."""
    summaries = ", ".join(e["summary"] for e in shipped()["components"]["messages"][name]["examples"])
    for path in field_paths(name):
        node = spec(name)
        for part in path.replace("[*]", ".*").split("."):
            node = node.items if part == "*" else node.fields[part]  # type: ignore[assignment]
        assert node is not None
        if node.nullable:
            assert f"{path} null" in summaries and f"{path} set" in summaries, path
        for value in node.enum or ():
            assert f"{path} {json.dumps(value)}" in summaries, (path, value)
        if node.kind == "boolean":
            assert "true" in _facts(summaries, path) and "false" in _facts(summaries, path), path
        if node.kind == "array" and "[*]" not in path:
            assert f"{path} empty" in summaries, path


def _facts(summaries: str, path: str) -> str:
    return " ".join(part for part in summaries.split(", ") if part.startswith(f"{path} "))


def test_the_document_and_the_schemas_describe_the_same_contract() -> None:
    assert diff_contracts(SCHEMAS, ASYNCAPI).changes == ()


def test_info_names_the_package_version() -> None:
    from pytest_thrillpots import __version__

    assert asyncapi_document()["info"]["version"] == __version__


def test_every_message_declares_the_event_type_header_the_pacts_require() -> None:
    from pytest_thrillpots.pact import message_interactions

    from .._pact_support import PACTS

    messages = asyncapi_document()["components"]["messages"]
    for name, message in messages.items():
        assert message["headers"]["required"] == ["event_type"]
        assert message["headers"]["properties"]["event_type"]["const"] == name
    # the metadata of every interaction the plugin wrote is what the AsyncAPI document says a message carries
    for path in sorted(PACTS.glob("*.json")):
        for interaction in message_interactions(json.loads(path.read_text()), source=str(path)):
            assert interaction.event_type is not None
            jsonschema.validate(dict(interaction.metadata), messages[interaction.event_type]["headers"])

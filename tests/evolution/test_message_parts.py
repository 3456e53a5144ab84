"""What an AsyncAPI message says besides its payload: headers, bindings and correlationId, also where
its traits say them, are compared, never skipped."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_thrillpots import diff_contracts

B, F = "BACKWARD", "FORWARD"
PAYLOAD = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
HEADERS = {"type": "object", "required": ["trace"], "properties": {"trace": {"type": "string"}}}


def v3(**message: Any) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {"wins": {"address": "wins", "messages": {"Win": {"$ref": "#/components/messages/Win"}}}},
        "operations": {"sendWin": {"action": "send", "channel": {"$ref": "#/channels/wins"}}},
        "components": {"messages": {"Win": {"name": "Win", "payload": PAYLOAD, **message}}},
    }


def v2(**message: Any) -> dict[str, Any]:
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "t", "version": "1"},
        "channels": {"wins": {"subscribe": {"message": {"name": "Win", "payload": PAYLOAD, **message}}}},
    }


def diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str | None, set[str]]]:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new), encoding="utf-8")
    report = diff_contracts(tmp_path / "old.yaml", tmp_path / "new.yaml")
    return [(c.path, c.kind, c.new, set(c.breaks)) for c in report.changes]


RETYPED = {**HEADERS, "properties": {"trace": {"type": "number"}}}


def test_a_header_retyped_is_a_change_at_the_headers(tmp_path: Path) -> None:
    assert diff(tmp_path, v3(headers=HEADERS), v3(headers=RETYPED)) == [
        ("<headers>.trace", "type_changed", "number", {B, F})
    ]


def test_a_required_header_added_breaks_backward(tmp_path: Path) -> None:
    assert diff(tmp_path, v3(), v3(headers=HEADERS)) == [
        ("<headers>", "type_narrowed", "object", {B}),
        ("<headers>", "nullability_removed", "object", {B}),
        ("<headers>.trace", "field_added", "string", {B}),
    ]


def test_a_header_change_reaches_every_reader_of_the_message(tmp_path: Path) -> None:
    interaction = {
        "type": "Asynchronous/Messages",
        "description": "a win",
        "contents": {"content": {"id": "w1"}, "contentType": "application/json"},
        "metadata": {"event_type": "Win"},
    }
    pact = {"consumer": {"name": "wallet"}, "provider": {"name": "thrillpots"}, "interactions": [interaction]}
    (tmp_path / "wallet.json").write_text(json.dumps(pact), encoding="utf-8")
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(v3(headers=HEADERS)), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(v3(headers=RETYPED)), encoding="utf-8")
    report = diff_contracts(tmp_path / "old.yaml", tmp_path / "new.yaml", pacts=tmp_path / "wallet.json")
    assert not report.compatible
    assert [str(v) for v in report.consumers] == ["wallet: breaks (reads id in 'a win')"]


@pytest.mark.parametrize("document", [v2, v3])
def test_what_a_trait_says_is_compared_as_the_message_says_it(tmp_path: Path, document: Any) -> None:
    old = document(traits=[{"headers": HEADERS}])
    new = document(traits=[{"headers": RETYPED}])
    assert diff(tmp_path, old, new) == [("<headers>.trace", "type_changed", "number", {B, F})]
    old, new = document(traits=[{"contentType": "application/json"}]), document(traits=[{"contentType": "text/plain"}])
    assert [kind for _, kind, *_ in diff(tmp_path, old, new)] == ["content_type_changed"]


def test_a_trait_given_by_ref_is_followed(tmp_path: Path) -> None:
    old, new = v3(traits=[{"$ref": "#/components/messageTraits/Traced"}]), None
    old["components"]["messageTraits"] = {"Traced": {"headers": HEADERS}}
    new = copy.deepcopy(old)
    new["components"]["messageTraits"]["Traced"]["headers"] = RETYPED
    assert diff(tmp_path, old, new) == [("<headers>.trace", "type_changed", "number", {B, F})]


def test_in_2x_a_trait_overrides_the_message_and_in_3x_the_message_overrides_its_traits(tmp_path: Path) -> None:
    """AsyncAPI 2.x merges each trait over the message; 3.0 merges the message over its traits."""
    v2_old = v2(contentType="application/json", traits=[{"contentType": "application/json"}])
    v2_new = v2(contentType="application/json", traits=[{"contentType": "text/plain"}])
    assert [kind for _, kind, *_ in diff(tmp_path, v2_old, v2_new)] == ["content_type_changed"]
    v3_old = v3(contentType="application/json", traits=[{"contentType": "application/json"}])
    v3_new = v3(contentType="application/json", traits=[{"contentType": "text/plain"}])
    assert diff(tmp_path, v3_old, v3_new) == []


@pytest.mark.parametrize(
    ("keyword", "old", "new"),
    [
        ("bindings", {"kafka": {"key": {"type": "string"}}}, {"kafka": {"key": {"type": "number"}}}),
        ("correlationId", {"location": "$message.header#/trace"}, {"location": "$message.payload#/id"}),
    ],
)
def test_bindings_and_correlation_id_changed_are_reported_not_judged(
    tmp_path: Path, keyword: str, old: Any, new: Any
) -> None:
    assert diff(tmp_path, v3(**{keyword: old}), v3(**{keyword: new})) == [
        ("<event>", "unsupported_change", keyword, {B, F})
    ]
    assert diff(tmp_path, v3(**{keyword: old}), v3(**{keyword: copy.deepcopy(old)})) == []


def test_a_description_of_a_header_is_no_change(tmp_path: Path) -> None:
    described = copy.deepcopy(HEADERS)
    described["properties"]["trace"]["description"] = "the trace id"
    assert diff(tmp_path, v3(headers=HEADERS), v3(headers=described)) == []

"""Changes above the payload: an AsyncAPI document's channels, operations and content types."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_thrillpots import ContractSourceError, diff_contracts
from pytest_thrillpots.evolution._change import DOCUMENT_KINDS, MODES

B, F = "BACKWARD", "FORWARD"
PAYLOAD = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}


def v3(
    *,
    address: str | None = "jackpot.wins",
    channel_id: str = "wins",
    content_type: str | None = "application/json",
    default_content_type: str | None = None,
    operations: dict[str, Any] | None = None,
    extra_channels: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An AsyncAPI 3.0 document with one message, Win, on one channel, sent by one operation."""
    message: dict[str, Any] = {"name": "Win", "payload": PAYLOAD}
    if content_type is not None:
        message["contentType"] = content_type
    channel: dict[str, Any] = {"messages": {"Win": {"$ref": "#/components/messages/Win"}}}
    if address is not None:
        channel["address"] = address
    doc: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {channel_id: channel, **(extra_channels or {})},
        "operations": operations
        if operations is not None
        else {"sendWin": {"action": "send", "channel": {"$ref": f"#/channels/{channel_id}"}}},
        "components": {"messages": {"Win": message}},
    }
    if default_content_type is not None:
        doc["defaultContentType"] = default_content_type
    return doc


def v2(
    *, channel: str = "jackpot.wins", operation: str = "subscribe", content_type: str | None = None
) -> dict[str, Any]:
    message: dict[str, Any] = {"name": "Win", "payload": PAYLOAD}
    if content_type is not None:
        message["contentType"] = content_type
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "t", "version": "1"},
        "channels": {channel: {operation: {"message": message}}},
    }


SECOND_CHANNEL = {
    "wins.audit": {"address": "jackpot.wins.audit", "messages": {"Win": {"$ref": "#/components/messages/Win"}}}
}
SEND_BOTH = {
    "sendWin": {"action": "send", "channel": {"$ref": "#/channels/wins"}},
    "auditWin": {"action": "send", "channel": {"$ref": "#/channels/wins.audit"}},
}

# (id, old document, new document, expected [(kind, old, new, breaks)]) for the one message, Win
CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple[str, str | None, str | None, set[str]]]]] = [
    (
        "content type changed",
        v3(),
        v3(content_type="application/vnd.apache.avro+json"),
        [("content_type_changed", "application/json", "application/vnd.apache.avro+json", {B, F})],
    ),
    (
        "default content type changed",
        v3(content_type=None, default_content_type="application/json"),
        v3(content_type=None, default_content_type="text/plain"),
        [("content_type_changed", "application/json", "text/plain", {B, F})],
    ),
    (
        "content type dropped",
        v3(),
        v3(content_type=None),
        [("content_type_changed", "application/json", "no content type", {B, F})],
    ),
    (
        "channel address changed",
        v3(),
        v3(address="jackpot.wins.v2"),
        [("channel_address_changed", "jackpot.wins", "jackpot.wins.v2", {B, F})],
    ),
    ("channel id renamed, address kept", v3(), v3(channel_id="win-events"), []),
    (
        "no longer sent on a second channel",
        v3(extra_channels=SECOND_CHANNEL, operations=SEND_BOTH),
        v3(),
        [
            ("channel_removed", "jackpot.wins.audit", None, {B, F}),
            ("operation_removed", "send on jackpot.wins.audit", None, {F}),
        ],
    ),
    (
        "now also sent on a second channel",
        v3(),
        v3(extra_channels=SECOND_CHANNEL, operations=SEND_BOTH),
        [
            ("channel_added", None, "jackpot.wins.audit", {F}),
            ("operation_added", None, "send on jackpot.wins.audit", set()),
        ],
    ),
    ("operation removed", v3(), v3(operations={}), [("operation_removed", "send on jackpot.wins", None, {F})]),
    ("operation added", v3(operations={}), v3(), [("operation_added", None, "send on jackpot.wins", set())]),
    (
        "operation turned from send to receive",
        v3(),
        v3(operations={"onWin": {"action": "receive", "channel": {"$ref": "#/channels/wins"}}}),
        [
            ("operation_removed", "send on jackpot.wins", None, {F}),
            ("operation_added", None, "receive on jackpot.wins", set()),
        ],
    ),
    (
        "a receive operation removed",
        v3(operations={"onWin": {"action": "receive", "channel": {"$ref": "#/channels/wins"}}}),
        v3(operations={}),
        [("operation_removed", "receive on jackpot.wins", None, {F})],
    ),
    (
        "2.x channel renamed: its name is its address",
        v2(),
        v2(channel="jackpot.wins.v2"),
        [("channel_address_changed", "jackpot.wins", "jackpot.wins.v2", {B, F})],
    ),
    (
        "2.x subscribe turned into publish",
        v2(),
        v2(operation="publish"),
        [
            ("operation_removed", "send on jackpot.wins", None, {F}),
            ("operation_added", None, "receive on jackpot.wins", set()),
        ],
    ),
    ("2.x to 3.0 with the same address and sender", v2(content_type="application/json"), v3(), []),
    (
        "address changed: the operation moves with it",
        v3(),
        v3(address="jackpot.wins.v2", channel_id="wins2"),
        [("channel_address_changed", "jackpot.wins", "jackpot.wins.v2", {B, F})],
    ),
]


def write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_document_level_change_kind_in_every_mode(
    tmp_path: Path,
    old: dict[str, Any],
    new: dict[str, Any],
    expected: list[tuple[str, str | None, str | None, set[str]]],
    mode: str,
) -> None:
    report = diff_contracts(write(tmp_path, "old.yaml", old), write(tmp_path, "new.yaml", new), mode=mode)  # type: ignore[arg-type]
    assert [(c.event, c.path) for c in report.changes] == [("Win", "<event>")] * len(expected)
    assert [(c.kind, c.old, c.new, set(c.breaks)) for c in report.changes] == expected
    broken = set().union(*(b for *_, b in expected)) if expected else set()
    assert report.compatible is {"backward": B not in broken, "forward": F not in broken, "full": not broken}[mode]


def test_the_table_covers_every_document_level_kind() -> None:
    assert {kind for *_, expected in CASES for kind, *_ in expected} == DOCUMENT_KINDS


def test_swapping_versions_swaps_the_content_type_and_address_changes(tmp_path: Path) -> None:
    old, new = (
        write(tmp_path, "old.yaml", v3()),
        write(tmp_path, "new.yaml", v3(address="x", content_type="text/plain")),
    )
    there = [(c.kind, c.old, c.new) for c in diff_contracts(old, new).changes]
    back = [(c.kind, c.new, c.old) for c in diff_contracts(new, old).changes]
    assert there == back


def test_the_reasons_name_the_message_and_the_addresses(tmp_path: Path) -> None:
    old, new = write(tmp_path, "old.yaml", v3()), write(tmp_path, "new.yaml", v3(address="jackpot.wins.v2"))
    (change,) = diff_contracts(old, new).changes
    assert str(change) == (
        "Win: <event>: channel address changed (jackpot.wins -> jackpot.wins.v2): breaks BACKWARD and FORWARD. "
        "New readers listen on jackpot.wins.v2, and old writers sent Win to jackpot.wins; "
        "old readers listen on jackpot.wins, and new writers send Win to jackpot.wins.v2."
    )


def test_a_change_above_the_payload_reaches_every_consumer_of_the_message(tmp_path: Path) -> None:
    pact = {
        "consumer": {"name": "wallet"},
        "provider": {"name": "thrillpots"},
        "interactions": [
            {
                "type": "Asynchronous/Messages",
                "description": "a win",
                "contents": {"content": {"id": "w-1"}, "contentType": "application/json", "encoded": False},
                "metadata": {"event_type": "Win"},
            }
        ],
    }
    (tmp_path / "wallet.json").write_text(json.dumps(pact), encoding="utf-8")
    old, new = write(tmp_path, "old.yaml", v3()), write(tmp_path, "new.yaml", v3(content_type="text/plain"))
    report = diff_contracts(old, new, pacts=tmp_path / "wallet.json")
    assert not report.compatible
    assert [str(v) for v in report.consumers] == ["wallet: breaks (reads id in 'a win')"]


def test_payloads_only_when_one_side_is_not_an_asyncapi_document(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "Win.schema.json").write_text(json.dumps(PAYLOAD), encoding="utf-8")
    report = diff_contracts(tmp_path / "schemas", write(tmp_path, "new.yaml", v3()))
    assert report.changes == ()
    assert report.text().splitlines() == [
        f"Channels, operations, content types, headers and bindings not compared: {tmp_path / 'schemas'} is not an AsyncAPI document.",
        f"No changes between {tmp_path / 'schemas'} and {tmp_path / 'new.yaml'}: compatible in full mode.",
    ]


# --- every message is read -------------------------------------------------------------------


def test_every_message_of_a_2x_one_of_is_compared(tmp_path: Path) -> None:
    def document(win_type: str) -> dict[str, Any]:
        doc = v2()
        operation = doc["channels"]["jackpot.wins"]["subscribe"]
        win = operation.pop("message")
        win["payload"] = {"type": "object", "properties": {"id": {"type": win_type}}}
        operation["message"] = {"oneOf": [win, {"name": "Tick", "payload": {"type": "object"}}]}
        return doc

    report = diff_contracts(
        write(tmp_path, "old.yaml", document("string")), write(tmp_path, "new.yaml", document("number"))
    )
    assert [(c.event, c.path, c.kind) for c in report.changes] == [("Win", "id", "type_changed")]


def test_a_message_without_a_name_is_named_by_where_it_sits(tmp_path: Path) -> None:
    def document(id_type: str) -> dict[str, Any]:
        doc = v2()
        message = doc["channels"]["jackpot.wins"]["subscribe"]["message"]
        del message["name"]
        message["payload"] = {"type": "object", "properties": {"id": {"type": id_type}}}
        return doc

    report = diff_contracts(
        write(tmp_path, "old.yaml", document("string")), write(tmp_path, "new.yaml", document("number"))
    )
    assert [(c.event, c.path, c.kind) for c in report.changes] == [("jackpot.wins subscribe", "id", "type_changed")]


def test_a_message_without_a_payload_accepts_any_payload(tmp_path: Path) -> None:
    without = copy.deepcopy(v3())
    del without["components"]["messages"]["Win"]["payload"]
    report = diff_contracts(write(tmp_path, "old.yaml", v3()), write(tmp_path, "new.yaml", without))
    assert [(c.event, c.path, c.kind) for c in report.changes] == [
        ("Win", "<event>", "type_widened"),
        ("Win", "<event>", "nullability_added"),
        ("Win", "id", "field_removed"),
    ]


def test_two_different_messages_of_one_name_are_an_error(tmp_path: Path) -> None:
    doc = v3(
        extra_channels={"other": {"address": "o", "messages": {"Win": {"name": "Win", "payload": {"type": "number"}}}}}
    )
    path = write(tmp_path, "doc.yaml", doc)
    with pytest.raises(ContractSourceError) as error:
        diff_contracts(path, path)
    assert str(error.value) == f"{path}: two different messages are named Win; give each its own name"


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        (
            {"sendWin": {"action": "publish", "channel": {"$ref": "#/channels/wins"}}},
            'operations.sendWin.action is "publish"; AsyncAPI 3 takes send or receive',
        ),
        (
            {"sendWin": {"action": "send"}},
            "operations.sendWin.channel must be a $ref to '#/channels/<id>' of this document",
        ),
        ({"sendWin": {"action": "send", "channel": {"$ref": "#/channels/nope"}}}, "$ref '#/channels/nope' in"),
        ({"sendWin": 3}, "operations.sendWin is a number, not a mapping"),
        (
            {"sendWin": {"action": "send", "channel": {"$ref": "#/channels/wins"}, "messages": {"a": 1}}},
            "operations.sendWin.messages is an object, not a list",
        ),
    ],
)
def test_an_operation_that_cannot_be_read_is_an_error(tmp_path: Path, operations: dict[str, Any], message: str) -> None:
    path = write(tmp_path, "doc.yaml", v3(operations=operations))
    with pytest.raises(ContractSourceError) as error:
        diff_contracts(path, path)
    assert message in str(error.value)


def test_the_operations_messages_are_the_ones_it_names(tmp_path: Path) -> None:
    """An operation listing messages sends those only; without the list, every message of its channel."""
    tick = {"Tick": {"name": "Tick", "payload": {"type": "object"}}}

    def document(listed: list[str] | None) -> dict[str, Any]:
        doc = v3()
        doc["components"]["messages"].update(tick)
        doc["channels"]["wins"]["messages"]["Tick"] = {"$ref": "#/components/messages/Tick"}
        if listed is not None:
            doc["operations"]["sendWin"]["messages"] = [{"$ref": f"#/channels/wins/messages/{m}"} for m in listed]
        return doc

    report = diff_contracts(write(tmp_path, "old.yaml", document(None)), write(tmp_path, "new.yaml", document(["Win"])))
    assert [(c.event, c.kind, c.old) for c in report.changes] == [("Tick", "operation_removed", "send on jackpot.wins")]


def with_tick(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a second message, Tick, on a channel of its own: the same in every version."""
    doc = copy.deepcopy(document)
    tick = {"name": "Tick", "contentType": "application/json", "payload": {"type": "object"}}
    if doc["asyncapi"].startswith("2."):
        doc["channels"]["jackpot.ticks"] = {"subscribe": {"message": tick}}
    else:
        doc["components"]["messages"]["Tick"] = tick
        doc["channels"]["ticks"] = {
            "address": "jackpot.ticks",
            "messages": {"Tick": {"$ref": "#/components/messages/Tick"}},
        }
        doc["operations"]["sendTick"] = {"action": "send", "channel": {"$ref": "#/channels/ticks"}}
    return doc


def pact_reading(tmp_path: Path, consumer: str, event: str, body: dict[str, Any]) -> Path:
    interaction = {
        "type": "Asynchronous/Messages",
        "description": f"{consumer} reads {event}",
        "contents": {"content": body, "contentType": "application/json", "encoded": False},
        "metadata": {"event_type": event},
    }
    path = tmp_path / f"{consumer}.json"
    pact = {"consumer": {"name": consumer}, "provider": {"name": "thrillpots"}, "interactions": [interaction]}
    path.write_text(json.dumps(pact), encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES if c[3]], ids=[c[0] for c in CASES if c[3]])
def test_every_document_level_change_read_or_not_by_a_consumer_in_every_mode(
    tmp_path: Path,
    old: dict[str, Any],
    new: dict[str, Any],
    expected: list[tuple[str, str | None, str | None, set[str]]],
    mode: str,
) -> None:
    """A change above the payload reaches every consumer of the message, whatever field it reads,
    and no consumer of another message."""
    old_doc, new_doc = write(tmp_path, "old.yaml", with_tick(old)), write(tmp_path, "new.yaml", with_tick(new))
    breaks = any(bool(b) if mode == "full" else mode.upper() in b for *_, b in expected)
    for consumer, event, reached in (("wallet", "Win", True), ("ticker", "Tick", False)):
        pact = pact_reading(tmp_path, consumer, event, {"id": "x"})
        report = diff_contracts(old_doc, new_doc, mode=mode, pacts=pact)  # type: ignore[arg-type]
        assert [(c.kind, c.old, c.new, set(c.breaks)) for c in report.changes] == expected
        assert [bool(c.read_by) for c in report.changes] == [reached] * len(expected)
        assert report.compatible is not (breaks and reached)
        verdict = "breaks" if breaks and reached else "compatible" if reached else "unaffected"
        assert [(v.consumer, v.verdict) for v in report.consumers] == [(consumer, verdict)]

"""Contracts to compare, read from a schema directory, one schema file, an AsyncAPI document or git.

``load_contracts`` turns what a user names on the command line into a ``ContractSet``: the event
schemas by event name, plus every document they reference, so ``$ref`` can be followed the way
a JSON Schema validator follows it (relative to the referring file, or by ``$id``).
"""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Union
from urllib.parse import urljoin, urlsplit

import jsonschema_rs

from pytest_thrillpots._errors import ContractSourceError
from pytest_thrillpots.evolution._limits import check_size
from pytest_thrillpots.evolution._routing import NO_ADDRESS, Routing, with_traits
from pytest_thrillpots.evolution._trees import (
    FileTree,
    GitTree,
    MemoryTree,
    Tree,
    files_under,
    json_kind,
    parse_contract_text,
    shallow_hint,
)
from pytest_thrillpots.spec import EVENT_TYPES, SCHEMA_SUFFIX
from pytest_thrillpots.spec._paths import to_pointer

ContractSource = Union[str, "os.PathLike[str]", Mapping[str, Any]]
"""A schema directory, a schema file, an AsyncAPI document, ``git:REF[:PATH]``, or ``{name: schema}``."""

DEFAULT_GIT_PATH = "contracts/schemas"
_ASYNCAPI_NAMES = ("asyncapi.yaml", "asyncapi.yml", "asyncapi.json")
_JSON_SCHEMA_FORMATS = ("application/schema+json", "application/schema+yaml", "application/vnd.aai.asyncapi")


@dataclass
class ContractSet:
    """The event schemas of one version of the contracts, with what they reference."""

    label: str
    events: dict[str, tuple[str, Any]]
    """Event name -> (key of the document it sits in, its schema)."""
    structures: frozenset[str]
    """Names of schema files that other schema files reference: structures, not events."""
    _tree: Tree
    _documents: dict[str, Any]
    _ids: dict[str, str]
    schemas: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """Every top-level schema by name, events and structures: a name that is an event in one
    version is compared as one even where the other version references it."""
    routing: Routing | None = None
    """Channels, operations and content types: an AsyncAPI document's, None for schema files."""
    unread: tuple[str, ...] = ()
    """Files of the schema directory that are not compared: no ``*.schema.json`` of it, and none referenced."""
    merges: dict[tuple[int, int], Any] = field(default_factory=dict)
    """Each ``$ref`` with keywords beside it, merged with its target once (``schema_node``)."""

    def document(self, key: str) -> Any:
        if key not in self._documents:
            self._add(key, self._tree.read(key))
        return self._documents[key]

    def _add(self, key: str, data: bytes) -> None:
        doc = parse_contract_text(data, key, self.label)
        check_size(doc, f"{self.label}: {key}")
        if not _is_asyncapi(doc):
            check_schema(doc, f"{self.label}: {key}")
        self._documents[key] = doc
        self._register_ids(key)

    def _register_ids(self, key: str) -> None:
        doc = self._documents[key]
        if isinstance(doc, dict) and isinstance(doc.get("$id"), str):
            self._ids.setdefault(doc["$id"].split("#")[0], key)

    def resolve(self, ref: str, base_key: str) -> tuple[str, Any]:
        """Follow ``ref`` from the document ``base_key``: (key of the target document, target schema)."""
        target, _, fragment = ref.partition("#")
        key = base_key if target == "" else self._document_key(target, base_key, ref)
        node = self.document(key)
        if fragment and not fragment.startswith("/"):
            raise ContractSourceError(
                f"{self.label}: $ref {ref!r} in {base_key} uses an anchor; thrillpots diff follows JSON Pointers only"
            )
        for part in fragment.split("/")[1:] if fragment else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise ContractSourceError(f"{self.label}: $ref {ref!r} in {base_key} points at nothing")
        return key, node

    def _document_key(self, target: str, base_key: str, ref: str) -> str:
        if urlsplit(target).scheme:
            if target in self._ids:
                return self._ids[target]
            raise ContractSourceError(f"{self.label}: $ref {ref!r} in {base_key} names no schema in these contracts")
        relative = posixpath.normpath(posixpath.join(posixpath.dirname(base_key), target))
        if relative in self._documents or self._tree_has(relative):
            return relative
        base = self.document(base_key)
        base_id = base.get("$id") if isinstance(base, dict) else None
        if isinstance(base_id, str) and urljoin(base_id, target) in self._ids:
            return self._ids[urljoin(base_id, target)]
        raise ContractSourceError(
            f"{self.label}: $ref {ref!r} in {base_key} points at {relative}, which does not exist"
        )

    def _tree_has(self, key: str) -> bool:
        try:
            data = self._tree.read(key)
        except ContractSourceError:
            return False
        # Outside the try: a file that is there but broken is reported as broken, not as missing.
        self._add(key, data)
        return True


def load_contracts(source: ContractSource, *, cwd: str | os.PathLike[str] | None = None) -> ContractSet:
    """Read one version of the contracts; raise ``ContractSourceError`` saying what is wrong."""
    if isinstance(source, Mapping):
        files = {f"{name}{SCHEMA_SUFFIX}": schema for name, schema in source.items()}
        return _load_directory(MemoryTree("<schemas>", files), "", "<schemas>")
    text = os.fspath(source)
    if text.startswith("git:"):
        return _load_git(text, Path(cwd or os.getcwd()))
    path = Path(cwd or ".", text) if not Path(text).is_absolute() else Path(text)
    tree = FileTree(text)
    if path.is_dir():
        return _load_directory(tree, path.resolve().as_posix(), text)
    if path.is_file():
        return _load_file(tree, path.resolve().as_posix(), text)
    raise ContractSourceError(
        f"{text}: no such file or directory; name a schema directory, a schema file, an AsyncAPI document or git:REF"
    )


def _load_git(source: str, cwd: Path) -> ContractSet:
    ref, _, path = source[len("git:") :].partition(":")
    if not ref:
        raise ContractSourceError(f"{source}: name a commit, branch or tag after git: (git:main, git:HEAD~1)")
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise ContractSourceError(f"{source}: git is not installed or not on PATH") from None
    if top.returncode != 0:
        raise ContractSourceError(f"{source}: {cwd} is not inside a git repository")
    toplevel = top.stdout.strip()
    verified = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        cwd=toplevel,
        capture_output=True,
        text=True,
        check=False,
    )
    if verified.returncode != 0:
        raise ContractSourceError(
            f"{source}: no commit, branch or tag named {ref!r} in {toplevel}{shallow_hint(ref, toplevel)}"
        )
    path = posixpath.normpath(path.strip("/")) if path else DEFAULT_GIT_PATH
    path = "" if path == "." else path
    tree = GitTree(source, verified.stdout.strip(), toplevel)
    kind = tree.kind(path) if path else "tree"
    if kind == "tree":
        return _load_directory(tree, path, source)
    if kind == "blob":
        return _load_file(tree, path, source)
    raise ContractSourceError(f"{source}: {path} does not exist at {ref}; name another path with git:{ref}:PATH")


_META_SCHEMAS: Final = {
    jsonschema_rs.Draft4Validator: "http://json-schema.org/draft-04/schema#",
    jsonschema_rs.Draft6Validator: "http://json-schema.org/draft-06/schema#",
    jsonschema_rs.Draft7Validator: "http://json-schema.org/draft-07/schema#",
    jsonschema_rs.Draft201909Validator: "https://json-schema.org/draft/2019-09/schema",
    jsonschema_rs.Draft202012Validator: "https://json-schema.org/draft/2020-12/schema",
}


def check_schema(schema: Any, where: str) -> None:
    """Raise ``ContractSourceError`` unless ``schema`` is valid against its draft's meta-schema.

    The comparison trusts every keyword's shape (``required`` a list, ``minimum`` a number): a
    malformed schema is the user's input to fix, not a crash, nor a verdict on compatibility.
    """
    checked = schema
    if isinstance(schema, dict) and isinstance(schema.get("$schema"), str):
        # A $schema the engine does not know would make it fetch that URL: judge by the draft it falls back to.
        checked = {**schema, "$schema": _META_SCHEMAS[jsonschema_rs.validator_cls_for(schema)]}
    try:
        jsonschema_rs.meta.validate(checked)
    except jsonschema_rs.ValidationError as exc:
        at = f" at {to_pointer(exc.instance_path)}" if exc.instance_path else ""
        raise ContractSourceError(f"{where} is not a valid JSON Schema: {exc.message}{at}") from None


def _is_asyncapi(doc: Any) -> bool:
    return isinstance(doc, dict) and "asyncapi" in doc


def _load_directory(tree: Tree, directory: str, label: str) -> ContractSet:
    names = tree.list_dir(directory) or []
    schema_files = [n for n in names if n.endswith(SCHEMA_SUFFIX)]
    if not schema_files:
        if "schemas" in names and tree.list_dir(posixpath.join(directory, "schemas")) is not None:
            return _load_directory(tree, posixpath.join(directory, "schemas"), label)
        for candidate in _ASYNCAPI_NAMES:
            if candidate in names:
                return _load_file(tree, posixpath.join(directory, candidate), label)
        raise ContractSourceError(
            f"{label}: no *{SCHEMA_SUFFIX} files in it (nor a schemas/ folder or an asyncapi.yaml)"
        )
    contracts = ContractSet(label, {}, frozenset(), tree, {}, {})
    keys = {name.removesuffix(SCHEMA_SUFFIX): posixpath.join(directory, name) for name in schema_files}
    for key in keys.values():
        contracts.document(key)
    referenced: set[str] = set()
    for key in keys.values():
        for ref in _refs(contracts.document(key)):
            target_key, _ = contracts.resolve(ref, key)
            if target_key != key:
                referenced.add(target_key)
    # A file another references is a structure, unless the spec names it an event: an event
    # stays an event however it is referenced (OptInEvent may embed a WinEvent).
    contracts.structures = frozenset(
        name for name, key in keys.items() if key in referenced and name not in EVENT_TYPES
    )
    contracts.schemas = {name: (key, contracts.document(key)) for name, key in _ordered(keys)}
    contracts.events = {name: entry for name, entry in contracts.schemas.items() if name not in contracts.structures}
    prefix = len(directory) + 1 if directory else 0
    contracts.unread = tuple(k[prefix:] for k in files_under(tree, directory) if k not in contracts._documents)
    return contracts


def _load_file(tree: Tree, key: str, label: str) -> ContractSet:
    contracts = ContractSet(label, {}, frozenset(), tree, {}, {})
    doc = contracts.document(key)
    if isinstance(doc, dict) and "asyncapi" in doc:
        contracts.routing = Routing()
        contracts.events = _AsyncAPIMessages(contracts, key, doc).read()
        if not contracts.events:
            raise ContractSourceError(f"{label}: the AsyncAPI document defines no messages")
    elif isinstance(doc, dict) and any(k in doc for k in ("type", "properties", "$ref", "$schema")):
        name = posixpath.basename(key).removesuffix(SCHEMA_SUFFIX).removesuffix(".json")
        contracts.events = {str(doc.get("title") or name): (key, doc)}
    else:
        raise ContractSourceError(f"{label}: neither an AsyncAPI document nor a JSON Schema")
    contracts.schemas = dict(contracts.events)
    return contracts


_V2_ACTIONS: Final = {"subscribe": "send", "publish": "receive"}
"""AsyncAPI 2.x operations in 3.0's words: ``subscribe`` is what the application sends."""


class _AsyncAPIMessages:
    """Each message's payload schema and route, from components, channels and operations (2.x and 3.x).

    Every message is kept: one without a ``name`` is named by where it sits, one without a
    payload accepts any payload, and two different messages of one name are an error, never
    one silently dropped.
    """

    def __init__(self, contracts: ContractSet, key: str, doc: dict[str, Any]) -> None:
        self.contracts, self.key, self.doc = contracts, key, doc
        self.label = contracts.label
        self.version_2 = str(doc.get("asyncapi", "")).startswith("2.")
        self.default_type = doc.get("defaultContentType")
        self.events: dict[str, tuple[str, Any]] = {}
        self._seen: dict[str, str] = {}  # message name -> canonical JSON of the message
        assert contracts.routing is not None
        self.routing = contracts.routing

    def read(self) -> dict[str, tuple[str, Any]]:
        components = _mapping(self.contracts, self.doc, "components")
        for name, schema in _mapping(self.contracts, components, "schemas", "components").items():
            check_schema(schema, f"{self.label}: components.schemas.{name}")
        for name, message in _mapping(self.contracts, components, "messages", "components").items():
            self.messages(message, f"components.messages.{name}", name)
        channels = _mapping(self.contracts, self.doc, "channels")
        members: dict[str, list[str]] = {}
        for channel_id, channel in channels.items():
            where = f"channels.{channel_id}"
            if not isinstance(channel, dict):
                raise ContractSourceError(f"{self.label}: {where} is {json_kind(channel)}, not a mapping")
            address = str(channel_id) if self.version_2 else _address(channel.get("address"))
            names = members.setdefault(str(channel_id), [])
            for message_key, message in _mapping(self.contracts, channel, "messages", where).items():
                names += self.messages(message, f"{where}.messages.{message_key}", message_key)
            for operation, action in _V2_ACTIONS.items():
                body = _mapping(self.contracts, channel, operation, where)
                if "message" in body:
                    sent = self.messages(body["message"], f"{where}.{operation}.message", f"{channel_id} {operation}")
                    names += sent
                    for name in sent:
                        self.routing.route(name).operations.add((action, address))
            for name in names:
                self.routing.route(name).addresses.add(address)
        if not self.version_2:
            for operation_id, operation in _mapping(self.contracts, self.doc, "operations").items():
                self.operation(str(operation_id), operation, channels, members)
        return self.events

    def operation(
        self, operation_id: str, operation: Any, channels: Mapping[str, Any], members: dict[str, list[str]]
    ) -> None:
        where = f"operations.{operation_id}"
        if not isinstance(operation, dict):
            raise ContractSourceError(f"{self.label}: {where} is {json_kind(operation)}, not a mapping")
        action = operation.get("action")
        if action not in ("send", "receive"):
            raise ContractSourceError(
                f"{self.label}: {where}.action is {json.dumps(action, default=str)}; AsyncAPI 3 takes send or receive"
            )
        channel_ref = operation.get("channel")
        ref = channel_ref.get("$ref") if isinstance(channel_ref, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/channels/"):
            raise ContractSourceError(
                f"{self.label}: {where}.channel must be a $ref to '#/channels/<id>' of this document"
            )
        _, channel = self.contracts.resolve(ref, self.key)
        channel_id = ref.removeprefix("#/channels/").replace("~1", "/").replace("~0", "~")
        if channel_id not in channels or not isinstance(channel, dict):
            raise ContractSourceError(f"{self.label}: {where}.channel {ref!r} names no channel")
        address = _address(channel.get("address"))
        listed = operation.get("messages")
        if listed is None:
            names = members.get(channel_id, [])
        elif isinstance(listed, list):
            names = [n for i, m in enumerate(listed) for n in self.messages(m, f"{where}.messages[{i}]", "")]
        else:
            raise ContractSourceError(f"{self.label}: {where}.messages is {json_kind(listed)}, not a list")
        for name in names:
            self.routing.route(name).operations.add((action, address))

    def messages(self, raw: Any, where: str, fallback: str) -> list[str]:
        """The names of the messages ``raw`` stands for (a 2.x ``oneOf`` stands for several), each recorded."""
        message_doc, message = self.key, raw
        for _ in range(64):
            if not (isinstance(message, dict) and "$ref" in message):
                break
            ref = message["$ref"]
            if not isinstance(ref, str):
                raise ContractSourceError(f"{self.label}: a message $ref in {message_doc} is {json_kind(ref)}")
            fallback = ref.rsplit("/", 1)[-1] if "#/" in ref else fallback
            message_doc, message = self.contracts.resolve(ref, message_doc)
        else:
            raise ContractSourceError(f"{self.label}: message $ref chain in {message_doc} does not end")
        if not isinstance(message, dict):
            raise ContractSourceError(f"{self.label}: {where} is {json_kind(message)}, not a message")
        if isinstance(message.get("oneOf"), list) and "payload" not in message:
            return [n for i, m in enumerate(message["oneOf"]) for n in self.messages(m, f"{where}.oneOf[{i}]", "")]
        name = str(message.get("name") or message.get("messageId") or fallback or where)
        seen = json.dumps(message, sort_keys=True, default=str)
        if name in self._seen:
            if self._seen[name] != seen:
                raise ContractSourceError(
                    f"{self.label}: two different messages are named {name}; give each its own name"
                )
            return [name]
        self._seen[name] = seen
        resolve = self.contracts.resolve
        message = with_traits(
            message, lambda ref: resolve(ref, message_doc)[1], self.version_2, f"{self.label}: {where}"
        )
        payload, schema_format = message.get("payload", True), message.get("schemaFormat")
        if isinstance(payload, dict) and "schema" in payload and "schemaFormat" in payload:
            payload, schema_format = payload["schema"], payload["schemaFormat"]
        if schema_format is not None and not str(schema_format).startswith(_JSON_SCHEMA_FORMATS):
            raise ContractSourceError(
                f"{self.label}: message {name} has schemaFormat {schema_format}; "
                "thrillpots diff compares JSON Schemas only"
            )
        check_schema(payload, f"{self.label}: the payload of message {name}")
        content_type = message.get("contentType") or self.default_type
        route = self.routing.route(name)
        route.content_type = str(content_type) if content_type is not None else None
        if message.get("headers") is not None:
            check_schema(message["headers"], f"{self.label}: the headers of message {name}")
            route.headers = (message_doc, message["headers"])
        route.unjudged = {k: (message_doc, message[k]) for k in _UNJUDGED_MESSAGE_FIELDS if k in message}
        self.events[name] = (message_doc, payload)
        return [name]


_UNJUDGED_MESSAGE_FIELDS: Final = ("bindings", "correlationId")
"""What a message says besides its payload, headers and content type that a consumer may depend on."""


def _address(value: Any) -> str:
    return NO_ADDRESS if value is None else str(value)


def _mapping(contracts: ContractSet, parent: Mapping[str, Any], name: str, where: str = "") -> Mapping[str, Any]:
    """``parent[name]`` of an AsyncAPI document, ``{}`` when absent; a usage error when it is no mapping."""
    value = parent.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        path = f"{where}.{name}" if where else name
        raise ContractSourceError(f"{contracts.label}: {path} is {json_kind(value)}, not a mapping")
    return value


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _ordered(keys: Mapping[str, str]) -> list[tuple[str, str]]:
    """The seed's event order first, then any other names alphabetically."""
    rank = {name: index for index, name in enumerate(EVENT_TYPES)}
    return sorted(keys.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))

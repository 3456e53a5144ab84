"""Schema nodes as the comparison sees them: ``$ref`` followed, their types, and their words in a report."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from pytest_thrillpots._errors import ContractSourceError
from pytest_thrillpots.evolution._contracts import ContractSet
from pytest_thrillpots.evolution._trees import json_type
from pytest_thrillpots.spec._paths import ROOT_LABEL, to_human

ALL_TYPES: Final = frozenset({"null", "boolean", "object", "array", "number", "string"})


TYPE_ORDER: Final = ("string", "number", "integer", "boolean", "object", "array", "null")


# One object each, so comparing "any value" with a recursive schema ends (the pairs are tracked by id).
ANY_VALUE: Final[Mapping[str, Any]] = MappingProxyType({})


NO_VALUE: Final[Mapping[str, Any]] = MappingProxyType({})


class Marker(enum.Enum):
    MAP_VALUES = "further keys"
    DEFS = "$defs"
    HEADERS = "<headers>"


Part = str | int | Marker


@dataclass(frozen=True, eq=False)
class SchemaNode:
    """A schema with its ``$ref`` followed, and the document it sits in (for further ``$ref``)."""

    contracts: ContractSet
    doc: str
    schema: Mapping[str, Any]
    types: frozenset[str]
    """The JSON types it accepts; empty for the ``false`` schema."""
    name: str | None = None
    """The structure's name when reached through a ``$ref`` to a whole schema file."""

    def child(self, raw: Any) -> SchemaNode:
        return schema_node(self.contracts, self.doc, raw)


def schema_node(contracts: ContractSet, doc: str, raw: Any) -> SchemaNode:
    name = None
    for _ in range(64):
        if not (isinstance(raw, dict) and "$ref" in raw):
            break
        ref = raw["$ref"]
        constraints = {k: v for k, v in raw.items() if k != "$ref" and not is_annotation(k)}
        doc, target = contracts.resolve(ref, doc)
        if isinstance(target, dict):
            pointer = ref.partition("#")[2]
            name = str(target.get("title") or pointer.rsplit("/", 1)[-1] or doc.rsplit("/", 1)[-1].split(".")[0])
        if constraints and isinstance(target, dict):
            key = (
                id(raw),
                id(target),
            )  # one object for each pair: a recursive schema is recognised when it comes round
            if key not in contracts.merges:
                contracts.merges[key] = merge_siblings(target, constraints)
            raw = contracts.merges[key]
        else:
            raw = target
    else:
        raise ContractSourceError(f"{contracts.label}: $ref chain in {doc} does not end")
    if raw is True:
        return SchemaNode(contracts, doc, ANY_VALUE, ALL_TYPES, name)
    if raw is False:
        return SchemaNode(contracts, doc, NO_VALUE, frozenset(), name)
    if not isinstance(raw, dict):
        raise ContractSourceError(f"{contracts.label}: {doc} holds {json.dumps(raw)} where a schema belongs")
    return SchemaNode(contracts, doc, raw, schema_types(raw), name)


LOWER_BOUNDS: Final = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")


UPPER_BOUNDS: Final = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")


def merge_siblings(target: Mapping[str, Any], siblings: Mapping[str, Any]) -> Mapping[str, Any]:
    """A ``$ref``'s target and the keywords beside the ``$ref``: both apply, as in an ``allOf``.

    A keyword on both sides keeps what both say: the tighter bound, every required name, the
    types both allow. Any other keyword that differs cannot be one value, so the pair stays the
    ``allOf`` it means (which the comparison reports as a change it cannot judge, if it changes).
    """
    merged = dict(target)
    for key, value in siblings.items():
        if key not in merged or canonical_json(merged[key]) == canonical_json(value):
            merged[key] = value
        elif key in LOWER_BOUNDS + UPPER_BOUNDS and not isinstance(value, bool) and not isinstance(merged[key], bool):
            merged[key] = max(merged[key], value) if key in LOWER_BOUNDS else min(merged[key], value)
        elif key == "required":
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif key == "type":
            ours, theirs = schema_types({"type": merged[key]}), schema_types({"type": value})
            both = {t for t in ours if types_within([t], theirs)} | {t for t in theirs if types_within([t], ours)}
            merged[key] = [t for t in TYPE_ORDER if t in both]
        else:
            return {"allOf": [dict(target), dict(siblings)]}
    return merged


def schema_types(schema: Mapping[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    if declared is not None:
        return frozenset([declared] if isinstance(declared, str) else declared)
    values = schema_enum(schema)
    if values is not None:
        return frozenset(json_type(v) for v in values)
    return ALL_TYPES


def schema_enum(schema: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The values ``const`` and ``enum`` allow, both when both are given; None when neither is."""
    values = schema.get("enum")
    if "const" in schema:
        const = schema["const"]
        if isinstance(values, list) and canonical_json(const) not in {canonical_json(v) for v in values}:
            return ()
        return (const,)
    return tuple(values) if isinstance(values, list) else None


def canonical_json(value: Any) -> str:
    """JSON Schema's equality: 1 and 1.0 are the same value, true and 1 are not."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True)


_SUBSCHEMA: Final = frozenset(
    {"not", "if", "then", "else", "items", "contains", "additionalProperties", "propertyNames",
     "unevaluatedProperties", "unevaluatedItems", "additionalItems", "contentSchema"}
)  # fmt: skip


_SUBSCHEMA_LISTS: Final = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})


_SUBSCHEMA_MAPS: Final = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def expanded_json(contracts: ContractSet, doc: str, value: Any, *, keyword: str, refs_anywhere: bool = False) -> str:
    """``keyword``'s ``value`` in a schema of ``doc`` as canonical JSON with every ``$ref``
    in it replaced by what it leads to and annotations left out: two versions that name the same
    schema compare equal, and a changed target compares changed.

    Each target is expanded once and stood for by its digest (schemas that share structures stay
    small); a ``$ref`` back into one being expanded stands for its place (a recursive schema ends).
    ``refs_anywhere`` follows a ``$ref`` in any object (AsyncAPI bindings), not only where a schema is.
    """
    digests: dict[tuple[str, int], str] = {}
    active: set[tuple[str, int]] = set()

    def schema(node: Any, base: str) -> Any:
        if not isinstance(node, dict):
            return literal(node, base)
        out: dict[str, Any] = {}
        for key, sub in node.items():
            if is_annotation(key):
                continue
            if key == "$ref" and isinstance(sub, str):
                out[key] = target(sub, base)
            elif key in _SUBSCHEMA_MAPS and isinstance(sub, dict):
                out[key] = {name: schema(item, base) for name, item in sub.items()}
            elif key in _SUBSCHEMA_LISTS and isinstance(sub, list):
                out[key] = [schema(item, base) for item in sub]
            elif key in _SUBSCHEMA:
                out[key] = schema(sub, base)
            else:
                out[key] = literal(sub, base)
        return out

    def target(ref: str, base: str) -> Any:
        key, found = contracts.resolve(ref, base)
        place = (key, id(found))
        if place in active:
            return {"recursive": f"{key}#{ref.partition('#')[2]}"}
        if place not in digests:
            active.add(place)
            text = json.dumps(schema(found, key), sort_keys=True)
            active.discard(place)
            digests[place] = hashlib.sha256(text.encode()).hexdigest()
        return {"expanded": digests[place]}

    def literal(node: Any, base: str) -> Any:
        if isinstance(node, dict) and refs_anywhere:
            return schema(node, base)
        if isinstance(node, dict):
            return {key: literal(item, base) for key, item in node.items()}
        if isinstance(node, list):
            return [literal(item, base) for item in node]
        return json.loads(canonical_json(node))

    return json.dumps(schema({keyword: value}, doc), sort_keys=True)


def types_within(narrow: Iterable[str], wide: frozenset[str]) -> bool:
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def type_words(types: Iterable[str]) -> str:
    present = set(types)
    if not present:
        return "nothing"
    if ALL_TYPES - {"null"} <= present:
        return "any type"
    return " or ".join(t for t in TYPE_ORDER if t in present)


def describe_node(node: SchemaNode, _outer: frozenset[int] = frozenset()) -> str:
    """The node's type in a few words: ``number or null``, ``PayoutRecord object``, ``array of strings``.

    An array whose items are the array itself (``items: {"$ref": "#"}``), or arrays nested
    more than four deep, are an ``array of arrays``.
    """
    values = schema_enum(node.schema)
    if values is not None:
        return " or ".join(json.dumps(v) for v in values)
    if not node.types:
        return "nothing"
    words = []
    for kind in TYPE_ORDER:
        if kind == "null" or kind not in node.types:
            continue
        if kind == "object" and node.name:
            words.append(f"{node.name} object")
        elif kind == "array" and "items" in node.schema:
            items = node.child(node.schema["items"])
            if id(items.schema) in _outer or items.schema is node.schema or len(_outer) >= 4:
                words.append("array of arrays")
            else:
                words.append(f"array of {plural_words(describe_node(items, _outer | {id(node.schema)}))}")
        else:
            words.append(kind)
    if ALL_TYPES - {"null"} <= node.types:
        words = ["any value"]
    text = " or ".join(words)
    return f"{text} or null" if "null" in node.types and words != ["any value"] else text


def plural_words(words: str) -> str:
    if " or " in words or words in ("any value", "nothing"):
        return f"({words}) values"
    return words + "s"


def render_parts(parts: tuple[Part, ...]) -> str:
    """``("pots", "*", "id")`` -> ``pots[*].id``; further keys of a map as ``.*``; ``$defs/Name`` first."""
    out = ""
    if parts and parts[0] is Marker.DEFS:
        out, parts = f"$defs/{parts[1]}", parts[2:]
    elif parts and parts[0] is Marker.HEADERS:
        out, parts = Marker.HEADERS.value, parts[1:]
    for part in parts:
        if part is Marker.MAP_VALUES:
            out += ".*" if out else "*"
        elif isinstance(part, int) or part == "*":
            out += f"[{part}]"
        else:
            token = to_human([str(part)])
            out += token if token.startswith("[") or not out else f".{token}"
    return out or ROOT_LABEL


def as_sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def further_keys(node: SchemaNode) -> SchemaNode | None:
    """The schema of fields ``properties`` does not name: None when any value is allowed."""
    extra = node.schema.get("additionalProperties", True)
    if extra is True or extra == {}:
        return None
    further = node.child(extra)
    return None if further.types == ALL_TYPES and not any(not is_annotation(k) for k in further.schema) else further


def content_model(further: SchemaNode | None) -> str:
    if further is None:
        return "open"
    return "closed" if not further.types else "map"


def further_words(further: SchemaNode | None) -> str:
    model = content_model(further)
    if model == "open":
        return "unknown fields ignored"
    if model == "closed":
        return "unknown fields rejected"
    assert further is not None
    return f"further keys hold {describe_node(further)}"


ANNOTATIONS: Final = frozenset(
    {"title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly", "externalDocs"}
)
"""Keywords that say nothing about which values are valid (and ``x-`` extensions, by ``is_annotation``)."""


def is_annotation(keyword: str) -> bool:
    return keyword in ANNOTATIONS or keyword.startswith("x-")

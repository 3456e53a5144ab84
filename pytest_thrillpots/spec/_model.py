"""The spec, loaded once from the JSON Schemas: the one source every other view derives from.

The schema files under ``contracts/schemas`` are the spec; this module reads them and offers a
small typed model of them (``Node``) for the validator's messages, the factories, the Pact
matchers, the AsyncAPI export and the docs. Nothing here restates a field's type by hand.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from pytest_thrillpots._errors import UnknownFieldError, did_you_mean
from pytest_thrillpots.spec._paths import PathPart, parse_human, to_human
from pytest_thrillpots.spec._schemas import SCHEMA_SUFFIX, STRUCTURE_TYPES, check_event_type, raw_schemas

Kind = Literal["string", "number", "boolean", "array", "object"]


@dataclass(frozen=True, eq=False)
class Node:
    """One field of the spec, as the schema states it."""

    kind: Kind
    nullable: bool = False
    enum: tuple[Any, ...] | None = None
    description: str = ""
    structure: str | None = None
    """The named structure this object is (``"PotTicker"``), if any."""
    fields: Mapping[str, Node] = field(default_factory=dict)
    """An object's listed fields, all required."""
    items: Node | None = None
    """An array's item shape."""
    extra_values: Node | None = None
    """An open map's shape for further keys (the ``multipliers`` map)."""
    free_form: bool = False
    """An object of any content (``metadata``)."""

    @property
    def listed_fully(self) -> bool:
        """True for the objects whose unknown fields strict mode reports."""
        return self.kind == "object" and not self.free_form and self.extra_values is None

    @property
    def is_leaf(self) -> bool:
        """True when one look at a value settles it: a string, number, boolean, or free-form object."""
        return self.kind in ("string", "number", "boolean") or self.free_form

    def fits(self, value: object) -> bool:
        """Whether a leaf accepts ``value``, by the spec's type rules (``true`` is not a number)."""
        if value is None:
            return self.nullable
        if self.enum is not None:
            return any(type(value) is type(option) and value == option for option in self.enum)
        if self.kind == "string":
            return isinstance(value, str)
        if self.kind == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if self.kind == "boolean":
            return isinstance(value, bool)
        return self.free_form and isinstance(value, dict)

    def describe(self) -> str:
        """The node's type in the spec's terms, as failure messages show it."""
        if self.enum is not None:
            text = " or ".join(json.dumps(v) for v in self.enum)
        elif self.kind == "object" and self.structure:
            text = f"{self.structure} object"
        elif self.kind == "array" and self.items is not None:
            text = f"array of {_plural(self.items)}"
        else:
            text = self.kind
        return f"{text} or null" if self.nullable else text

    def child(self, part: PathPart) -> Node | None:
        if self.kind == "array":
            return self.items if isinstance(part, int) or part == "*" else None
        if self.kind == "object" and isinstance(part, str):
            return self.fields.get(part) or self.extra_values
        return None


def _plural(node: Node) -> str:
    if node.kind == "object" and node.structure:
        return f"{node.structure} objects"
    return {"string": "strings", "number": "numbers", "boolean": "booleans"}.get(node.kind, node.describe())


def _build(schema: Mapping[str, Any], structure: str | None = None) -> Node:
    ref = schema.get("$ref")
    if ref is not None:
        name = ref.removesuffix(SCHEMA_SUFFIX)
        target = raw_schemas()[name]
        return _build({**target, "description": schema.get("description", target.get("description", ""))}, name)
    types = schema["type"]
    type_list = [types] if isinstance(types, str) else list(types)
    nullable = "null" in type_list
    (kind,) = [t for t in type_list if t != "null"]
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    return Node(
        kind=cast(Kind, kind),
        nullable=nullable,
        enum=tuple(schema["enum"]) if "enum" in schema else None,
        description=schema.get("description", ""),
        structure=structure,
        fields={name: _build(sub) for name, sub in props.items()},
        items=_build(schema["items"]) if kind == "array" else None,
        extra_values=_build(extra) if isinstance(extra, dict) else None,
        free_form=kind == "object" and not props and extra is None,
    )


@functools.cache
def spec(name: str) -> Node:
    """The model of one event or structure, built from its schema file."""
    if name not in STRUCTURE_TYPES:
        check_event_type(name)
    return _build(raw_schemas()[name], name)


def lookup(event_type: str, parts: Sequence[PathPart]) -> Node | None:
    """The node at ``parts`` inside ``event_type``, or None where the spec says nothing."""
    node: Node | None = spec(event_type)
    for part in parts:
        if node is None:
            return None
        node = node.child(part)
    return node


def field_paths(event_type: str) -> list[str]:
    """Every field path of an event as people write them: ``community_winners[*].win_amount``."""
    return [to_human(parts) for parts, _ in iter_fields(spec(event_type))]


def iter_fields(node: Node, prefix: tuple[PathPart, ...] = ()) -> Iterator[tuple[tuple[PathPart, ...], Node]]:
    """Walk every listed field below ``node`` (depth first, in the spec's order)."""
    if node.kind == "object":
        for name, child in node.fields.items():
            path = (*prefix, name)
            yield path, child
            yield from iter_fields(child, path)
    elif node.kind == "array" and node.items is not None:
        path = (*prefix, "*")
        if node.items.kind == "object":
            yield from iter_fields(node.items, path)


def first_unknown_part(name: str, parts: Sequence[PathPart], *, indexes_only: bool = False) -> int | None:
    """The depth of the first part of ``parts`` the spec of ``name`` lacks, or None when it has them all.

    Anything below a free-form object (``metadata``) is allowed. ``indexes_only`` refuses the
    ``*`` wildcard for array items.
    """
    node: Node | None = spec(name)
    for depth, part in enumerate(parts):
        assert node is not None
        if node.free_form:
            return None
        child = node.child(part)
        if child is None or (indexes_only and node.kind == "array" and not isinstance(part, int)):
            return depth
        node = child
    return None


def resolve_field_path(event_type: str, path: str) -> list[PathPart]:
    """Parse a field path and check the spec has it; raise with close matches when it does not."""
    try:
        parts = parse_human(path)
    except ValueError as exc:
        raise UnknownFieldError(str(exc)) from None
    depth = first_unknown_part(event_type, parts)
    if depth is not None:
        known = field_paths(event_type)
        raise UnknownFieldError(
            f"{event_type} has no field {path!r} ({to_human(parts[: depth + 1])} is not in the spec)."
            + did_you_mean(path, known)
            + f" Its fields are: {', '.join(known)}."
        )
    return parts

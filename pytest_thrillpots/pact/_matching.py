"""Matching rules derived from the spec model: which fields an interaction pins, and the rule for each."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from pytest_thrillpots._errors import PactDefinitionError
from pytest_thrillpots.spec import Node, resolve_field_path, spec
from pytest_thrillpots.spec._paths import PathPart, to_human, to_keyword

_ALL: Final = "<all>"


Selection = dict[str, Any]
"""Which fields a consumer reads: a tree of names, ``_ALL`` where a field is read whole."""


def _shape(parts: Iterable[PathPart]) -> tuple[str, ...]:
    """Array indexes become ``*``: a pact matches every item of an array by one shape."""
    return tuple("*" if isinstance(p, int) else p for p in parts)


def _select(selection: Selection, parts: Sequence[str]) -> None:
    node = selection
    for depth, part in enumerate(parts):
        if depth == len(parts) - 1:
            node[part] = _ALL
            return
        child = node.get(part)
        if child == _ALL:
            return
        if child is None:
            child = node[part] = {}
        node = child


def free_form_owner(event_type: str, parts: Sequence[PathPart]) -> tuple[PathPart, ...] | None:
    """The free-form object (``metadata``) that ``parts`` lies strictly inside, or None."""
    node: Node | None = spec(event_type)
    for depth, part in enumerate(parts):
        if node is None:
            return None
        if node.free_form:
            return tuple(parts[:depth])
        node = node.child(part)
    return None


def selection_for(event_type: str, fields: Iterable[str] | None, pins: Iterable[tuple[str, ...]]) -> Selection:
    """The tree of fields a consumer reads; every field when ``fields`` is None."""
    selection: Selection = {}
    if fields is None:
        for name in spec(event_type).fields:
            selection[name] = _ALL
    else:
        if isinstance(fields, str):
            raise PactDefinitionError(
                f"fields= takes a list of field paths, not the string {fields!r}: write [{fields!r}]"
            )
        if isinstance(fields, (bytes, Mapping)) or not isinstance(fields, Iterable):
            raise PactDefinitionError(
                f"fields= takes a list of field paths such as ['player_id'], not {fields!r} ({type(fields).__name__})"
            )
        names = list(fields)
        if not names:
            raise PactDefinitionError(
                "fields=[] reads nothing: list the fields the consumer reads, or leave fields out for the whole event"
            )
        for path in names:
            if not isinstance(path, str) or not path.strip():
                raise PactDefinitionError(
                    f"fields= holds field paths such as 'player_id' or 'community_winners[*].win_amount', not "
                    f"{path!r} ({type(path).__name__})"
                )
            parts = resolve_field_path(event_type, path)
            owner = free_form_owner(event_type, parts)
            if owner is not None:
                whole = to_human(list(owner))
                raise PactDefinitionError(
                    f"{path!r} is inside {whole!r}, which the spec leaves free-form (any object): a pact has no type "
                    f"to match it by. Read {whole!r} whole (fields=[..., {whole!r}]), or pin the value the consumer "
                    f"needs ({to_keyword(parts)}=...)"
                )
            _select(selection, _shape(parts))
    for pin in pins:
        _select(selection, pin)
    return selection


def _json_path(parts: Sequence[str]) -> str:
    out = ["$"]
    for part in parts:
        if part == "*":
            out.append("[*]")
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out.append(f".{part}")
        else:
            out.append("['" + part.replace("'", "\\'") + "']")
    return "".join(out)


def scalar_rule(node: Node) -> dict[str, Any]:
    """The matcher of one scalar field, read from its spec node."""
    if node.enum is not None:
        if not all(isinstance(value, str) for value in node.enum):
            raise PactDefinitionError(  # pragma: no cover - every enum of the spec is of strings
                f"cannot match the enum {node.enum!r} by a regex: only string enums are supported"
            )
        pattern = "^(" + "|".join(re.escape(value) for value in node.enum) + ")$"
        return {"match": "regex", "regex": pattern}
    return {"match": {"string": "type", "number": "number", "boolean": "boolean"}[node.kind]}


def _rule(matchers: list[dict[str, Any]], combine: str = "AND") -> dict[str, Any]:
    return {"combine": combine, "matchers": matchers}


def split_points(node: Node, selection: Selection | str, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The selected nullable objects and arrays: no single rule matches both their forms."""
    if node.nullable and node.kind in ("object", "array"):
        yield prefix
    if selection == _ALL:
        if node.kind == "object" and not node.free_form:
            for name, child in node.fields.items():
                yield from split_points(child, _ALL, (*prefix, name))
        elif node.kind == "array" and node.items is not None:
            yield from split_points(node.items, _ALL, (*prefix, "*"))
        return
    assert isinstance(selection, dict)
    for name, sub in selection.items():
        member = node.child(name)
        if member is not None:
            yield from split_points(member, sub, (*prefix, name))


class _Builder:
    """Walks the spec, the example and the selection together into a body and its rules."""

    def __init__(self, event_type: str, pins: set[tuple[str, ...]], forms: Mapping[tuple[str, ...], bool]) -> None:
        self.event_type = event_type
        self.pins = pins
        self.forms = forms
        """Split points: True where the field is present, False where it is null."""
        self.rules: dict[str, dict[str, Any]] = {}

    def build(self, node: Node, example: Any, selection: Selection | str, path: tuple[str, ...]) -> Any:
        if path in self.pins:
            if "*" in path:
                self._equality(example, path)
            return example
        if path in self.forms:
            if not self.forms[path]:
                self.rules[_json_path(path)] = _rule([{"match": "null"}])
                return None
            if example is None:
                example = {} if node.kind == "object" else []
        if node.kind == "object":
            return self._object(node, example, selection, path)
        if node.kind == "array":
            return self._array(node, example, selection, path)
        rule = scalar_rule(node)
        self.rules[_json_path(path)] = _rule([rule, {"match": "null"}], "OR") if node.nullable else _rule([rule])
        return example

    def _object(self, node: Node, example: Any, selection: Selection | str, path: tuple[str, ...]) -> Any:
        if node.free_form:
            # Any object: the type rule against an empty example accepts every key.
            self.rules[_json_path(path)] = _rule([{"match": "type"}])
            return self._pinned_inside(example, path)
        wanted = dict.fromkeys(node.fields, _ALL) if selection == _ALL else selection
        assert isinstance(wanted, dict) and isinstance(example, Mapping)
        body: dict[str, Any] = {}
        for name, sub in wanted.items():
            child = node.child(name)
            assert child is not None
            if name not in example:
                raise PactDefinitionError(
                    f"the example {self.event_type} has no {to_human([*path, name])!r} to show the consumer: "
                    f"pin a value for it ({to_keyword([*path, name])}=...)"
                )
            body[name] = self.build(child, example[name], sub, (*path, name))
        return body

    def _pinned_inside(self, example: Any, path: tuple[str, ...]) -> dict[str, Any]:
        """The pinned keys inside a free-form object, and the objects on the way to them."""
        body: dict[str, Any] = {}
        depth = len(path)
        for name in dict.fromkeys(pin[depth] for pin in sorted(self.pins) if len(pin) > depth and pin[:depth] == path):
            value = example.get(name) if isinstance(example, Mapping) else None
            if (*path, name) in self.pins:
                self._equality(value, (*path, name))
                body[name] = value
            else:
                body[name] = self._pinned_inside(value, (*path, name))
        return body

    def _equality(self, value: Any, path: tuple[str, ...]) -> None:
        # A pinned object holds its own keys exactly and leaves the producer free to add others.
        if isinstance(value, Mapping):
            for name, item in value.items():
                self._equality(item, (*path, str(name)))
        else:
            self.rules[_json_path(path)] = _rule([{"match": "equality"}])

    def _array(self, node: Node, example: Any, selection: Selection | str, path: tuple[str, ...]) -> Any:
        assert node.items is not None and isinstance(example, list) and example
        self.rules[_json_path(path)] = _rule([{"match": "type", "min": 1}])
        item_selection = selection if selection == _ALL else selection.get("*", _ALL)  # type: ignore[union-attr]
        return [self.build(node.items, example[0], item_selection, (*path, "*"))]


def _has_items(
    node: Node, example: Any, selection: Selection | str, pins: set[tuple[str, ...]], path: tuple[str, ...] = ()
) -> bool:
    """True when every selected array of the example has an item to show."""
    if path in pins or example is None:
        return True
    if node.kind == "array" and node.items is not None:
        if not isinstance(example, list) or not example:
            return False
        sub = selection if selection == _ALL else selection.get("*", _ALL)  # type: ignore[union-attr]
        return _has_items(node.items, example[0], sub, pins, (*path, "*"))
    if node.kind == "object" and not node.free_form and isinstance(example, Mapping):
        wanted = dict.fromkeys(node.fields, _ALL) if selection == _ALL else selection
        assert isinstance(wanted, dict)
        return all(
            _has_items(child, example.get(name), wanted[name], pins, (*path, name))
            for name, child in node.fields.items()
            if name in wanted
        )
    return True

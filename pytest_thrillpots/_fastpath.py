"""validate's fast path for JSON text: a typed msgspec decoder built from the spec model.

On a valid event ``validate()`` would spend most of its time turning text into Python objects
(orjson) and handing them to the schema engine. msgspec decodes text straight into typed
structs and stops at the first mismatch, faster than parsing alone. The decoder's types are
built from the spec model, never written by hand, and it only ever answers "valid": whatever it
rejects goes to the schema engine, which decides and explains.

When it rejects an event, its message names the first problem; ``locate`` reads that back as a
path, so validate can try the common case of a single violation cheaply (see
``_validate._only_violation``). It may be unsure more often than the schema (a duplicate key
whose first value is wrong), never "valid" for an invalid event: tests/test_validate.py checks
both paths against the full explanation and the reference ``jsonschema``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, Optional

import msgspec

from ._paths import PathPart
from ._spec import Node, spec

FastCheck = Callable[[bytes | bytearray | memoryview | str], "str | None"]
"""None for a valid event, else msgspec's words for the first problem it met."""
_UNLOCATED = "a listed key of an open map is missing"


class _Unsupported(Exception):
    """A part of the spec msgspec cannot state exactly: that event type has no fast path."""


@functools.cache
def fast_check(event_type: str, strict: bool) -> FastCheck | None:
    """A check that returns None only for JSON text holding a valid ``event_type``; None if unavailable."""
    open_maps: list[tuple[tuple[PathPart, ...], frozenset[str]]] = []
    try:
        root = _typed(spec(event_type), strict, (), open_maps)
    except _Unsupported:
        return None
    decoder = msgspec.json.Decoder(root)

    def check(text: bytes | bytearray | memoryview | str) -> str | None:
        try:
            decoded = decoder.decode(text)
        except (msgspec.MsgspecError, RecursionError) as exc:
            return str(exc)
        if all(_has_keys(decoded, path, required) for path, required in open_maps):
            return None
        return _UNLOCATED

    return check


def _typed(node: Node, strict: bool, path: tuple[PathPart, ...], open_maps: list[Any]) -> Any:
    typed: Any
    if node.enum is not None:
        typed = Literal[tuple(node.enum)]
    elif node.kind == "string":
        typed = str
    elif node.kind == "number":
        typed = float  # msgspec's float takes any JSON number, never a boolean
    elif node.kind == "boolean":
        typed = bool
    elif node.kind == "array":
        assert node.items is not None
        typed = list[_typed(node.items, strict, (*path, "*"), open_maps)]  # type: ignore[misc]
    elif node.free_form:
        typed = dict[str, Any]
    elif node.extra_values is not None:
        # An open map (the multipliers): listed keys required, every value of one shape.
        if any(_signature(child) != _signature(node.extra_values) for child in node.fields.values()):
            raise _Unsupported
        open_maps.append((path, frozenset(node.fields)))
        typed = dict[str, _typed(node.extra_values, strict, (*path, "*"), open_maps)]  # type: ignore[misc]
    else:
        fields = [(name, _typed(child, strict, (*path, name), open_maps)) for name, child in node.fields.items()]
        # gc=False: these structs hold no cycles, and skipping the collector makes decoding faster.
        typed = msgspec.defstruct(
            node.structure or "_".join(map(str, path)), fields, forbid_unknown_fields=strict, gc=False
        )
    return Optional[typed] if node.nullable else typed  # noqa: UP045 - built at run time, not an annotation


def _signature(node: Node) -> tuple[Any, ...]:
    if node.kind in ("array", "object"):
        raise _Unsupported
    return (node.kind, node.nullable, node.enum)


_AT = re.compile(r"(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?\Z", re.S)
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\.\.\.)\]")
MAP_KEY = "[...]"
"""A step msgspec leaves unnamed: some key of a map (the caller finds which)."""
_FIELD = re.compile(r"Object (?P<kind>missing required|contains unknown) field `(?P<name>.*)`\Z", re.S)
_GOT = re.compile(r"Expected `[^`]*`, got `(?P<got>\w+)`\Z|Invalid enum value (?P<enum>.*)\Z", re.S)
JSON_KINDS = {"str": str, "int": (int, float), "float": (int, float), "bool": bool, "null": type(None)}
JSON_KINDS |= {"array": list, "object": dict}


class Problem(NamedTuple):
    """The first problem msgspec met, where it is: ``kind`` is missing, unknown_field or value."""

    parts: tuple[PathPart, ...]
    kind: str
    name: str = ""
    got: Any = None
    """For a value: the Python types msgspec saw there (a check that both parsers saw the same)."""


@functools.lru_cache(maxsize=4096)  # a producer's broken events tend to break alike
def locate(problem: str) -> Problem | None:
    """msgspec's message read back as a path and a kind; None when it does not say exactly where."""
    match = _AT.match(problem)
    if match is None:  # pragma: no cover - the pattern matches any text
        return None
    parts: list[PathPart] = []
    path = match["path"] or ""
    position = 0
    while position < len(path):
        step = _STEP.match(path, position)
        if step is None:
            return None  # a name msgspec does not spell out
        parts.append(step[1] if step[1] is not None else MAP_KEY if step[2] == "..." else int(step[2]))
        position = step.end()
    if MAP_KEY in parts[:-1]:
        return None
    located = tuple(parts)
    what = match["what"]
    field = _FIELD.match(what)
    if field is not None:
        return Problem(located, "missing" if field["kind"] == "missing required" else "unknown_field", field["name"])
    got = _GOT.match(what)
    if got is None:
        return None
    return Problem(located, "value", got=str if got["enum"] is not None else JSON_KINDS.get(got["got"]))


@functools.cache
def sample(node: Node) -> Any:
    """A value valid for ``node`` in strict mode: the stand-in that repairs one problem."""
    if node.nullable:
        return None
    if node.enum is not None:
        return node.enum[0]
    if node.kind == "object":
        return {name: sample(child) for name, child in node.fields.items()}
    return {"string": "", "number": 0, "boolean": False, "array": []}[node.kind]


def _has_keys(value: Any, path: tuple[PathPart, ...], required: frozenset[str]) -> bool:
    if not path:
        return bool(required <= value.keys())
    head, rest = path[0], path[1:]
    if head == "*":
        return all(_has_keys(item, rest, required) for item in value)
    child = getattr(value, str(head))
    return child is None or _has_keys(child, rest, required)

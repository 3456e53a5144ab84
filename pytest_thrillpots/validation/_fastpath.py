"""validate's fast path for JSON text: typed msgspec decoders built from the spec model.

On a valid event ``validate()`` would spend most of its time turning text into Python objects
(orjson) and handing them to the schema engine. msgspec decodes text straight into typed
structs and stops at the first mismatch, faster than parsing alone. The decoders' types are
built from the spec model, never written by hand.

When the decoder rejects an event, its message names the first problem; ``locate`` reads that
back as a path. ``relaxed_reader`` then builds (once per place) a decoder that lets that one
place through, so a second read both checks the rest of the event and hands back what is at that
place: the common case of one wrong leaf, or one missing field, is explained without the schema
engine's costly error list (see ``_validate._violations_at_problem``). Anything else goes to the
engine, which decides and explains. tests/test_validate.py checks the text path against the
engine's explanation of the parsed payload and against the reference ``jsonschema``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, Optional

import msgspec

from pytest_thrillpots.spec import Node, spec
from pytest_thrillpots.spec._paths import PathPart

FastCheck = Callable[[bytes | bytearray | memoryview | str], "str | None"]
"""None for a valid event, else msgspec's words for the first problem it met."""
_UNLOCATED = "a listed key of an open map is missing"


class _Unsupported(Exception):
    """A part of the spec msgspec cannot state exactly: that event type has no fast path."""


@functools.cache
def fast_check(event_type: str, strict: bool) -> FastCheck | None:
    """A check that returns None only for JSON text holding a valid ``event_type``; None if unavailable."""
    built = _decoder(event_type, strict, None)
    if built is None:
        return None
    decoder, keys_present = built

    def check(text: bytes | bytearray | memoryview | str) -> str | None:
        try:
            decoded = decoder.decode(text)
        except (msgspec.MsgspecError, RecursionError) as exc:
            return str(exc)
        return None if keys_present(decoded) else _UNLOCATED

    return check


class Relaxation(NamedTuple):
    """One place where a relaxed decoder lets anything through, so the rest of the event can be checked.

    ``pattern`` is a path with ``"*"`` for any array index or map key. With ``name``, the objects at
    ``pattern`` may lack that field (it reads as ``UNSET``); without, the values at ``pattern`` may
    be anything.
    """

    pattern: tuple[PathPart, ...]
    name: str = ""


PlaceValues = list[tuple[tuple[PathPart, ...], Any]]
"""Each place matching a relaxation's pattern, as a concrete path, with what the text holds there."""


@functools.cache
def relaxed_reader(
    event_type: str, strict: bool, relaxation: Relaxation
) -> Callable[[bytes | bytearray | memoryview | str], PlaceValues | None] | None:
    """A reader that checks the whole event except at ``relaxation``, and returns what is there.

    It returns None when anything else is wrong: then the relaxed place was not the only problem.
    """
    built = _decoder(event_type, strict, relaxation)
    if built is None:
        return None
    decoder, keys_present = built
    pattern = relaxation.pattern

    def read(text: bytes | bytearray | memoryview | str) -> PlaceValues | None:
        try:
            decoded = decoder.decode(text)
        except (msgspec.MsgspecError, RecursionError):
            return None
        if not keys_present(decoded):
            return None
        found: PlaceValues = []
        _collect(decoded, pattern, (), found)
        return found

    return read


def _collect(value: Any, pattern: tuple[PathPart, ...], prefix: tuple[PathPart, ...], found: PlaceValues) -> None:
    for position, head in enumerate(pattern):
        if value is None or value is msgspec.UNSET:  # a null or (relaxed reader) absent structure: nothing below
            return
        if head == "*":
            rest = pattern[position + 1 :]
            items = value.items() if isinstance(value, dict) else enumerate(value)
            if not rest:  # the values of a map or the items of an array themselves: no recursion
                found.extend(((*prefix, key), item) for key, item in items)
                return
            for key, item in items:
                _collect(item, rest, (*prefix, key), found)
            return
        value = getattr(value, str(head))
        prefix = (*prefix, head)
    found.append((prefix, value))


def _decoder(
    event_type: str, strict: bool, relaxation: Relaxation | None
) -> tuple[msgspec.json.Decoder[Any], Callable[[Any], bool]] | None:
    """A decoder for the event, and the check of what its types cannot say: the open maps' listed keys."""
    open_maps: list[tuple[tuple[PathPart, ...], frozenset[str]]] = []
    try:
        root = _typed(spec(event_type), strict, (), open_maps, relaxation)
    except _Unsupported:
        return None
    checks = [_keys_check(path, required) for path, required in open_maps]
    if len(checks) == 1:
        return msgspec.json.Decoder(root), checks[0]
    return msgspec.json.Decoder(root), lambda decoded: all(check(decoded) for check in checks)


def _typed(
    node: Node, strict: bool, path: tuple[PathPart, ...], open_maps: list[Any], relaxation: Relaxation | None
) -> Any:
    if relaxation is not None and not relaxation.name and path == relaxation.pattern:
        return Any
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
        typed = list[_typed(node.items, strict, (*path, "*"), open_maps, relaxation)]  # type: ignore[misc]
    elif node.free_form:
        typed = dict[str, Any]
    elif node.extra_values is not None:
        # An open map (the multipliers): listed keys required, every value of one shape.
        if any(_signature(child) != _signature(node.extra_values) for child in node.fields.values()):
            raise _Unsupported
        open_maps.append((path, frozenset(node.fields)))
        typed = dict[str, _typed(node.extra_values, strict, (*path, "*"), open_maps, relaxation)]  # type: ignore[misc]
    else:
        optional = relaxation.name if relaxation is not None and path == relaxation.pattern else None
        fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        for name, child in node.fields.items():
            typed = _typed(child, strict, (*path, name), open_maps, relaxation)
            fields.append((name, typed) if name != optional else (name, typed | msgspec.UnsetType, msgspec.UNSET))
        # gc=False: these structs hold no cycles, and skipping the collector makes decoding faster.
        typed = msgspec.defstruct(
            node.structure or "_".join(map(str, path)),
            fields,
            forbid_unknown_fields=strict,
            gc=False,
            kw_only=optional is not None,  # a field with a default may then come before required ones
        )
    return Optional[typed] if node.nullable else typed  # noqa: UP045 - built at run time, not an annotation


def _signature(node: Node) -> tuple[Any, ...]:
    if node.kind in ("array", "object"):
        raise _Unsupported
    return (node.kind, node.nullable, node.enum)


_AT = re.compile(r"(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?\Z", re.S)
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\.\.\.)\]")
MAP_KEY = "[...]"
"""A step msgspec leaves unnamed: some key of a map (the relaxed reader reads them all)."""
_FIELD = re.compile(r"Object (?P<kind>missing required|contains unknown) field `(?P<name>.*)`\Z", re.S)
_WRONG_VALUE = re.compile(r"Expected `[^`]*`, got `\w+`\Z|Invalid enum value .*\Z", re.S)


class Problem(NamedTuple):
    """The first problem msgspec met, where it is: ``kind`` is missing, unknown_field or value."""

    parts: tuple[PathPart, ...]
    kind: str
    name: str = ""


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
    if _WRONG_VALUE.match(what) is None:
        return None
    return Problem(located, "value")


def _keys_check(path: tuple[PathPart, ...], required: frozenset[str]) -> Callable[[Any], bool]:
    """Whether every map at ``path`` in a decoded event holds the ``required`` keys."""
    if "*" in path:

        def check_each(decoded: Any) -> bool:
            maps: PlaceValues = []
            _collect(decoded, path, (), maps)
            return all(found is None or found is msgspec.UNSET or required <= found.keys() for _, found in maps)

        return check_each
    names = tuple(map(str, path))

    def check(decoded: Any) -> bool:
        # Runs on every valid event: a plain loop of attribute reads, no recursion.
        value = decoded
        for name in names:
            value = getattr(value, name)
            if value is None or value is msgspec.UNSET:
                return True
        return bool(required <= value.keys())

    return check

"""validate's fast path for JSON text: typed msgspec decoders built from the spec model.

On a valid event ``validate()`` would spend most of its time turning text into Python objects
(orjson) and walking them. msgspec decodes text straight into typed structs and stops at the
first mismatch, faster than parsing alone. The decoders' types are built from the spec model,
never written by hand. A decoder only ever says "valid": when it stops, the text is parsed and
the generated collector (``_collector``) says what is wrong, so msgspec's own judgement of a
defect never reaches a user. tests/validation/test_validate.py holds the two to the same verdict.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any, Literal, Optional

import msgspec

from pytest_thrillpots.spec import Node, spec
from pytest_thrillpots.spec._paths import PathPart

FastCheck = Callable[[bytes | bytearray | memoryview | str], "str | None"]
"""None for a valid event, else msgspec's words for the first problem it met."""
_UNLOCATED = "a listed key of an open map is missing"


class _Unsupported(Exception):
    """A part of the spec msgspec cannot state exactly: that event type has no fast path."""


@functools.cache
def fast_decoder(event_type: str, strict: bool) -> tuple[Callable[[Any], Any], Callable[[Any], bool] | None] | None:
    """A typed decoder's ``decode`` and the check of what its types cannot say (None: nothing to check).

    The text holds a valid ``event_type`` when ``decode`` returns and the check, if any, passes;
    None when msgspec cannot state the spec of that type exactly.
    """
    built = _decoder(event_type, strict)
    if built is None:
        return None
    decoder, keys_present = built
    return decoder.decode, keys_present


@functools.cache
def fast_check(event_type: str, strict: bool) -> FastCheck | None:
    """A check that returns None only for JSON text holding a valid ``event_type``; None if unavailable."""
    built = fast_decoder(event_type, strict)
    if built is None:
        return None
    decode, keys_present = built

    def check(text: bytes | bytearray | memoryview | str) -> str | None:
        try:
            decoded = decode(text)
        except (msgspec.MsgspecError, RecursionError) as exc:
            return str(exc)
        return None if keys_present is None or keys_present(decoded) else _UNLOCATED

    return check


def _decoder(event_type: str, strict: bool) -> tuple[msgspec.json.Decoder[Any], Callable[[Any], bool] | None] | None:
    """A decoder for the event, and the check of what its types cannot say: the open maps' listed keys."""
    open_maps: list[tuple[tuple[PathPart, ...], frozenset[str]]] = []
    try:
        root = _typed(spec(event_type), strict, (), open_maps)
    except _Unsupported:
        return None
    checks = [_keys_check(path, required) for path, required in open_maps]
    if not checks:
        return msgspec.json.Decoder(root), None
    if len(checks) == 1:
        return msgspec.json.Decoder(root), checks[0]
    return msgspec.json.Decoder(root), lambda decoded: all(check(decoded) for check in checks)


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


def _keys_check(path: tuple[PathPart, ...], required: frozenset[str]) -> Callable[[Any], bool]:
    """Whether every map at ``path`` in a decoded event holds the ``required`` keys."""
    if "*" in path:

        def check_each(decoded: Any) -> bool:
            return all(found is None or required <= found.keys() for found in _maps(decoded, path))

        return check_each
    get = operator.attrgetter(".".join(map(str, path)))

    def check(decoded: Any) -> bool:
        # Runs on every valid event: one attribute walk in C.
        try:
            return bool(get(decoded).keys() >= required)
        except AttributeError:  # a null on the way, or the map itself null: no keys to check
            return True

    return check


def _maps(value: Any, path: tuple[PathPart, ...]) -> list[Any]:
    """The values at ``path`` (``*``: every array item) in a decoded event; None below a null."""
    found = [value]
    for head in path:
        found = [
            item
            for value in found
            for item in ((None,) if value is None else value if head == "*" else (getattr(value, str(head)),))
        ]
    return found

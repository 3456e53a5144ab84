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
from typing import Any, Literal, NamedTuple, Optional

import msgspec

from pytest_thrillpots.spec import Node, spec
from pytest_thrillpots.spec._paths import PathPart

FastCheck = Callable[[bytes | bytearray | memoryview | str], "str | None"]
"""None for a valid event, else msgspec's words for the first problem it met."""
_UNLOCATED = "a listed key of an open map is missing"


class _Unsupported(Exception):
    """A part of the spec msgspec cannot state exactly: that event type has no fast path."""


class FastPath(NamedTuple):
    """How the fast path reads one event type's text (``validate()`` inlines the use of it).

    The text holds a valid event when ``decode`` returns and ``keys_present``, if any, passes.
    When ``decode`` stops, the collector parses the text and decides: the event may still be
    valid, with further keys in an open map, which this decoder does not read.
    """

    decode: Callable[[Any], Any]
    keys_present: Callable[[Any], bool] | None


@functools.cache
def fast_decoder(event_type: str, strict: bool, *, maps_as_structs: bool = True) -> FastPath | None:
    """The fast path of ``event_type`` in that mode; None when msgspec cannot state its spec exactly.

    An open map (the multipliers) is read as a struct of its listed keys: most maps hold just
    those, and a struct is much cheaper to check than a dict whose keys are counted afterwards
    (a fifth of a WinEvent's decode). A map with further keys stops the decoder: the collector
    then finds the event valid, at the price of a parse (``maps_as_structs=False`` reads such
    maps as dicts, for ``fast_check``).
    """
    built = _decoder(event_type, strict, maps_as_structs=maps_as_structs)
    if built is None:
        return None
    decoder, keys_present, _ = built
    return FastPath(decoder.decode, keys_present)


@functools.cache
def fast_check(event_type: str, strict: bool) -> FastCheck | None:
    """A check that returns None only for JSON text holding a valid ``event_type``; None if unavailable.

    It reads open maps as dicts, so it says valid for every valid event (a test holds it to that).
    """
    fast = fast_decoder(event_type, strict, maps_as_structs=False)
    if fast is None:
        return None

    def check(text: bytes | bytearray | memoryview | str) -> str | None:
        try:
            decoded = fast.decode(text)
        except (msgspec.MsgspecError, RecursionError) as exc:
            return str(exc)
        return None if fast.keys_present is None or fast.keys_present(decoded) else _UNLOCATED

    return check


def _decoder(
    event_type: str, strict: bool, *, maps_as_structs: bool
) -> tuple[msgspec.json.Decoder[Any], Callable[[Any], bool] | None, list[tuple[PathPart, ...]]] | None:
    """A decoder for the event; the check of what its types cannot say (open maps' listed keys, when
    read as dicts); and where the open maps read as structs are."""
    open_maps: list[tuple[tuple[PathPart, ...], frozenset[str]]] = []
    struct_maps: list[tuple[PathPart, ...]] = []
    try:
        root = _typed(spec(event_type), strict, (), open_maps, struct_maps if maps_as_structs else None)
    except _Unsupported:
        return None
    checks = [_keys_check(path, required) for path, required in open_maps]
    decoder = msgspec.json.Decoder(root)
    if not checks:
        return decoder, None, struct_maps
    if len(checks) == 1:
        return decoder, checks[0], struct_maps
    return decoder, lambda decoded: all(check(decoded) for check in checks), struct_maps


def _typed(
    node: Node,
    strict: bool,
    path: tuple[PathPart, ...],
    open_maps: list[Any],
    struct_maps: list[tuple[PathPart, ...]] | None,
) -> Any:
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
        typed = list[_typed(node.items, strict, (*path, "*"), open_maps, struct_maps)]  # type: ignore[misc]
    elif node.free_form:
        typed = dict[str, Any]
    elif node.extra_values is not None:
        # An open map (the multipliers): listed keys required, every value of one shape.
        if any(_signature(child) != _signature(node.extra_values) for child in node.fields.values()):
            raise _Unsupported
        if struct_maps is not None and "*" not in path:
            # Its listed keys as a struct that refuses any other key: a map holding further keys
            # stops this decoder, and the second one reads it as a dict.
            struct_maps.append(path)
            fields = [
                (name, _typed(child, strict, (*path, name), open_maps, None)) for name, child in node.fields.items()
            ]
            typed = msgspec.defstruct("_".join(map(str, path)), fields, forbid_unknown_fields=True, gc=False)
        else:
            open_maps.append((path, frozenset(node.fields)))
            typed = dict[str, _typed(node.extra_values, strict, (*path, "*"), open_maps, None)]  # type: ignore[misc]
    else:
        fields = [
            (name, _typed(child, strict, (*path, name), open_maps, struct_maps)) for name, child in node.fields.items()
        ]
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

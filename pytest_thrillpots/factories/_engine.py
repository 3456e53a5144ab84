"""Building events: the field plan comes from the spec, the values from ``_producers``.

``plan(name)`` walks ``spec(name)``: each field the schema lists gets its producer, a nested
structure gets that structure's plan, and a field without a producer (one the spec gained
later) gets a value of the spec's type, so a factory never misses a field nor invents one.
"""

from __future__ import annotations

import copy
import functools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pytest_thrillpots._errors import ThrillpotsError, UnknownFieldError, close_matches
from pytest_thrillpots._seed import derive_seed
from pytest_thrillpots.factories._draft import NO_SETTINGS, Draft, Override, Settings
from pytest_thrillpots.factories._producers import (
    ARRAY_SIZES,
    BEGIN,
    BEGIN_ITEM,
    BINDINGS,
    ELEMENTS,
    PRODUCERS,
    Maker,
    pot_count,
)
from pytest_thrillpots.factories._provider import Pools, pick, pools_for, token
from pytest_thrillpots.spec import Node, field_paths, first_unknown_part, lookup, spec
from pytest_thrillpots.spec._paths import PathPart, from_keyword, parse_human, to_human, to_keyword

Plan = tuple[tuple[str, Maker], ...]

FALLBACK_FIELDS: set[tuple[str, str]] = set()
"""Fields that got a generic value because no producer names them (a test keeps it empty)."""


class Stream:
    """A seeded random source and the seed's pools: what a factory draws from."""

    __slots__ = ("pools", "rng", "seed")

    def __init__(self, seed: int, name: str) -> None:
        self.seed = seed
        self.rng = random.Random(derive_seed(seed, name))
        self.pools: Pools = pools_for(seed)


@functools.cache
def plan(name: str) -> Plan:
    """The (field, producer) pairs of one event or structure, in the spec's field order."""
    node = spec(name)
    producers = PRODUCERS.get(name, {})
    steps: list[tuple[str, Maker]] = []
    for field, child in node.fields.items():
        maker = producers.get(field)
        if maker is None:
            maker = _derived_maker(name, field, child)
        steps.append((field, maker))
    return tuple(steps)


def _derived_maker(owner: str, field: str, node: Node) -> Maker:
    if node.kind == "object" and node.structure:
        return structure_maker(node.structure)
    if owner == "JackpotUpdateEvent" and field == "pots" and node.items is not None and node.items.structure:
        return _items_maker(node.items.structure, pot_count)
    if node.kind == "array" and node.items is not None and node.items.structure:
        low, high = ARRAY_SIZES.get(owner, {}).get(field, (0, 3))
        return _items_maker(node.items.structure, lambda ctx: ctx.count(field, low, high))
    FALLBACK_FIELDS.add((owner, field))
    return fallback_maker(field, node)


def fallback_maker(field: str, node: Node) -> Maker:
    """A value of the spec's type for a field no producer knows."""

    def value(ctx: Draft) -> Any:
        if node.enum is not None:
            return pick(ctx.rng, node.enum)
        if node.kind == "string":
            return f"{field}-{token(ctx.rng, 6)}"
        if node.kind == "number":
            return int(ctx.rng.random() * 1000)
        if node.kind == "boolean":
            return ctx.chance(0.5)
        if node.kind == "array":
            return []
        return {}

    if node.nullable:
        return lambda ctx: None if ctx.null(field, 0.5) else value(ctx)
    return value


@functools.cache
def structure_maker(name: str) -> Maker:
    steps = plan(name)
    begin = BEGIN_ITEM.get(name)

    def make(ctx: Draft) -> dict[str, Any]:
        if begin is not None:
            begin(ctx)
        return {field: maker(ctx) for field, maker in steps}

    return make


def _items_maker(structure: str, size: Callable[[Draft], int]) -> Maker:
    make = structure_maker(structure)

    def items(ctx: Draft) -> list[dict[str, Any]]:
        out = []
        for index in range(size(ctx)):
            ctx.index = index
            out.append(make(ctx))
        return out

    return items


def build(name: str, stream: Stream, settings: Settings = NO_SETTINGS, *, wide: bool = False) -> dict[str, Any]:
    """One event (or structure) drawn from ``stream``, with ``settings`` applied."""
    return build_with(name, stream.rng, stream.pools, settings, wide=wide)


def build_with(
    name: str, rng: random.Random, pools: Pools, settings: Settings, *, wide: bool = False
) -> dict[str, Any]:
    bound = _bound(name, settings.values) if settings.values else _NOTHING
    ctx = Draft(rng, pools, settings, bound, wide)
    BEGIN[name](ctx)
    if name in BEGIN_ITEM:
        BEGIN_ITEM[name](ctx)
    event = {field: maker(ctx) for field, maker in plan(name)}
    for parts, value in settings.values:
        _set(event, name, parts, value, ctx)
    for finish in settings.finishers:
        finish(event)
    return event


_NOTHING: Mapping[str, Any] = {}


def _bound(name: str, values: Iterable[Override]) -> dict[str, Any]:
    """The overridden values this event's other fields follow, when they have the spec's type."""
    keys = BINDINGS.get(name, frozenset())
    bound: dict[str, Any] = {}
    for parts, value in values:
        key = ".".join(str(p) for p in parts)
        if key in keys and (node := lookup(name, parts)) is not None and node.fits(value):
            bound[key] = value
    return bound


# --- Overrides -----------------------------------------------------------------------------


@functools.cache
def override_names(name: str) -> tuple[str, ...]:
    """Every field of ``name`` as an override keyword (array items as ``__0__``)."""
    return tuple(to_keyword([0 if p == "*" else p for p in parse_human(path)]) for path in field_paths(name))


@functools.lru_cache(maxsize=4096)
def check_override(name: str, parts: tuple[PathPart, ...], spelling: str) -> tuple[PathPart, ...]:
    """``parts`` when ``name`` has that field; else UnknownFieldError with the close matches."""
    depth = first_unknown_part(name, parts, indexes_only=True)
    if depth is not None:
        raise UnknownFieldError(_unknown_field_message(name, parts, depth, spelling))
    return parts


def _unknown_field_message(name: str, parts: Sequence[PathPart], depth: int, spelling: str) -> str:
    known = override_names(name)
    shape = to_keyword([0 if isinstance(p, int) else p for p in parts])
    matches = close_matches(shape, known)
    where = to_human(parts[: depth + 1])
    hint = f" Did you mean {' or '.join(repr(m) for m in matches)}?" if matches else ""
    if spelling in ("trait", "traits"):
        hint += f" Traits are not fields: apply one with {name}Factory.trait(name, **params)."
    return (
        f"{name} has no field {spelling!r} ({where} is not in the spec).{hint} "
        f"Fields you can set: {', '.join(known)}; nest with __ (currency_multipliers__base_currency) "
        "and index array items (community_winners__0__win_amount)."
    )


def parse_overrides(name: str, overrides: Mapping[str, Any]) -> tuple[Override, ...]:
    """Keyword overrides as (path, value) pairs, checked against the spec; outer paths first."""
    pairs = [(check_override(name, from_keyword(key), key), value) for key, value in overrides.items()]
    # A whole object first, then fields inside it: metadata={...}, metadata__round_id="r-1".
    pairs.sort(key=lambda pair: len(pair[0]))
    return tuple(pairs)


def _set(event: dict[str, Any], name: str, parts: Sequence[PathPart], value: Any, ctx: Draft) -> None:
    target: Any = event
    node: Node | None = spec(name)
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        child = node.child(part) if node is not None and not node.free_form else None
        if isinstance(target, list) and isinstance(part, int):
            while len(target) <= part:
                target.append(_new_item(name, parts[:depth], node, ctx, len(target)))
        elif not isinstance(target, dict) or isinstance(part, int):
            raise ThrillpotsError(
                f"cannot set {to_keyword(parts)}: {to_human(parts[:depth]) or name} is "
                f"{type(target).__name__}, not {'an array' if isinstance(part, int) else 'an object'} "
                "(an earlier override replaced it)"
            )
        if last:
            target[part] = copy.deepcopy(value) if isinstance(value, (dict, list)) else value
            return
        nxt = target.get(part) if isinstance(target, dict) else target[part]
        if nxt is None:
            # Setting a field inside a null object (metadata=None) starts it empty.
            nxt = [] if isinstance(parts[depth + 1], int) else {}
            target[part] = nxt
        target, node = nxt, child


def _new_item(name: str, array_parts: Sequence[PathPart], node: Node | None, ctx: Draft, index: int) -> Any:
    """An item for an array that an override reaches past the end of."""
    items = node.items if node is not None else None
    if items is not None and items.structure:
        ctx.index = index
        return structure_maker(items.structure)(ctx)
    element = ELEMENTS.get(name, {}).get(str(array_parts[-1]) if array_parts else "")
    if element is not None:
        return element(ctx)
    return fallback_maker("item", items)(ctx) if items is not None else None

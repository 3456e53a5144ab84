"""The branch walk: which branches of the spec an event takes, and a few events that take them all.

Behind ``Factory.coverage()`` and the AsyncAPI examples' summaries.

The branches are read from the spec (each nullable field null and set, each enum value, each
boolean both ways, each array empty and non-empty); events are built until every branch has
been seen in one of them, checking the events themselves rather than trusting the settings.
"""

from __future__ import annotations

import json
from typing import Any

from pytest_thrillpots.factories._draft import Override, Settings
from pytest_thrillpots.factories._engine import Stream, build
from pytest_thrillpots.spec import Node, iter_fields, spec
from pytest_thrillpots.spec._paths import PathPart

Path = tuple[PathPart, ...]
Branch = tuple[Path, str]

NON_EMPTY_SIZE = 2


def branches(name: str) -> list[tuple[Path, tuple[str, ...]]]:
    """Each branching field of ``name`` and its options, the usual one first."""
    found: list[tuple[Path, tuple[str, ...]]] = []
    for parts, node in iter_fields(spec(name)):
        if node.nullable:
            found.append((parts, ("value", "null")))
        if node.enum is not None:
            found.append((parts, tuple(json.dumps(v) for v in node.enum)))
        elif node.kind == "boolean":
            found.append((parts, ("true", "false")))
        if node.kind == "array":
            found.append((parts, ("non-empty", "empty")))
    return found


def observed(name: str, event: Any) -> list[Branch]:
    """The branches ``event`` takes, in the spec's order (each field's own before its children's)."""
    seen: dict[Branch, None] = {}
    node = spec(name)
    if isinstance(event, dict):
        for field, child in node.fields.items():
            if field in event:
                _observe(child, event[field], (field,), seen)
    return list(seen)


def _observe(node: Node, value: Any, parts: Path, seen: dict[Branch, None]) -> None:
    if node.nullable:
        seen[(parts, "null" if value is None else "value")] = None
    if value is None:
        return
    if node.enum is not None or node.kind == "boolean":
        seen[(parts, json.dumps(value))] = None
    if node.kind == "array" and isinstance(value, list):
        seen[(parts, "non-empty" if value else "empty")] = None
        if node.items is not None:
            for item in value:
                _observe(node.items, item, (*parts, "*"), seen)
    elif node.kind == "object" and isinstance(value, dict):
        for field, child in node.fields.items():
            if field in value:
                _observe(child, value[field], (*parts, field), seen)


def _settings(chosen: dict[Path, str]) -> Settings:
    counts: dict[str, int] = {}
    nulls: dict[str, bool] = {}
    values: list[Override] = []
    for parts, option in chosen.items():
        concrete = tuple(0 if p == "*" else p for p in parts)
        top = len(parts) == 1 and isinstance(parts[0], str)
        if option in ("null", "value"):
            if top:
                nulls[str(parts[0])] = option == "null"
            elif option == "null":
                values.append((concrete, None))
        elif option == "empty":
            values.append((concrete, []))
        elif option == "non-empty":
            if top:
                counts[str(parts[0])] = NON_EMPTY_SIZE
        else:
            values.append((concrete, json.loads(option)))
    values.sort(key=lambda pair: len(pair[0]))
    return Settings(counts=counts, nulls=nulls, values=tuple(values))


def _cut_off(parts: Path, chosen: dict[Path, str]) -> bool:
    """Whether an enclosing array or object of ``parts`` is empty or null in this event."""
    return any(chosen.get(parts[:depth]) in ("empty", "null") for depth in range(1, len(parts)))


def branch_events(name: str, seed: int) -> list[dict[str, Any]]:
    """Events of ``name`` from ``seed`` that together take every branch of ``branches(name)``."""
    dims = branches(name)
    remaining = {(parts, option) for parts, options in dims for option in options}
    stream = Stream(seed, name)
    events: list[dict[str, Any]] = []
    while remaining or not events:
        chosen: dict[Path, str] = {}
        for parts, options in dims:
            todo = [option for option in options if (parts, option) in remaining]
            if todo and not _cut_off(parts, chosen):
                chosen[parts] = todo[0]
        event = build(name, stream, _settings(chosen))
        seen = set(observed(name, event))
        if events and not seen & remaining:  # pragma: no cover - a producer ignoring its settings
            missing = ", ".join(f"{'.'.join(map(str, p))}={o}" for p, o in sorted(remaining, key=str))
            raise RuntimeError(f"{name} coverage cannot reach: {missing}")
        remaining -= seen
        events.append(event)
    return events

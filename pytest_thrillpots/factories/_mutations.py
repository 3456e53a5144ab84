"""Negative tests: every way a valid event can break the spec, one defect at a time.

``mutations(event, "WinEvent")`` yields ``(mutated_payload, expected_violation)`` pairs: each
field missing, of a wrong type, null where the spec forbids it, outside its enum, defects
inside array items and the multipliers map, unknown fields (with ``strict=True``) and the
legacy raffle winner tuple. Every defect is read from the spec, and ``validate(payload,
event_type, strict=strict)`` reports each expected violation (the toolkit's own tests prove it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson

from pytest_thrillpots._errors import InvalidEventError
from pytest_thrillpots.coverage._recorder import paused
from pytest_thrillpots.spec import Node, check_event_type, raw_schemas, spec
from pytest_thrillpots.spec._paths import PathPart, human_from_pointer, to_pointer
from pytest_thrillpots.validation._validate import validate
from pytest_thrillpots.validation._violation import Rule, Violation

UNKNOWN_FIELD = "unexpected_field"
EXTRA_MAP_KEY = "XXX"

# A wrong value of each other JSON type, the likely slips first (a number sent as a string).
_WRONG_TYPES: dict[str, tuple[tuple[str, Any], ...]] = {
    "string": (("number", 12345),),
    "number": (("string", "12.50"), ("boolean", True)),
    "boolean": (("string", "true"), ("number", 1)),
    "array": (("object", {}),),
    "object": (("array", []), ("string", "{}")),
}


@dataclass(frozen=True)
class ExpectedViolation:
    """The violation a mutant must produce: where (a JSON Pointer) and which rule."""

    path: str
    rule: Rule
    defect: str
    """What was done, for people: ``number sent as string "12.50"``."""

    @property
    def field(self) -> str:
        """The path as people read it: ``community_winners[0].win_amount``."""
        return human_from_pointer(self.path)

    def found_in(self, violations: Sequence[Violation]) -> bool:
        """Whether ``violations`` (from ``validate``) include this one, by path and rule."""
        return any(v.path == self.path and v.rule == self.rule for v in violations)

    def __str__(self) -> str:
        return f"{self.field}: {self.defect} [{self.rule}]"


class Mutation(NamedTuple):
    """One mutant: unpack it as ``payload, expected``."""

    payload: Any
    expected: ExpectedViolation

    @property
    def id(self) -> str:
        """A short test id: ``type-community_winners[0].win_amount-string``."""
        expected = self.expected
        kind = f"-{expected.defect.split(' ')[0]}" if expected.rule == "type" else ""
        return f"{expected.rule}-{expected.field}{kind}"


def mutations(event: Any, event_type: str, *, strict: bool = False) -> Iterator[Mutation]:
    """Every single-defect mutant of ``event`` with the violation ``validate`` must report.

    ``event`` must be a valid ``event_type`` (a factory's event, say); empty arrays of objects
    get one item first so the defects inside items are covered too. Like ``validate``, tolerant
    by default: a consumer must accept unknown fields (additive changes), so they are no defect.
    ``strict=True`` adds the unknown-field mutants, which ``validate(..., strict=True)`` reports.
    """
    check_event_type(event_type)
    base = _prepared(event, event_type)
    with paused():  # checking the input is not a test exercising the contract
        problems = validate(base, event_type, strict=strict)
    if problems:
        raise InvalidEventError(
            f"mutations() needs a valid {event_type} to break one field at a time; this one already has "
            f"{len(problems)} violation(s): " + "; ".join(str(p) for p in problems[:3])
        )
    text = orjson.dumps(base)
    legacy_items = _legacy_items(event_type)
    yield Mutation([], ExpectedViolation("", "not_object", "an array instead of an object"))
    yield from _object(spec(event_type), base, (), _Base(text, strict, legacy_items))
    yield from _legacy(base, legacy_items, text)


def _prepared(event: Any, event_type: str) -> Any:
    if not isinstance(event, dict):
        return event
    base = orjson.loads(orjson.dumps(event))
    from pytest_thrillpots.factories._factories import factory_for

    for name, node in spec(event_type).fields.items():
        items = node.items
        if node.kind == "array" and isinstance(base.get(name), list) and not base[name]:
            if items is not None and items.structure:
                base[name] = [factory_for(items.structure).seeded(0).build()]
            elif items is not None and items.kind == "string":
                base[name] = ["item"]
    return base


def _copy(text: bytes) -> Any:
    return orjson.loads(text)


def _at(payload: Any, parts: Sequence[PathPart]) -> Any:
    for part in parts:
        payload = payload[part]
    return payload


def _mutant(text: bytes, parts: tuple[PathPart, ...], value: Any, rule: Rule, defect: str) -> Mutation:
    payload = _copy(text)
    _at(payload, parts[:-1])[parts[-1]] = value
    return Mutation(payload, ExpectedViolation(to_pointer(parts), rule, defect))


@dataclass(frozen=True)
class _Base:
    text: bytes
    """The prepared event as JSON: each mutant starts from a fresh copy."""
    strict: bool
    legacy_items: tuple[PathPart, ...] | None
    """The array whose items may be legacy tuples (RaffleWinEvent.winners), if any."""


def _object(node: Node, value: dict[str, Any], parts: tuple[PathPart, ...], base: _Base) -> Iterator[Mutation]:
    for name, child in node.fields.items():
        path = (*parts, name)
        payload = _copy(base.text)
        del _at(payload, parts)[name]
        yield Mutation(payload, ExpectedViolation(to_pointer(path), "missing", "field removed"))
        yield from _value(child, value.get(name), path, base)
    if node.extra_values is not None:
        for kind, wrong in _WRONG_TYPES[node.extra_values.kind]:
            yield _mutant(base.text, (*parts, EXTRA_MAP_KEY), wrong, "type", f"{kind} as a further key's value")
    if base.strict and node.listed_fully:
        yield _mutant(base.text, (*parts, UNKNOWN_FIELD), 1, "unknown_field", "field the spec does not list")


def _value(node: Node, value: Any, path: tuple[PathPart, ...], base: _Base) -> Iterator[Mutation]:
    text = base.text
    if not node.nullable:
        yield _mutant(text, path, None, "null", "null")
    if node.enum is not None and isinstance(value, str):
        outside = _outside(node.enum, value)
        yield _mutant(text, path, outside, "enum", f"value outside the enum {outside!r}")
    for kind, wrong in _WRONG_TYPES[node.kind]:
        if kind == "array" and path[:-1] == base.legacy_items:
            continue  # an array there is the legacy tuple form: its own mutant, its own rule
        yield _mutant(text, path, wrong, "type", f"{kind} instead of {node.kind}")
    if node.kind == "object" and isinstance(value, dict) and not node.free_form:
        yield from _object(node, value, path, base)
    elif node.kind == "array" and node.items is not None and isinstance(value, list) and value:
        yield from _value(node.items, value[0], (*path, 0), base)


def _outside(enum: tuple[Any, ...], value: str) -> str:
    """A near miss: the value in lower case ("jackpot"), a typical producer slip."""
    for candidate in (value.lower(), value.upper(), f"{value}s"):
        if candidate not in enum:
            return candidate
    return "not-in-enum"  # pragma: no cover - an enum holding every case variant


LEGACY_ITEMS: tuple[PathPart, ...] = ("winners",)


def _legacy_items(event_type: str) -> tuple[PathPart, ...] | None:
    """Where the spec defines a legacy tuple form (RaffleWinEvent.winners)."""
    return LEGACY_ITEMS if "LegacyWinnerTuple" in raw_schemas()[event_type].get("$defs", {}) else None


def _legacy(base: Any, items: tuple[PathPart, ...] | None, text: bytes) -> Iterator[Mutation]:
    if items is None:
        return
    from pytest_thrillpots.factories._traits import legacy_winner

    payload = _copy(text)
    owner = _at(payload, items)
    owner[0] = legacy_winner(owner[0])
    yield Mutation(
        payload, ExpectedViolation(to_pointer((*items, 0)), "legacy_tuple", "winner in the legacy tuple form")
    )

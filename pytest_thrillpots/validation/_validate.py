"""`validate`: every violation of the spec in a payload, with stable rule codes.

The compiled engine (jsonschema-rs) answers "valid?" first; only an invalid payload pays for
collecting details, which are mapped from the engine's error kinds onto our rule codes and
worded in the spec's terms. JSON text goes through a faster door first (``_fastpath``): a
typed decoder that accepts a valid event without building Python objects, and whose first
complaint lets a single violation be confirmed without the engine's costly error list.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

import jsonschema_rs
import orjson
from msgspec import UNSET

from pytest_thrillpots.coverage import _recorder as _coverage
from pytest_thrillpots.spec import (
    EVENT_TYPES,
    SCHEMA_BASE_URI,
    SCHEMA_SUFFIX,
    Node,
    check_event_type,
    lookup,
    raw_schemas,
)
from pytest_thrillpots.spec._paths import PathPart, human_from_pointer, to_pointer
from pytest_thrillpots.validation._fastpath import MAP_KEY, Found, Relaxation, fast_check, locate, relaxed_reader

Rule = Literal["missing", "type", "null", "enum", "unknown_field", "legacy_tuple", "not_object", "json"]
if TYPE_CHECKING:
    from pytest_thrillpots.validation._semantic import SemanticRule
RULES: tuple[Rule, ...] = get_args(Rule)

CANONICAL_WINNER = '{"player_id": String, "brand_id": String, "currency": String, "win_amount": Number}'
LEGACY_WINNER = '[player_id, {"currency": String, "value": Number}]'


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a payload breaks the spec."""

    path: str
    """Where, as a JSON Pointer (RFC 6901); ``""`` is the whole payload."""
    rule: Rule | SemanticRule
    """A stable code: missing, type, null, enum, unknown_field, legacy_tuple, not_object, json;
    with ``semantic=True`` also one of ``SEMANTIC_RULES`` (the conventions)."""
    expected: str
    """What the spec asks for, in its terms (``number``, ``"Jackpot" or "Raffle"``)."""
    actual: str
    """What the payload holds (``string "no"``, ``null``, ``missing``)."""
    message: str
    """One sentence for people."""

    @property
    def field(self) -> str:
        """The path as people read it: ``pots[0].current_value``."""
        return human_from_pointer(self.path)

    def __str__(self) -> str:
        return f"{self.field}: {self.message} [{self.rule}]"


def describe_value(value: object, limit: int = 40) -> str:
    """A value as failure messages show it: ``string "no"``, ``number 12``, ``null``, ``array``."""
    kind = type(value)  # dispatch on the exact type first: this runs for every violation
    if value is None:
        return "null"
    if kind is bool:
        return f"boolean {'true' if value else 'false'}"
    if kind is str:
        assert isinstance(value, str)
        text = _json_string(value[:limit])
        if len(value) > limit:
            text = f'{text[:-1]}…" ({len(value)} characters)'
        return f"string {text}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return f"number {value!r} (not valid JSON)"
        return f"number {value!r}"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, str):
        return describe_value(str(value), limit)
    if isinstance(value, (list, tuple)):
        return f"array of {len(value)} item{'s' if len(value) != 1 else ''}" if value else "empty array"
    if isinstance(value, Mapping):
        return "object"
    return f"{type(value).__name__} (not a JSON value)"


def _json_string(text: str) -> str:
    try:
        return orjson.dumps(text).decode()
    except orjson.JSONEncodeError:  # a lone surrogate, which only json's escaping can show
        return json.dumps(text, ensure_ascii=False)


def _strict(schema: Any) -> Any:
    """The same schema with unknown fields forbidden on every object it lists fully."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def _allow_legacy(schema: dict[str, Any]) -> dict[str, Any]:
    """RaffleWinEvent with ``winners`` items in either the canonical or the legacy tuple form."""
    winners = dict(schema["properties"]["winners"])
    canonical = winners["items"]
    winners["items"] = {"if": {"type": "array"}, "then": {"$ref": "#/$defs/LegacyWinnerTuple"}, "else": canonical}
    return {**schema, "properties": {**schema["properties"], "winners": winners}}


@functools.cache
def _validator(event_type: str, strict: bool, allow_legacy_winners: bool) -> Any:
    check_event_type(event_type)
    resources: dict[str, Any] = dict(raw_schemas())
    if allow_legacy_winners:
        resources["RaffleWinEvent"] = _allow_legacy(dict(resources["RaffleWinEvent"]))
    if strict:
        resources = {name: _strict(schema) for name, schema in resources.items()}
    registry = jsonschema_rs.Registry(
        [(f"{SCHEMA_BASE_URI}{name}{SCHEMA_SUFFIX}", schema) for name, schema in resources.items()]
    )
    return jsonschema_rs.Draft202012Validator(resources[event_type], registry=registry)


def validate(
    payload: object,
    event_type: str,
    *,
    strict: bool = False,
    allow_legacy_winners: bool = False,
    semantic: bool = False,
) -> list[Violation]:
    """Every violation of the spec in ``payload`` (an empty list when it is valid).

    ``payload`` is parsed JSON (a dict) or JSON text as ``bytes`` or ``str``. ``strict`` also
    reports fields the spec does not list; ``allow_legacy_winners`` accepts RaffleWinEvent
    winners in the legacy tuple form; ``semantic`` also checks the conventions (epoch
    milliseconds, money with two decimals...) with rule codes of their own (``SEMANTIC_RULES``).
    """
    validator = _validator(event_type, strict, allow_legacy_winners)
    if _coverage.RECORDER is not None:
        _coverage.RECORDER.count_validated(event_type)
    problem: str | None = None
    text: bytes | bytearray | memoryview | str | None = None
    if isinstance(payload, (bytes, bytearray, memoryview, str)):
        fast = None if allow_legacy_winners or semantic else fast_check(event_type, strict)
        if fast is not None:
            problem = fast(payload)
            if problem is None:
                return []
            only = _violations_at_problem(payload, problem, event_type, strict)
            if only is not None:
                return only
        text = payload
        try:
            payload = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            return [json_violation(exc)]
    try:
        # Once the fast path said no, go straight to the details: an empty list then means it was unsure.
        return _judge(validator, payload, event_type, allow_legacy_winners, semantic, known_invalid=problem is not None)
    except ValueError as exc:
        if _ENGINE_DEPTH_ERROR not in str(exc):
            # The engine refuses Python values JSON has no form for (a set, a tuple key...).
            raise TypeError(
                f"validate() takes parsed JSON (dict, list, str, int, float, bool, None) or JSON text; "
                f"the payload holds a value JSON cannot represent ({exc})"
            ) from None
    # Nested deeper than the engine takes (about 255 levels), in metadata say. No value the spec
    # describes nests that deep, so the payload cut at MAX_CHECKED_DEPTH gets the same verdict.
    shallow = _within_depth(payload, MAX_CHECKED_DEPTH)
    return _judge(validator, shallow, event_type, allow_legacy_winners, semantic, known_invalid=False)


_ENGINE_DEPTH_ERROR = "Recursion limit"
MAX_CHECKED_DEPTH = 64
"""How deep validate() looks: far below the engine's limit, far above any structure of the spec."""


def _within_depth(value: object, depth: int) -> object:
    """``value`` with every array or object deeper than ``depth`` levels emptied."""
    if isinstance(value, Mapping):
        return {key: _within_depth(item, depth - 1) for key, item in value.items()} if depth else {}
    if isinstance(value, (list, tuple)):
        return [_within_depth(item, depth - 1) for item in value] if depth else []
    return value


def _judge(
    validator: Any,
    payload: object,
    event_type: str,
    allow_legacy_winners: bool,
    semantic: bool,
    *,
    known_invalid: bool,
) -> list[Violation]:
    if not known_invalid and validator.is_valid(payload):
        return _conventions(payload, event_type) if semantic else []
    found = _explain(validator, payload, event_type, allow_legacy_winners)
    return [*found, *_conventions(payload, event_type)] if semantic else found


def _violations_at_problem(
    text: bytes | bytearray | memoryview | str, problem: str, event_type: str, strict: bool
) -> list[Violation] | None:
    """The violations at the fast path's first problem when the event has no others; else None.

    Most invalid events break one rule, and the engine's error list is the costly part of
    explaining them. So the text is read once more by a decoder built from the same spec model,
    relaxed at the place msgspec named (that field may be missing, or that value anything): if it
    accepts the rest, the only violations are what it finds there, judged by the spec's leaf
    rules. Anything else (a problem elsewhere too, a place msgspec cannot name, an unknown field,
    a wrong structure rather than a wrong leaf) gets the engine's full explanation.
    """
    plan = _relaxed_plan(problem, event_type, strict)
    if plan is None:
        return None
    read, node, missing = plan
    found = read(text)
    if found is None:
        return None
    if missing:
        violations = [
            _missing_violation(event_type, (*parts, missing))
            for parts, owner in found
            if getattr(owner, missing) is UNSET
        ]
    else:
        violations = [_wrong_value(event_type, parts, node, value) for parts, value in found if not node.fits(value)]
    return violations or None


@functools.lru_cache(maxsize=4096)  # a producer's broken events tend to break alike
def _relaxed_plan(
    problem: str, event_type: str, strict: bool
) -> tuple[Callable[[Any], Found | None], Node, str] | None:
    """How to read past ``problem``: the relaxed reader, the spec's node there, and the field that may be missing."""
    located = locate(problem)
    if located is None or located.kind == "unknown_field" or (located.kind == "value" and not located.parts):
        return None
    pattern = tuple("*" if isinstance(part, int) or part == MAP_KEY else part for part in located.parts)
    node = _lookup(event_type, (*pattern, located.name) if located.kind == "missing" else pattern)
    if node is None or (located.kind == "value" and not node.is_leaf):
        return None
    read = relaxed_reader(event_type, strict, Relaxation(pattern, located.name))
    return (read, node, located.name) if read is not None else None


def _wrong_value(event_type: str, parts: tuple[PathPart, ...], node: Node, value: object) -> Violation:
    """The violation of a value the spec does not accept, as the engine's mapping words it."""
    if value is None:
        return _null_violation(event_type, parts)
    if node.enum is not None and isinstance(value, str):
        return _enum_violation(list(parts), node.enum, value)
    return _type_violation(list(parts), value, [], event_type, False)


@functools.lru_cache(maxsize=4096)  # like a missing field, a null depends on nothing but where it is
def _null_violation(event_type: str, parts: tuple[PathPart, ...]) -> Violation:
    return _type_violation(list(parts), None, [], event_type, False)


def _conventions(payload: object, event_type: str) -> list[Violation]:
    from pytest_thrillpots.validation._semantic import semantic_violations

    return semantic_violations(payload, event_type)


_NON_FINITE_TOKEN = re.compile(r"-?(?:NaN|Infinity)")


def json_violation(exc: orjson.JSONDecodeError, *, single_line: bool = False) -> Violation:
    """The ``json`` violation for text that does not parse, with where it stopped.

    ``single_line`` words the position as a column, for NDJSON lines reported by line number.
    """
    token = _NON_FINITE_TOKEN.match(exc.doc, max(exc.pos - 1, 0)) or _NON_FINITE_TOKEN.match(exc.doc, exc.pos)
    # orjson stops after the sign of -Infinity; the token starts at the sign.
    back = exc.pos - token.start() if token is not None else 0
    where = f"at column {exc.pos - back + 1}" if single_line else f"at line {exc.lineno} column {exc.colno - back}"
    if "not valid UTF-8" in exc.msg:
        # orjson says "surrogates not allowed" for any bad byte; the cause people need is the encoding.
        reason = "the text is not valid UTF-8 (JSON text must be UTF-8)"
    elif "depth limit" in exc.msg:
        reason = f"nested more than 1024 levels deep {where} (the parser's limit; no event nests that deep)"
    elif token is not None:
        reason = f"{token[0]} {where} is not a JSON number (JSON has no NaN or Infinity)"
    else:
        reason = f"{exc.msg} {where}"
    return Violation("", "json", "a JSON document", "unparseable text", f"not valid JSON: {reason}")


_VALUE_RULES = frozenset({"type", "null", "enum"})


def _explain(validator: Any, payload: object, event_type: str, allow_legacy_winners: bool) -> list[Violation]:
    found: list[Violation] = []
    seen: set[tuple[str, str]] = set()
    for error in validator.iter_errors(payload):
        for violation in _map_error(error, payload, event_type, allow_legacy_winners):
            # One wrong value is one violation: an enum field holding a number fails both `type` and
            # `enum` in the schema, and the first (the type) says it best.
            key = (violation.path, "value" if violation.rule in _VALUE_RULES else violation.rule)
            if key not in seen:
                seen.add(key)
                found.append(violation)
    return found


_REQUIRED = jsonschema_rs.ValidationErrorKind.Required


def _map_error(error: Any, payload: object, event_type: str, allow_legacy_winners: bool) -> Iterable[Violation]:
    parts: list[PathPart] = list(error.instance_path)
    kind = error.kind
    if isinstance(kind, _REQUIRED):
        # Not error.instance: the engine would convert the whole enclosing object back to Python.
        yield _missing_violation(event_type, (*parts, kind.property))
        return
    # The value from the payload itself, not the engine's copy: cheaper, and the engine shows NaN as null.
    instance = _value_at(payload, parts)
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        for name in kind.unexpected:
            yield _unknown_violation(
                event_type, parts, name, instance.get(name) if isinstance(instance, Mapping) else None
            )
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
        yield _enum_violation(parts, kind.options, instance)
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Type):
        yield _type_violation(parts, instance, list(kind.types), event_type, allow_legacy_winners)
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.FalseSchema):
        # Only the legacy tuple forbids items: a third element and beyond.
        expected = f"legacy winner tuple {LEGACY_WINNER} (2 items)"
        yield Violation(
            _pointer(tuple(parts)),
            "type",
            expected,
            describe_value(instance),
            f"expected {expected}, got an extra item: {describe_value(instance)}",
        )
    else:
        # Only the legacy tuple's own length constraint gets here.
        expected = f"legacy winner tuple {LEGACY_WINNER}"
        yield Violation(
            _pointer(tuple(parts)),
            "type",
            expected,
            describe_value(instance),
            f"expected {expected}, got {describe_value(instance)}",
        )


@functools.lru_cache(maxsize=4096)
def _pointer(parts: tuple[PathPart, ...]) -> str:
    return to_pointer(parts)


@functools.lru_cache(maxsize=4096)
def _lookup(event_type: str, parts: tuple[PathPart, ...]) -> Node | None:
    return lookup(event_type, parts)


@functools.lru_cache(maxsize=4096)  # a field missing from one event tends to be missing from the next
def _missing_violation(event_type: str, member: tuple[PathPart, ...]) -> Violation:
    expected = _expected(event_type, list(member), None)
    return Violation(_pointer(member), "missing", expected, "missing", f"expected {expected}, but the field is missing")


def _unknown_violation(event_type: str, parts: list[PathPart], name: str, value: object) -> Violation:
    owner = _node_at(event_type, parts)
    where = f"{owner.structure} " if owner is not None and owner.structure else ""
    actual = describe_value(value)
    return Violation(
        _pointer((*parts, name)),
        "unknown_field",
        "no such field",
        actual,
        f"unknown field, not listed in the {where}spec (strict mode), got {actual}",
    )


def _enum_violation(parts: list[PathPart], options: Iterable[object], value: object) -> Violation:
    expected = " or ".join(json.dumps(o) for o in options)
    actual = describe_value(value)
    return Violation(_pointer(tuple(parts)), "enum", expected, actual, f"expected {expected}, got {actual}")


def _value_at(payload: object, parts: list[PathPart]) -> object:
    value = payload
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, (list, tuple)) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


def _is_winner_item(event_type: str, parts: list[PathPart]) -> bool:
    return event_type == "RaffleWinEvent" and len(parts) == 2 and parts[0] == "winners" and isinstance(parts[1], int)


def _type_violation(
    parts: list[PathPart], instance: object, types: list[str], event_type: str, allow_legacy_winners: bool
) -> Violation:
    pointer = _pointer(tuple(parts))
    actual = describe_value(instance)
    if not parts:
        return Violation(
            pointer,
            "not_object",
            f"{event_type} object",
            actual,
            f"expected a JSON object (a {event_type}), got {actual}",
        )
    if not allow_legacy_winners and isinstance(instance, (list, tuple)) and _is_winner_item(event_type, parts):
        return Violation(
            pointer,
            "legacy_tuple",
            f"PayoutRecord object {CANONICAL_WINNER}",
            actual,
            f"legacy tuple form {LEGACY_WINNER}; the canonical winner shape is {CANONICAL_WINNER} "
            "(use upgrade_legacy_winners() to convert, or allow_legacy_winners=True to accept it)",
        )
    expected = _expected(event_type, parts, types)
    rule: Rule = "null" if instance is None else "type"
    if rule == "null":
        return Violation(pointer, "null", expected, actual, f"expected {expected}, got null (null is not allowed here)")
    return Violation(pointer, "type", expected, actual, f"expected {expected}, got {actual}")


def _node_at(event_type: str, parts: list[PathPart]) -> Node | None:
    if _is_winner_item(event_type, parts[:2]) and parts[2:3] == [1]:
        # Inside a legacy tuple's amount: the spec's CurrencyValue.
        return _lookup("CurrencyValue", tuple(parts[3:]))
    return _lookup(event_type, tuple(parts))


def _expected(event_type: str, parts: list[PathPart], types: list[str] | None) -> str:
    return _expected_at(event_type, tuple(parts), tuple(types) if types is not None else None)


@functools.lru_cache(maxsize=4096)
def _expected_at(event_type: str, parts: tuple[PathPart, ...], types: tuple[str, ...] | None) -> str:
    node = _node_at(event_type, list(parts))
    if node is not None:
        return node.describe()
    return " or ".join(types) if types else "a value"


def upgrade_legacy_winners(event: Mapping[str, Any]) -> dict[str, Any]:
    """A RaffleWinEvent with legacy tuple winners converted to the canonical PayoutRecord form.

    Each ``[player_id, {"currency": c, "value": v}]`` becomes ``{"player_id", "brand_id",
    "currency", "win_amount"}`` with ``brand_id`` taken from the event's ``brand_id``. Winners
    already in the canonical form are kept as they are. The input is not changed.
    """
    if not isinstance(event, Mapping):
        raise TypeError(f"upgrade_legacy_winners() takes a RaffleWinEvent dict, not {type(event).__name__}")
    winners = event.get("winners")
    if not isinstance(winners, list):
        raise ValueError("upgrade_legacy_winners() needs a RaffleWinEvent with a 'winners' array")
    upgraded: list[Any] = []
    for index, winner in enumerate(winners):
        if isinstance(winner, Mapping):
            upgraded.append(dict(winner))
            continue
        if (
            not isinstance(winner, (list, tuple))
            or len(winner) != 2
            or not isinstance(winner[1], Mapping)
            or not {"currency", "value"} <= set(winner[1])
        ):
            raise ValueError(
                f"winners[{index}] is neither a winner object nor a legacy tuple {LEGACY_WINNER}: {winner!r}"
            )
        if "brand_id" not in event:
            raise ValueError("upgrade_legacy_winners() needs the event's brand_id to fill each winner's brand_id")
        player_id, amount = winner
        upgraded.append(
            {
                "player_id": player_id,
                "brand_id": event["brand_id"],
                "currency": amount["currency"],
                "win_amount": amount["value"],
            }
        )
    return {**event, "winners": upgraded}


__all__ = ["EVENT_TYPES", "RULES", "Rule", "Violation", "describe_value", "upgrade_legacy_winners", "validate"]

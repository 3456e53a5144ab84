"""`validate`: every violation of the spec in a payload, with stable rule codes.

The compiled engine (jsonschema-rs) answers "valid?" first; only an invalid payload pays for
collecting details, which are mapped from the engine's error kinds onto our rule codes and
worded in the spec's terms. JSON text goes through a faster door first (``_fastpath``): a
typed decoder that accepts a valid event without building Python objects, and whose first
complaint lets a single violation be confirmed without the engine's costly error list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jsonschema_rs
import orjson
from msgspec import UNSET

from pytest_thrillpots.coverage import _recorder as _coverage
from pytest_thrillpots.spec import (
    SCHEMA_BASE_URI,
    SCHEMA_SUFFIX,
    Node,
    check_event_type,
    raw_schemas,
)
from pytest_thrillpots.spec._paths import ABSENT, PathPart, value_at
from pytest_thrillpots.validation._fastpath import MAP_KEY, PlaceValues, Relaxation, fast_check, locate, relaxed_reader
from pytest_thrillpots.validation._legacy import allow_legacy
from pytest_thrillpots.validation._violation import (
    Violation,
    cached_lookup,
    enum_violation,
    json_violation,
    legacy_tuple_violation,
    missing_violation,
    type_violation,
    unknown_violation,
    wrong_value,
)


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


@functools.cache
def _validator(event_type: str, strict: bool, allow_legacy_winners: bool) -> Any:
    check_event_type(event_type)
    resources: dict[str, Any] = dict(raw_schemas())
    if allow_legacy_winners:
        resources["RaffleWinEvent"] = allow_legacy(dict(resources["RaffleWinEvent"]))
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
            missing_violation(event_type, (*parts, missing))
            for parts, owner in found
            if getattr(owner, missing) is UNSET
        ]
    else:
        violations = [wrong_value(event_type, parts, node, value) for parts, value in found if not node.fits(value)]
    return violations or None


@functools.lru_cache(maxsize=4096)  # a producer's broken events tend to break alike
def _relaxed_plan(
    problem: str, event_type: str, strict: bool
) -> tuple[Callable[[Any], PlaceValues | None], Node, str] | None:
    """How to read past ``problem``: the relaxed reader, the spec's node there, and the field that may be missing."""
    located = locate(problem)
    if located is None or located.kind == "unknown_field" or (located.kind == "value" and not located.parts):
        return None
    pattern = tuple("*" if isinstance(part, int) or part == MAP_KEY else part for part in located.parts)
    node = cached_lookup(event_type, (*pattern, located.name) if located.kind == "missing" else pattern)
    if node is None or (located.kind == "value" and not node.is_leaf):
        return None
    read = relaxed_reader(event_type, strict, Relaxation(pattern, located.name))
    return (read, node, located.name) if read is not None else None


def _conventions(payload: object, event_type: str) -> list[Violation]:
    from pytest_thrillpots.validation._semantic import semantic_violations

    return semantic_violations(payload, event_type)


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
        yield missing_violation(event_type, (*parts, kind.property))
        return
    # The value from the payload itself, not the engine's copy: cheaper, and the engine shows NaN as null.
    found = value_at(payload, parts)
    instance = None if found is ABSENT else found
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        for name in kind.unexpected:
            yield unknown_violation(
                event_type, parts, name, instance.get(name) if isinstance(instance, Mapping) else None
            )
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
        yield enum_violation(parts, kind.options, instance)
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Type):
        yield type_violation(parts, instance, list(kind.types), event_type, allow_legacy_winners)
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.FalseSchema):
        # Only the legacy tuple forbids items: a third element and beyond.
        yield legacy_tuple_violation(parts, instance, extra_item=True)
    else:
        # Only the legacy tuple's own length constraint gets here.
        yield legacy_tuple_violation(parts, instance, extra_item=False)


__all__ = ["validate"]

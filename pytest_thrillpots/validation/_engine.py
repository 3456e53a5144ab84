"""The schema engine (jsonschema-rs) on the spec's files, and its errors in the validator's words.

The generated collector (``_collector``) answers for everything the spec model describes. The
engine checks what it does not: a RaffleWinEvent winner in the legacy tuple form, a schema form
kept in ``$defs`` that the model leaves out (``legacy_winner_engine``, one winner at a time), and
a whole event type should its schema take a form the generator does not cover (``engine``). The
benchmarks use ``engine`` as the peer.

jsonschema-rs is imported when an engine is first built: a run of ``thrillpots validate`` on
events the collector answers for never pays its import (about a third of the command's start).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from pytest_thrillpots.spec import SCHEMA_BASE_URI, SCHEMA_SUFFIX, check_event_type, raw_schemas
from pytest_thrillpots.spec._paths import ABSENT, PathPart, value_at
from pytest_thrillpots.validation._legacy import allow_legacy
from pytest_thrillpots.validation._violation import (
    Violation,
    enum_violation,
    legacy_tuple_violation,
    missing_violation,
    type_violation,
    unknown_violation,
)


def strict_schema(schema: Any) -> Any:
    """The same schema with unknown fields forbidden on every object it lists fully."""
    if isinstance(schema, dict):
        out = {k: strict_schema(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict_schema(v) for v in schema]
    return schema


@functools.cache
def engine(event_type: str, strict: bool, allow_legacy_winners: bool) -> Any:
    """A compiled Draft 2020-12 validator of ``event_type`` in that mode."""
    check_event_type(event_type)
    resources: dict[str, Any] = dict(raw_schemas())
    if allow_legacy_winners:
        resources["RaffleWinEvent"] = allow_legacy(dict(resources["RaffleWinEvent"]))
    return _compiled(resources[event_type], resources, strict)


def _compiled(schema: Any, resources: dict[str, Any], strict: bool) -> Any:
    """``schema`` compiled by the engine, its ``$ref``s resolved among ``resources`` (strict: closed)."""
    import jsonschema_rs

    if strict:
        schema = strict_schema(schema)
        resources = {name: strict_schema(resource) for name, resource in resources.items()}
    registry = jsonschema_rs.Registry(
        [(f"{SCHEMA_BASE_URI}{name}{SCHEMA_SUFFIX}", schema) for name, schema in resources.items()]
    )
    return jsonschema_rs.Draft202012Validator(schema, registry=registry)


@functools.cache
def legacy_winner_engine(strict: bool) -> Any:
    """A validator of one RaffleWinEvent winner in the legacy tuple form (``$defs/LegacyWinnerTuple``)."""
    tuple_form = {"$ref": f"{SCHEMA_BASE_URI}RaffleWinEvent{SCHEMA_SUFFIX}#/$defs/LegacyWinnerTuple"}
    return _compiled(tuple_form, dict(raw_schemas()), strict)


_VALUE_RULES = frozenset({"type", "null", "enum"})


def explain(
    validator: Any, payload: object, event_type: str, allow_legacy_winners: bool, prefix: tuple[PathPart, ...] = ()
) -> list[Violation]:
    """The engine's errors in our words: one violation per wrong value, in the engine's order.

    ``prefix`` is where ``payload`` is in the event (a legacy winner checked on its own).
    """
    found: list[Violation] = []
    seen: set[tuple[str, str]] = set()
    for error in validator.iter_errors(payload):
        for violation in _map_error(error, payload, event_type, allow_legacy_winners, prefix):
            # One wrong value is one violation: an enum field holding a number fails both `type` and
            # `enum` in the schema, and the first (the type) says it best.
            key = (violation.path, "value" if violation.rule in _VALUE_RULES else violation.rule)
            if key not in seen:
                seen.add(key)
                found.append(violation)
    return found


def _map_error(
    error: Any, payload: object, event_type: str, allow_legacy_winners: bool, prefix: tuple[PathPart, ...]
) -> Iterable[Violation]:
    from jsonschema_rs import ValidationErrorKind  # imported already: an engine made the error

    inside: list[PathPart] = list(error.instance_path)
    parts = [*prefix, *inside]
    kind = error.kind
    if isinstance(kind, ValidationErrorKind.Required):
        # Not error.instance: the engine would convert the whole enclosing object back to Python.
        yield missing_violation(event_type, (*parts, kind.property))
        return
    # The value from the payload itself, not the engine's copy: cheaper, and the engine shows NaN as null.
    found = value_at(payload, inside)
    instance = None if found is ABSENT else found
    if isinstance(kind, ValidationErrorKind.AdditionalProperties):
        for name in kind.unexpected:
            yield unknown_violation(
                event_type, parts, name, instance.get(name) if isinstance(instance, Mapping) else None
            )
    elif isinstance(kind, ValidationErrorKind.Enum):
        yield enum_violation(parts, kind.options, instance)
    elif isinstance(kind, ValidationErrorKind.Type):
        yield type_violation(parts, instance, list(kind.types), event_type, allow_legacy_winners)
    elif isinstance(kind, ValidationErrorKind.FalseSchema):
        # Only the legacy tuple forbids items: a third element and beyond.
        yield legacy_tuple_violation(parts, instance, extra_item=True)
    else:
        # Only the legacy tuple's own length constraint gets here.
        yield legacy_tuple_violation(parts, instance, extra_item=False)

"""The schema engine (jsonschema-rs) on the spec's files, in each mode ``validate()`` offers.

The generated collector (``_collector``) answers for everything the spec model describes; the
engine stays for what it does not: the legacy winner tuple (``allow_legacy_winners=True``), a
schema form kept in ``$defs`` that the model leaves out. The benchmarks use it as the peer.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs

from pytest_thrillpots.spec import SCHEMA_BASE_URI, SCHEMA_SUFFIX, check_event_type, raw_schemas
from pytest_thrillpots.validation._legacy import allow_legacy


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
    if strict:
        resources = {name: strict_schema(schema) for name, schema in resources.items()}
    registry = jsonschema_rs.Registry(
        [(f"{SCHEMA_BASE_URI}{name}{SCHEMA_SUFFIX}", schema) for name, schema in resources.items()]
    )
    return jsonschema_rs.Draft202012Validator(resources[event_type], registry=registry)

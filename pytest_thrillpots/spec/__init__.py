"""The one source: the JSON Schemas, the field model read from them, identification and path codecs.

Every other part of the package (validation, factories, pact, export, evolution) derives what it
knows of a field from here; this package imports nothing of the package but ``_errors``.
"""

from pytest_thrillpots.spec._identify import Identification, identification, identify
from pytest_thrillpots.spec._model import (
    Kind,
    Node,
    field_paths,
    first_unknown_part,
    iter_fields,
    lookup,
    resolve_field_path,
    spec,
)
from pytest_thrillpots.spec._schemas import (
    EVENT_TYPES,
    SCHEMA_BASE_URI,
    SCHEMA_SUFFIX,
    STRUCTURE_TYPES,
    check_event_type,
    raw_schemas,
    schema_dir,
)

__all__ = [
    "EVENT_TYPES",
    "SCHEMA_BASE_URI",
    "SCHEMA_SUFFIX",
    "STRUCTURE_TYPES",
    "Identification",
    "Kind",
    "Node",
    "check_event_type",
    "field_paths",
    "first_unknown_part",
    "identification",
    "identify",
    "iter_fields",
    "lookup",
    "raw_schemas",
    "resolve_field_path",
    "schema_dir",
    "spec",
]

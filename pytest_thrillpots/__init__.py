"""pytest-thrillpots: contract testing for the ThrillPots event stream.

The public API, in ``__all__``. Names are imported on first use (PEP 562), because pytest
imports this package in every repo that installs the plugin, and a repo that does not use it
must not pay for Faker, deepdiff or pact at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "EVENT_TYPES": "._spec",
    "STRUCTURE_TYPES": "._spec",
    "identify": "._spec",
    "RULES": "._validate",
    "Violation": "._validate",
    "validate": "._validate",
    "upgrade_legacy_winners": "._validate",
    "SpecMatcher": "._assertions",
    "assert_events_equal": "._assertions",
    "assert_valid": "._assertions",
    "matches_spec": "._assertions",
    "ThrillpotsError": "._errors",
    "IdentifyError": "._errors",
    "UnknownEventTypeError": "._errors",
    "UnknownFieldError": "._errors",
    "ContractSourceError": "._errors",
    "Change": "._diff",
    "DiffReport": "._diff",
    "diff_contracts": "._diff",
    "asyncapi_document": "._export",
    "asyncapi_yaml": "._export",
    "export_schemas": "._export",
    "PactDefinitionError": "._errors",
    "PactVerificationError": "._errors",
    "ConsumerPact": ".pact",
    "PactBroker": ".pact",
    "PublishResults": ".pact",
    "VerificationResult": ".pact",
    "verify_pacts": ".pact",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from ._assertions import SpecMatcher, assert_events_equal, assert_valid, matches_spec
    from ._diff import Change, DiffReport, diff_contracts
    from ._errors import (
        ContractSourceError,
        IdentifyError,
        PactDefinitionError,
        PactVerificationError,
        ThrillpotsError,
        UnknownEventTypeError,
        UnknownFieldError,
    )
    from ._export import asyncapi_document, asyncapi_yaml, export_schemas
    from ._spec import EVENT_TYPES, STRUCTURE_TYPES, identify
    from ._validate import RULES, Violation, upgrade_legacy_winners, validate
    from .pact import ConsumerPact, PactBroker, PublishResults, VerificationResult, verify_pacts


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'pytest_thrillpots' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

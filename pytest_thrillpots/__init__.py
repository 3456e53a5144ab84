"""pytest-thrillpots: contract testing for the ThrillPots event stream.

The public API, in ``__all__``. Names are imported on first use (PEP 562), because pytest
imports this package in every repo that installs the plugin, and a repo that does not use it
must not pay for Faker, deepdiff or pact at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_thrillpots._lazy import lazy_exports
from pytest_thrillpots._version import __version__

_EXPORTS: dict[str, str] = {
    "EVENT_TYPES": ".spec",
    "STRUCTURE_TYPES": ".spec",
    "identify": ".spec",
    "RULES": ".validation._violation",
    "Violation": ".validation._violation",
    "validate": ".validation._validate",
    "upgrade_legacy_winners": ".validation._legacy",
    "SpecMatcher": "._assertions",
    "assert_events_equal": "._assertions",
    "assert_valid": "._assertions",
    "matches_spec": "._assertions",
    "ThrillpotsError": "._errors",
    "IdentifyError": "._errors",
    "UnknownEventTypeError": "._errors",
    "UnknownFieldError": "._errors",
    "ContractSourceError": "._errors",
    "ContractChange": ".evolution._change",
    "DiffReport": ".evolution._diff",
    "diff_contracts": ".evolution._diff",
    "asyncapi_document": ".export._asyncapi",
    "asyncapi_yaml": ".export._asyncapi",
    "export_schemas": ".export._asyncapi",
    "PactDefinitionError": "._errors",
    "PactVerificationError": "._errors",
    "ConsumerPact": ".pact",
    "PactBroker": ".pact",
    "PublishResults": ".pact",
    "VerificationResult": ".pact",
    "verify_pacts": ".pact",
    "SEMANTIC_RULES": ".validation._semantic",
    "UnknownTraitError": "._errors",
    "InvalidEventError": "._errors",
    "FACTORIES": ".factories",
    "factory_for": ".factories",
    "Factory": ".factories",
    "BoundFactory": ".factories",
    "Trait": ".factories",
    "ThrillPotsProvider": ".factories",
    "JackpotUpdateEventFactory": ".factories",
    "WinEventFactory": ".factories",
    "RaffleWinEventFactory": ".factories",
    "OptInEventFactory": ".factories",
    "CommunityPayoutErrorEventFactory": ".factories",
    "RafflePayoutErrorEventFactory": ".factories",
    "PotTickerFactory": ".factories",
    "CurrencyValueFactory": ".factories",
    "PayoutRecordFactory": ".factories",
    "CurrencyMultipliersFactory": ".factories",
    "mutations": ".factories",
    "Mutation": ".factories",
    "ExpectedViolation": ".factories",
    "ThrillpotsHub": ".factories._hub",
    "ThrillpotsMarker": ".plugin._marker",
}

__all__ = [
    "EVENT_TYPES",
    "FACTORIES",
    "RULES",
    "SEMANTIC_RULES",
    "STRUCTURE_TYPES",
    "BoundFactory",
    "CommunityPayoutErrorEventFactory",
    "ConsumerPact",
    "ContractChange",
    "ContractSourceError",
    "CurrencyMultipliersFactory",
    "CurrencyValueFactory",
    "DiffReport",
    "ExpectedViolation",
    "Factory",
    "IdentifyError",
    "InvalidEventError",
    "JackpotUpdateEventFactory",
    "Mutation",
    "OptInEventFactory",
    "PactBroker",
    "PactDefinitionError",
    "PactVerificationError",
    "PayoutRecordFactory",
    "PotTickerFactory",
    "PublishResults",
    "RafflePayoutErrorEventFactory",
    "RaffleWinEventFactory",
    "SpecMatcher",
    "ThrillPotsProvider",
    "ThrillpotsError",
    "ThrillpotsHub",
    "ThrillpotsMarker",
    "Trait",
    "UnknownEventTypeError",
    "UnknownFieldError",
    "UnknownTraitError",
    "VerificationResult",
    "Violation",
    "WinEventFactory",
    "__version__",
    "assert_events_equal",
    "assert_valid",
    "asyncapi_document",
    "asyncapi_yaml",
    "diff_contracts",
    "export_schemas",
    "factory_for",
    "identify",
    "matches_spec",
    "mutations",
    "upgrade_legacy_winners",
    "validate",
    "verify_pacts",
]

if TYPE_CHECKING:
    from pytest_thrillpots._assertions import SpecMatcher, assert_events_equal, assert_valid, matches_spec
    from pytest_thrillpots._errors import (
        ContractSourceError,
        IdentifyError,
        InvalidEventError,
        PactDefinitionError,
        PactVerificationError,
        ThrillpotsError,
        UnknownEventTypeError,
        UnknownFieldError,
        UnknownTraitError,
    )
    from pytest_thrillpots.evolution._change import ContractChange
    from pytest_thrillpots.evolution._diff import DiffReport, diff_contracts
    from pytest_thrillpots.export._asyncapi import asyncapi_document, asyncapi_yaml, export_schemas
    from pytest_thrillpots.factories import (
        FACTORIES,
        BoundFactory,
        CommunityPayoutErrorEventFactory,
        CurrencyMultipliersFactory,
        CurrencyValueFactory,
        ExpectedViolation,
        Factory,
        JackpotUpdateEventFactory,
        Mutation,
        OptInEventFactory,
        PayoutRecordFactory,
        PotTickerFactory,
        RafflePayoutErrorEventFactory,
        RaffleWinEventFactory,
        ThrillPotsProvider,
        Trait,
        WinEventFactory,
        factory_for,
        mutations,
    )
    from pytest_thrillpots.factories._hub import ThrillpotsHub
    from pytest_thrillpots.pact import ConsumerPact, PactBroker, PublishResults, VerificationResult, verify_pacts
    from pytest_thrillpots.plugin._marker import ThrillpotsMarker
    from pytest_thrillpots.spec import EVENT_TYPES, STRUCTURE_TYPES, identify
    from pytest_thrillpots.validation._legacy import upgrade_legacy_winners
    from pytest_thrillpots.validation._semantic import SEMANTIC_RULES
    from pytest_thrillpots.validation._validate import validate
    from pytest_thrillpots.validation._violation import RULES, Violation


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

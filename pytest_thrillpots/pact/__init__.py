"""Pact message contracts for the ThrillPots event stream.

Consumer side: the ``thrillpots_pact`` fixture (a ``ConsumerPact``) declares the messages a
consumer reads, with matchers derived from the spec and examples from seeded factories.
Provider side: ``verify_pacts`` runs the producer's real code against every pact at once.
pact-python is imported only when a pact is built or verified.
"""

from __future__ import annotations

from pytest_thrillpots._errors import PactDefinitionError, PactVerificationError
from pytest_thrillpots.pact._consumer import DEFAULT_PROVIDER, ConsumerPact, PactRecorder
from pytest_thrillpots.pact._interactions import Interaction, derive
from pytest_thrillpots.pact._verify import (
    InteractionResult,
    PactBroker,
    PublishResults,
    VerificationResult,
    verify_pacts,
)

__all__ = [
    "DEFAULT_PROVIDER",
    "ConsumerPact",
    "Interaction",
    "InteractionResult",
    "PactBroker",
    "PactDefinitionError",
    "PactRecorder",
    "PactVerificationError",
    "PublishResults",
    "VerificationResult",
    "derive",
    "verify_pacts",
]

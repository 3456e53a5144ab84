"""Pact message contracts for the ThrillPots event stream.

Consumer side: the ``thrillpots_pact`` fixture (a ``ConsumerPact``) declares the messages a
consumer reads, with matchers derived from the spec and examples from seeded factories.
Provider side: ``verify_pacts`` runs the producer's real code against every pact at once.
Names are imported on first use, and pact-python only when a pact is built or verified: the
plugin hands the session's pact directory down (``_session``) without importing the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_thrillpots._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "DEFAULT_PROVIDER": "._consumer",
    "ConsumerPact": "._consumer",
    "PactRecorder": "._consumer",
    "Interaction": "._interactions",
    "derive": "._interactions",
    "PactBroker": "._broker",
    "PublishResults": "._broker",
    "InteractionResult": "._mismatch",
    "VerificationResult": "._mismatch",
    "verify_pacts": "._verify",
    "Matcher": "._reading",
    "MatchingRule": "._reading",
    "MessageInteraction": "._reading",
    "PactDocument": "._reading",
    "ProviderState": "._reading",
    "message_interactions": "._reading",
    "read_pact": "._reading",
    "PactDefinitionError": "pytest_thrillpots._errors",
    "PactFileError": "pytest_thrillpots._errors",
    "PactVerificationError": "pytest_thrillpots._errors",
}

__all__ = [
    "DEFAULT_PROVIDER",
    "ConsumerPact",
    "Interaction",
    "InteractionResult",
    "Matcher",
    "MatchingRule",
    "MessageInteraction",
    "PactBroker",
    "PactDefinitionError",
    "PactDocument",
    "PactFileError",
    "PactRecorder",
    "PactVerificationError",
    "ProviderState",
    "PublishResults",
    "VerificationResult",
    "derive",
    "message_interactions",
    "read_pact",
    "verify_pacts",
]

if TYPE_CHECKING:
    from pytest_thrillpots._errors import PactDefinitionError, PactFileError, PactVerificationError
    from pytest_thrillpots.pact._broker import PactBroker, PublishResults
    from pytest_thrillpots.pact._consumer import DEFAULT_PROVIDER, ConsumerPact, PactRecorder
    from pytest_thrillpots.pact._interactions import Interaction, derive
    from pytest_thrillpots.pact._mismatch import InteractionResult, VerificationResult
    from pytest_thrillpots.pact._reading import (
        Matcher,
        MatchingRule,
        MessageInteraction,
        PactDocument,
        ProviderState,
        message_interactions,
        read_pact,
    )
    from pytest_thrillpots.pact._verify import verify_pacts

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

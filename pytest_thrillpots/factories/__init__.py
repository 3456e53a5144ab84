"""Factories of realistic ThrillPots events, one per event and per structure.

``WinEventFactory.build(**overrides)`` returns a plain JSON-ready dict that passes
``validate(..., strict=True, semantic=True)``. The field set and types come from the spec; the
values from the ThrillPots Faker provider, through pools drawn once per seed.
"""

from __future__ import annotations

from pytest_thrillpots.factories._factories import (
    FACTORIES,
    BoundFactory,
    CommunityPayoutErrorEventFactory,
    CurrencyMultipliersFactory,
    CurrencyValueFactory,
    Factory,
    JackpotUpdateEventFactory,
    OptInEventFactory,
    PayoutRecordFactory,
    PotTickerFactory,
    RafflePayoutErrorEventFactory,
    RaffleWinEventFactory,
    WinEventFactory,
    factory_for,
)
from pytest_thrillpots.factories._mutations import ExpectedViolation, Mutation, mutations
from pytest_thrillpots.factories._provider import ThrillPotsProvider
from pytest_thrillpots.factories._traits import Trait

__all__ = [
    "FACTORIES",
    "BoundFactory",
    "CommunityPayoutErrorEventFactory",
    "CurrencyMultipliersFactory",
    "CurrencyValueFactory",
    "ExpectedViolation",
    "Factory",
    "JackpotUpdateEventFactory",
    "Mutation",
    "OptInEventFactory",
    "PayoutRecordFactory",
    "PotTickerFactory",
    "RafflePayoutErrorEventFactory",
    "RaffleWinEventFactory",
    "ThrillPotsProvider",
    "Trait",
    "WinEventFactory",
    "factory_for",
    "mutations",
]

"""The producer's domain: jackpots with pots, wins, raffle draws, opt-ins and failed payouts.

Money is held in minor units (cents) and times as aware datetimes, as the producer's own
systems keep them; the event code converts them to the wire format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class JackpotKind(Enum):
    JACKPOT = "Jackpot"
    RAFFLE = "Raffle"


@dataclass(frozen=True)
class Money:
    cents: int
    currency: str

    @property
    def amount(self) -> float:
        return self.cents / 100


@dataclass(frozen=True)
class Pot:
    pot_id: str
    progressive: bool
    value: Money


@dataclass(frozen=True)
class Jackpot:
    jackpot_id: str
    name: str
    kind: JackpotKind
    currency: str
    pots: tuple[Pot, ...]
    brands: tuple[str, ...]
    sources: tuple[str, ...]
    games: tuple[str, ...]
    running: bool
    starts_at: datetime | None
    ends_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class Player:
    player_id: str
    external_id: str
    brand_id: str


@dataclass(frozen=True)
class Payout:
    player: Player
    amount: Money


@dataclass(frozen=True)
class Brand:
    brand_id: str
    base_currency: str
    exchange_rates: dict[str, float]
    """How many units of each currency one unit of the base currency buys."""


@dataclass(frozen=True)
class Win:
    instance_id: str
    jackpot: Jackpot
    pot: Pot
    winner: Player
    source_id: str
    brand: Brand
    community: tuple[Payout, ...]
    withheld: bool
    rng_seed: int
    won_at: datetime
    campaign: dict[str, str] | None = None


@dataclass(frozen=True)
class RaffleDraw:
    instance_id: str
    jackpot: Jackpot
    brand: Brand
    winners: tuple[Payout, ...]
    withheld: bool
    drawn_at: datetime


@dataclass(frozen=True)
class OptIn:
    instance_id: str
    player: Player
    preferred_stake: Money
    contributions: tuple[Money, ...] = field(default=())
    active: bool = True
    updated_at: datetime | None = None


@dataclass(frozen=True)
class FailedCommunityPayouts:
    instance_id: str
    game_round_id: str
    credit_transaction_id: str
    payouts: tuple[Payout, ...]


@dataclass(frozen=True)
class FailedRafflePayouts:
    instance_id: str
    payouts: tuple[Payout, ...]

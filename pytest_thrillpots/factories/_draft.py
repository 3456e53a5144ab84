"""The state of one event being built, and the settings (traits, overrides) that steer it."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from pytest_thrillpots.factories._provider import Jackpot, Player, Pools
from pytest_thrillpots.spec._paths import PathPart

Override = tuple[tuple[PathPart, ...], Any]
Finisher = Callable[[dict[str, Any]], None]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Settings:
    """What traits and overrides ask of an event, merged in order (later wins)."""

    counts: Mapping[str, int] = field(default_factory=dict)
    """Array sizes by top-level field name."""
    nulls: Mapping[str, bool] = field(default_factory=dict)
    """Nullable top-level fields forced to null (True) or to a value (False)."""
    values: tuple[Override, ...] = ()
    """Field values set after generation, in order (traits first, then the caller's overrides)."""
    finishers: tuple[Finisher, ...] = ()
    """Last edits after every value is set (the legacy winner tuples)."""
    flags: frozenset[str] = frozenset()
    """States an event's first choices follow (``ended``)."""

    def merged(self, other: Settings) -> Settings:
        if not (other.counts or other.nulls or other.values or other.finishers or other.flags):
            return self
        return Settings(
            counts={**self.counts, **other.counts},
            nulls={**self.nulls, **other.nulls},
            values=self.values + other.values,
            finishers=self.finishers + other.finishers,
            flags=self.flags | other.flags,
        )


NO_SETTINGS = Settings()


class Draft:
    """One event in the making: the random source, the seed's pools, and the choices so far.

    Fields that must agree (a jackpot's name and pots, the brand of the event and of its
    currency multipliers, timestamps in order) are chosen once here and read by each field's
    producer.
    """

    __slots__ = (
        "base_currency",
        "bound",
        "brand",
        "contributions",
        "currency",
        "end",
        "index",
        "item_brand",
        "jackpot",
        "main_player",
        "now",
        "payout_brand",
        "payout_range",
        "player",
        "pools",
        "preferred",
        "rng",
        "settings",
        "start",
        "wide",
        "winner_brands",
    )

    def __init__(
        self, rng: random.Random, pools: Pools, settings: Settings, bound: Mapping[str, Any], wide: bool
    ) -> None:
        self.rng = rng
        self.pools = pools
        self.settings = settings
        self.bound = bound
        self.wide = wide
        """Hypothesis mode: arrays may be empty and nullable fields null more often."""
        self.jackpot: Jackpot = pools.jackpots[0]
        self.brand = ""
        self.currency = ""
        self.base_currency = ""
        self.now = 0
        self.start: int | None = None
        self.end: int | None = None
        self.main_player: Player = pools.players[0]
        self.player: Player = pools.players[0]
        self.payout_brand: str | None = None
        self.payout_range = (1.0, 250.0)
        self.winner_brands: tuple[str, ...] = ()
        self.index = 0
        self.item_brand = ""
        self.preferred = 0.0
        self.contributions = 0

    def chance(self, rate: float) -> bool:
        return self.rng.random() < rate

    def null(self, name: str, rate: float) -> bool:
        """Whether the nullable top-level field ``name`` is null in this event."""
        if name in self.bound:
            return bool(self.bound[name] is None)
        forced = self.settings.nulls.get(name)
        if forced is not None:
            return forced
        return self.rng.random() < (0.5 if self.wide else rate)

    def count(self, name: str, low: int, high: int) -> int:
        """The size of the top-level array ``name``: forced by a trait, else between low and high."""
        forced = self.settings.counts.get(name)
        if forced is not None:
            return forced
        if self.wide:
            low, high = 0, high + 2
        return low + int(self.rng.random() * (high - low + 1))

"""Realistic values field by field, and the choices each event makes first so its fields agree.

Which fields an event has, and their types, come from the spec (``_engine.plan``); this module
only says how to make a realistic value for a field the spec names. A field the spec gains
later still gets a value of the right type from ``_engine``'s fallback, and a test fails until
it has a producer here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pytest_thrillpots.factories._draft import Draft
from pytest_thrillpots.factories._provider import (
    JACKPOT_STATUSES,
    PROGRESSIVE_TIERS,
    REFERENCE_RATES,
    game_slug,
    gameround_id,
    money,
    multipliers,
    pick,
    pot_id,
    pot_value,
    source_id,
    tx_credit_id,
)
from pytest_thrillpots.spec import spec

Maker = Callable[[Draft], Any]

_JACKPOT_TYPES = spec("JackpotUpdateEvent").fields["jackpot_type"].enum
assert _JACKPOT_TYPES is not None and len(_JACKPOT_TYPES) == 2, "the factories expect two jackpot types"
JACKPOT_TYPE, RAFFLE_TYPE = _JACKPOT_TYPES
"""The spec's two jackpot types; a test proves the provider's jackpot kinds use these names."""

HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS
EVENT_WINDOW_MS = 30 * DAY_MS
"""Events of one seed fall within this window after the seed's epoch."""
CONTRIBUTION_STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0)


def _now(ctx: Draft, field: str) -> int:
    # Drawn even when overridden: the override then changes that field alone, not the draws after it.
    drawn = ctx.pools.epoch_ms + int(ctx.rng.random() * EVENT_WINDOW_MS)
    bound = ctx.bound.get(field)
    return bound if bound is not None else drawn


def _begin_jackpot(ctx: Draft, raffle: bool = False) -> None:
    """Choices every jackpot-related event and structure shares: jackpot, brand, currencies, time."""
    rng, pools, bound = ctx.rng, ctx.pools, ctx.bound
    jackpot = ctx.jackpot = pick(rng, pools.raffles if raffle else pools.jackpots)
    brand = ctx.brand = bound.get("brand_id") or bound.get("player_brand_id") or pick(rng, jackpot.brands)
    ctx.currency = bound.get("jackpot_currency") or bound.get("currency") or jackpot.currency
    ctx.base_currency = (
        bound.get("currency_multipliers.base_currency") or pools.brand_currency.get(brand) or ctx.currency
    )
    ctx.winner_brands = jackpot.brands
    players = pools.players_by_brand.get(brand) or pools.players
    ctx.main_player = pick(rng, players)
    ctx.now = _now(ctx, "timestamp")


def _begin_win(ctx: Draft) -> None:
    _begin_jackpot(ctx)
    ctx.payout_range = (1.0, 250.0)


def _begin_raffle_win(ctx: Draft) -> None:
    _begin_jackpot(ctx, raffle=True)
    # A raffle draw pays the players of the event's brand.
    ctx.payout_brand = ctx.brand
    ctx.payout_range = (10.0, 1000.0)


def _begin_jackpot_update(ctx: Draft) -> None:
    bound_type = ctx.bound.get("jackpot_type")
    raffle = bound_type == RAFFLE_TYPE if bound_type is not None else ctx.chance(0.2)
    _begin_jackpot(ctx, raffle=raffle)
    now = ctx.now = _now(ctx, "last_updated")
    if ctx.null("timestamp_start", 0.1):
        ctx.start = None
    else:
        bound = ctx.bound.get("timestamp_start")
        drawn = now - HOUR_MS - int(ctx.rng.random() * 30 * DAY_MS)
        ctx.start = bound if bound is not None else drawn
    if ctx.null("timestamp_end", 0.25):
        ctx.end = None
    else:
        bound = ctx.bound.get("timestamp_end")
        start = ctx.start if ctx.start is not None else now
        if bound is not None:
            ctx.end = bound
        elif ctx.start is not None and ("ended" in ctx.settings.flags or ctx.chance(0.15)):
            # Ended: after the start, before the last update.
            ctx.end = start + 1 + int(ctx.rng.random() * (now - start))
        else:
            ctx.end = start + DAY_MS + int(ctx.rng.random() * 60 * DAY_MS)


def _listed(ctx: Draft, items: tuple[str, ...]) -> list[str]:
    """A jackpot's list (its brands, sources, games); in Hypothesis mode a prefix, down to empty."""
    if ctx.wide:
        return list(items[: int(ctx.rng.random() * (len(items) + 1))])
    return list(items)


def _status(ctx: Draft) -> str:
    active, pending, closed = JACKPOT_STATUSES
    if ctx.start is None:
        return pending
    if ctx.end is not None and ctx.end <= ctx.now:
        return closed
    return active


def _begin_community_error(ctx: Draft) -> None:
    _begin_jackpot(ctx)
    ctx.payout_range = (1.0, 250.0)


def _begin_raffle_error(ctx: Draft) -> None:
    _begin_jackpot(ctx, raffle=True)
    ctx.payout_range = (10.0, 1000.0)


def _begin_payout_item(ctx: Draft) -> None:
    rng, pools = ctx.rng, ctx.pools
    brand = ctx.payout_brand or pick(rng, ctx.winner_brands or pools.brands)
    ctx.player = pick(rng, pools.players_by_brand.get(brand) or pools.players)
    ctx.item_brand = brand if ctx.payout_brand else ctx.player.brand


def _begin_pot(ctx: Draft) -> None:
    _begin_jackpot(ctx)
    ctx.index = int(ctx.rng.random() * len(ctx.jackpot.tiers))


def _pot_tier(ctx: Draft) -> str:
    tiers = ctx.jackpot.tiers
    return tiers[ctx.index] if ctx.index < len(tiers) else tiers[-1]


def _pot_id(ctx: Draft) -> str:
    ids = ctx.jackpot.pot_ids
    # A pot beyond the jackpot's own (a count setting asked for more) gets a new id, unique by index.
    return ids[ctx.index] if ctx.index < len(ids) else f"{pot_id(ctx.rng, _pot_tier(ctx))}{ctx.index}"


def _multipliers(ctx: Draft) -> dict[str, float]:
    base = ctx.base_currency
    found = ctx.pools.multipliers.get(base)
    if found is not None:
        return dict(found)
    # A base currency outside the listed five: the listed ones against it, plus itself at 1.0.
    return {**multipliers(base, REFERENCE_RATES), base: 1.0}


def _begin_opt_in(ctx: Draft) -> None:
    rng, pools = ctx.rng, ctx.pools
    ctx.jackpot = pick(rng, pools.raffles) if ctx.chance(0.3) else pick(rng, pools.jackpots)
    brand = ctx.bound.get("player_brand_id")
    ctx.main_player = pick(rng, pools.players_by_brand.get(brand, pools.players) if brand else pools.players)
    ctx.brand = brand or ctx.main_player.brand
    ctx.now = _now(ctx, "last_updated")
    # contribution_value is what contribution_count contributions of the preferred value add up to.
    ctx.preferred = pick(rng, CONTRIBUTION_STEPS)
    ctx.contributions = int(rng.random() * 400)


BEGIN: Mapping[str, Callable[[Draft], None]] = {
    "JackpotUpdateEvent": _begin_jackpot_update,
    "WinEvent": _begin_win,
    "RaffleWinEvent": _begin_raffle_win,
    "OptInEvent": _begin_opt_in,
    "CommunityPayoutErrorEvent": _begin_community_error,
    "RafflePayoutErrorEvent": _begin_raffle_error,
    # A structure built on its own makes the event-level choices first.
    "PotTicker": _begin_pot,
    "CurrencyValue": _begin_jackpot,
    "PayoutRecord": _begin_win,
    "CurrencyMultipliers": _begin_jackpot,
}
"""Event-level choices, made before any field."""

BEGIN_ITEM: Mapping[str, Callable[[Draft], None]] = {
    "PayoutRecord": _begin_payout_item,
}
"""Choices made before each item of a structure (each winner is a player of some brand)."""

ARRAY_SIZES: Mapping[str, Mapping[str, tuple[int, int]]] = {
    "WinEvent": {"community_winners": (0, 4)},
    "RaffleWinEvent": {"winners": (1, 3)},
    "CommunityPayoutErrorEvent": {"failed_payouts": (1, 3)},
    "RafflePayoutErrorEvent": {"failed_payouts": (1, 3)},
}
"""Default sizes of arrays of structures (a trait or a count setting overrides them)."""

PRODUCERS: Mapping[str, Mapping[str, Maker]] = {
    "JackpotUpdateEvent": {
        "id": lambda ctx: ctx.jackpot.instance_id,
        "jackpot_type": lambda ctx: ctx.jackpot.jackpot_type,
        "currency": lambda ctx: ctx.currency,
        # pots: sized by the jackpot's tiers, see POT_COUNT below
        "allowed_brands": lambda ctx: _listed(ctx, ctx.jackpot.brands),
        "allowed_sources": lambda ctx: _listed(ctx, ctx.jackpot.sources),
        "status": _status,
        "timestamp_start": lambda ctx: ctx.start,
        "timestamp_end": lambda ctx: ctx.end,
        "last_updated": lambda ctx: ctx.now,
    },
    "WinEvent": {
        "brand_id": lambda ctx: ctx.brand,
        "player_id": lambda ctx: ctx.main_player.id,
        "source_id": lambda ctx: pick(ctx.rng, ctx.jackpot.sources),
        "instance_id": lambda ctx: ctx.jackpot.instance_id,
        "jackpot_name": lambda ctx: ctx.jackpot.name,
        "jackpot_currency": lambda ctx: ctx.currency,
        "timestamp": lambda ctx: ctx.now,
        "win_pot_id": lambda ctx: pick(ctx.rng, ctx.jackpot.pot_ids),
        "win_withheld": lambda ctx: ctx.chance(0.05),
        "games_in_jackpot": lambda ctx: _listed(ctx, ctx.jackpot.games),
        "seed": lambda ctx: int(ctx.rng.random() * 4_294_967_296),
        "metadata": lambda ctx: None if ctx.null("metadata", 0.5) else dict(pick(ctx.rng, ctx.pools.metadata)),
    },
    "RaffleWinEvent": {
        "brand_id": lambda ctx: ctx.brand,
        "instance_id": lambda ctx: ctx.jackpot.instance_id,
        "jackpot_name": lambda ctx: ctx.jackpot.name,
        "jackpot_currency": lambda ctx: ctx.currency,
        "timestamp": lambda ctx: ctx.now,
        "win_withheld": lambda ctx: ctx.chance(0.05),
    },
    "OptInEvent": {
        "instance_id": lambda ctx: ctx.jackpot.instance_id,
        "player_id": lambda ctx: ctx.main_player.id,
        "ext_player_id": lambda ctx: ctx.main_player.ext_id,
        "player_brand_id": lambda ctx: ctx.brand,
        "preferred_contribution_value": lambda ctx: ctx.preferred,
        "contribution_count": lambda ctx: ctx.contributions,
        "contribution_value": lambda ctx: round(ctx.contributions * ctx.preferred, 2),
        "opted_in": lambda ctx: not ctx.chance(0.15),
        "last_updated": lambda ctx: ctx.now,
    },
    "CommunityPayoutErrorEvent": {
        "instance_id": lambda ctx: ctx.jackpot.instance_id,
        "gameround_id": lambda ctx: gameround_id(ctx.rng),
        "tx_credit_id": lambda ctx: tx_credit_id(ctx.rng),
    },
    "RafflePayoutErrorEvent": {
        "instance_id": lambda ctx: ctx.jackpot.instance_id,
    },
    "PotTicker": {
        "id": _pot_id,
        "is_progressive": lambda ctx: ctx.jackpot.jackpot_type == JACKPOT_TYPE and _pot_tier(ctx) in PROGRESSIVE_TIERS,
        "current_value": lambda ctx: pot_value(ctx.rng, _pot_tier(ctx)),
    },
    "CurrencyValue": {
        "currency": lambda ctx: pick(ctx.rng, ctx.pools.currencies),
        "value": lambda ctx: money(ctx.rng, *ctx.payout_range),
    },
    "PayoutRecord": {
        "player_id": lambda ctx: ctx.player.id,
        "brand_id": lambda ctx: ctx.item_brand,
        "currency": lambda ctx: ctx.player.currency,
        "win_amount": lambda ctx: money(ctx.rng, *ctx.payout_range),
    },
    "CurrencyMultipliers": {
        "brand_id": lambda ctx: ctx.brand,
        "base_currency": lambda ctx: ctx.base_currency,
        "multipliers": _multipliers,
    },
}
"""How to make each field the spec names, by structure."""

ELEMENTS: Mapping[str, Mapping[str, Maker]] = {
    "JackpotUpdateEvent": {
        "allowed_brands": lambda ctx: pick(ctx.rng, ctx.pools.brands),
        "allowed_sources": lambda ctx: source_id(ctx.rng),
    },
    "WinEvent": {"games_in_jackpot": lambda ctx: game_slug(ctx.rng)},
}
"""Items of arrays of strings, for an override that reaches past an array's end."""

BINDINGS: Mapping[str, frozenset[str]] = {
    "JackpotUpdateEvent": frozenset({"jackpot_type", "currency", "last_updated", "timestamp_start", "timestamp_end"}),
    "WinEvent": frozenset({"brand_id", "jackpot_currency", "timestamp", "currency_multipliers.base_currency"}),
    "RaffleWinEvent": frozenset({"brand_id", "jackpot_currency", "timestamp", "currency_multipliers.base_currency"}),
    "OptInEvent": frozenset({"player_brand_id", "last_updated"}),
}
"""Overridden fields the event's other fields follow: ``brand_id="b-7"`` also sets
``currency_multipliers.brand_id``, a raffle's winners' brand, and so on."""


def pot_count(ctx: Draft) -> int:
    size = len(ctx.jackpot.pot_ids)
    return ctx.count("pots", size, size)

"""The producer's event code: each domain object becomes its ThrillPots event (a JSON dict).

This is the code the Pact verification exercises: a change here that breaks what a consumer
reads fails ``tests/test_pact_verification.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .domain import (
    Brand,
    FailedCommunityPayouts,
    FailedRafflePayouts,
    Jackpot,
    OptIn,
    Payout,
    RaffleDraw,
    Win,
)

LISTED_CURRENCIES = ("EUR", "GBP", "ZAR", "NZD", "SEK")


def epoch_millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def payout_record(payout: Payout) -> dict[str, Any]:
    return {
        "player_id": payout.player.player_id,
        "brand_id": payout.player.brand_id,
        "currency": payout.amount.currency,
        "win_amount": payout.amount.amount,
    }


def currency_multipliers(brand: Brand) -> dict[str, Any]:
    multipliers = {code: brand.exchange_rates.get(code, 0.0) for code in LISTED_CURRENCIES}
    multipliers.update(brand.exchange_rates)
    return {"brand_id": brand.brand_id, "base_currency": brand.base_currency, "multipliers": multipliers}


def jackpot_update_event(jackpot: Jackpot) -> dict[str, Any]:
    return {
        "id": jackpot.jackpot_id,
        "jackpot_type": jackpot.kind.value,
        "currency": jackpot.currency,
        "pots": [
            {"id": pot.pot_id, "is_progressive": pot.progressive, "current_value": pot.value.amount}
            for pot in jackpot.pots
        ],
        "allowed_brands": list(jackpot.brands),
        "allowed_sources": list(jackpot.sources),
        "status": "running" if jackpot.running else "paused",
        "timestamp_start": epoch_millis(jackpot.starts_at) if jackpot.starts_at else None,
        "timestamp_end": epoch_millis(jackpot.ends_at) if jackpot.ends_at else None,
        "last_updated": epoch_millis(jackpot.updated_at),
    }


def win_event(win: Win) -> dict[str, Any]:
    return {
        "brand_id": win.winner.brand_id,
        "player_id": win.winner.player_id,
        "source_id": win.source_id,
        "instance_id": win.instance_id,
        "jackpot_name": win.jackpot.name,
        "jackpot_currency": win.jackpot.currency,
        "timestamp": epoch_millis(win.won_at),
        "win_pot_id": win.pot.pot_id,
        "currency_multipliers": currency_multipliers(win.brand),
        "win_withheld": win.withheld,
        "community_winners": [payout_record(p) for p in win.community],
        "games_in_jackpot": list(win.jackpot.games),
        "seed": win.rng_seed,
        "metadata": dict(win.campaign) if win.campaign is not None else None,
    }


def raffle_win_event(draw: RaffleDraw) -> dict[str, Any]:
    return {
        "brand_id": draw.brand.brand_id,
        "instance_id": draw.instance_id,
        "jackpot_name": draw.jackpot.name,
        "jackpot_currency": draw.jackpot.currency,
        "currency_multipliers": currency_multipliers(draw.brand),
        "timestamp": epoch_millis(draw.drawn_at),
        "winners": [payout_record(p) for p in draw.winners],
        "win_withheld": draw.withheld,
    }


def opt_in_event(opt_in: OptIn) -> dict[str, Any]:
    updated = opt_in.updated_at
    return {
        "instance_id": opt_in.instance_id,
        "player_id": opt_in.player.player_id,
        "ext_player_id": opt_in.player.external_id,
        "player_brand_id": opt_in.player.brand_id,
        "preferred_contribution_value": opt_in.preferred_stake.amount,
        "contribution_count": len(opt_in.contributions),
        "contribution_value": sum(c.cents for c in opt_in.contributions) / 100,
        "opted_in": opt_in.active,
        "last_updated": epoch_millis(updated) if updated else 0,
    }


def community_payout_error_event(failure: FailedCommunityPayouts) -> dict[str, Any]:
    return {
        "instance_id": failure.instance_id,
        "gameround_id": failure.game_round_id,
        "tx_credit_id": failure.credit_transaction_id,
        "failed_payouts": [payout_record(p) for p in failure.payouts],
    }


def raffle_payout_error_event(failure: FailedRafflePayouts) -> dict[str, Any]:
    return {"instance_id": failure.instance_id, "failed_payouts": [payout_record(p) for p in failure.payouts]}

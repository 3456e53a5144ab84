"""Valid events for the validation tests, written out by hand from the seed.

Hand-written on purpose: deriving them from the schemas would let a wrong schema pass its own
tests. ``test_samples_follow_the_seed`` in test_spec.py checks them against the seed's text.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

MULTIPLIERS: dict[str, Any] = {
    "brand_id": "brand-1",
    "base_currency": "EUR",
    "multipliers": {"EUR": 1, "GBP": 0.86, "ZAR": 19.7, "NZD": 1.8, "SEK": 11.4},
}
PAYOUT: dict[str, Any] = {"player_id": "p-2", "brand_id": "brand-1", "currency": "EUR", "win_amount": 12.5}

_EVENTS: dict[str, dict[str, Any]] = {
    "JackpotUpdateEvent": {
        "id": "jp-1",
        "jackpot_type": "Jackpot",
        "currency": "EUR",
        "pots": [
            {"id": "pot-1", "is_progressive": True, "current_value": 1000.5},
            {"id": "pot-2", "is_progressive": False, "current_value": 50},
        ],
        "allowed_brands": ["brand-1"],
        "allowed_sources": ["src-1"],
        "status": "running",
        "timestamp_start": 1700000000,
        "timestamp_end": None,
        "last_updated": 1700000100.25,
    },
    "WinEvent": {
        "brand_id": "brand-1",
        "player_id": "p-1",
        "source_id": "src-1",
        "instance_id": "inst-1",
        "jackpot_name": "Mega",
        "jackpot_currency": "EUR",
        "timestamp": 1700000200,
        "win_pot_id": "pot-1",
        "currency_multipliers": MULTIPLIERS,
        "win_withheld": False,
        "community_winners": [PAYOUT],
        "games_in_jackpot": ["starburst"],
        "seed": 42,
        "metadata": {"campaign": "winter", "tags": ["a", 1, None]},
    },
    "RaffleWinEvent": {
        "brand_id": "brand-1",
        "instance_id": "inst-2",
        "jackpot_name": "Weekly raffle",
        "jackpot_currency": "GBP",
        "currency_multipliers": MULTIPLIERS,
        "timestamp": 1700000300,
        "winners": [PAYOUT, {**PAYOUT, "player_id": "p-3", "win_amount": 7}],
        "win_withheld": True,
    },
    "OptInEvent": {
        "instance_id": "inst-1",
        "player_id": "p-1",
        "ext_player_id": "ext-1",
        "player_brand_id": "brand-1",
        "preferred_contribution_value": 0.1,
        "contribution_count": 3,
        "contribution_value": 0.3,
        "opted_in": True,
        "last_updated": 1700000400,
    },
    "CommunityPayoutErrorEvent": {
        "instance_id": "inst-1",
        "gameround_id": "gr-1",
        "tx_credit_id": "tx-1",
        "failed_payouts": [PAYOUT],
    },
    "RafflePayoutErrorEvent": {
        "instance_id": "inst-2",
        "failed_payouts": [PAYOUT],
    },
}


def valid_event(event_type: str) -> dict[str, Any]:
    """A fresh deep copy of a valid event, safe to change."""
    return copy.deepcopy(_EVENTS[event_type])


def legacy_raffle() -> dict[str, Any]:
    """A RaffleWinEvent whose winners use the prose's legacy tuple form."""
    event = valid_event("RaffleWinEvent")
    event["winners"] = [["p-2", {"currency": "EUR", "value": 12.5}], ["p-3", {"currency": "GBP", "value": 7}]]
    return event


def at(payload: Any, parts: list[str | int]) -> Any:
    for part in parts:
        payload = payload[part]
    return payload


def concrete(parts: tuple[str | int, ...]) -> list[str | int]:
    """A spec field path with ``*`` replaced by the first item."""
    return [0 if p == "*" else p for p in parts]


def places(value: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place in a parsed value, the value itself first: the parts of each path down to it."""
    yield parts
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*parts, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*parts, index))

"""The producer's side of the Pact contracts: domain objects for each provider state.

``PRODUCER`` maps each event type to a function ``(description, provider_states) -> event``
that builds the domain objects the state describes and turns them into the event with the
producer's own code (``events.py``). ``STATES`` holds the states that need set-up (here, a
jackpot stored in the catalogue for the time of one interaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from . import events
from .domain import (
    Brand,
    FailedCommunityPayouts,
    FailedRafflePayouts,
    Jackpot,
    JackpotKind,
    Money,
    OptIn,
    Payout,
    Player,
    Pot,
    RaffleDraw,
    Win,
)

States = dict[str, dict[str, Any]]

NOW = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
BRANDS = {
    brand_id: Brand(brand_id, "EUR", {"EUR": 1.0, "GBP": 0.86, "ZAR": 19.9, "NZD": 1.78, "SEK": 11.5, "USD": 1.08})
    for brand_id in ("brand-1", "brand-7")
}
CATALOGUE: dict[str, Jackpot] = {}
"""The jackpots the producer knows, as its repository would hold them."""


def player(number: int, brand_id: str = "brand-1") -> Player:
    return Player(f"player-{number}", f"ext-{number}", brand_id)


def jackpot(pot_count: int = 2, *, kind: JackpotKind = JackpotKind.JACKPOT) -> Jackpot:
    return Jackpot(
        jackpot_id="jp-mega",
        name="Mega Drop",
        kind=kind,
        currency="EUR",
        pots=tuple(Pot(f"pot-{n}", n == 1, Money(100_000 * n + 4_250, "EUR")) for n in range(1, pot_count + 1)),
        brands=tuple(BRANDS),
        sources=("casino", "live"),
        games=("starburst", "book-of-dead"),
        running=True,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=6),
        updated_at=NOW,
    )


def payouts(count: int, brand_id: str = "brand-1") -> tuple[Payout, ...]:
    return tuple(Payout(player(n, brand_id), Money(2_500 * n, "EUR")) for n in range(1, count + 1))


def a_running_jackpot_with_pots(params: dict[str, Any]) -> Iterator[None]:
    CATALOGUE["jp-mega"] = jackpot(int(params.get("pot_count", 2)))
    yield
    del CATALOGUE["jp-mega"]


STATES = {"a running jackpot with pots": a_running_jackpot_with_pots}


def jackpot_update(description: str, states: States) -> dict[str, Any]:
    return events.jackpot_update_event(CATALOGUE["jp-mega"])


def win(description: str, states: States) -> dict[str, Any]:
    params = states.get("a progressive jackpot win", {})
    brand = BRANDS[params.get("brand_id", "brand-1")]
    mega = jackpot()
    return events.win_event(
        Win(
            instance_id="inst-42",
            jackpot=mega,
            pot=mega.pots[0],
            winner=player(1, brand.brand_id),
            source_id="casino",
            brand=brand,
            community=payouts(3, brand.brand_id),
            withheld="a withheld progressive jackpot win" in states,
            rng_seed=987_654,
            won_at=NOW,
            campaign=None if "metadata is null" in states else {"campaign": "spring-drop"},
        )
    )


def raffle_win(description: str, states: States) -> dict[str, Any]:
    count = int(states.get("a raffle was drawn", {}).get("winners", 1))
    return events.raffle_win_event(
        RaffleDraw(
            instance_id="raffle-9",
            jackpot=jackpot(1, kind=JackpotKind.RAFFLE),
            brand=BRANDS["brand-1"],
            winners=payouts(count),
            withheld=False,
            drawn_at=NOW,
        )
    )


def opt_in(description: str, states: States) -> dict[str, Any]:
    contributions = int(states.get("a player opted in", {}).get("contributions", 0))
    return events.opt_in_event(
        OptIn(
            instance_id="inst-42",
            player=player(5),
            preferred_stake=Money(50, "EUR"),
            contributions=tuple(Money(50, "EUR") for _ in range(contributions)),
            active="a player opted out" not in states,
            updated_at=NOW,
        )
    )


def community_payout_error(description: str, states: States) -> dict[str, Any]:
    failed = int(states.get("community payouts failed", {}).get("failed", 1))
    return events.community_payout_error_event(
        FailedCommunityPayouts("inst-42", "round-7781", "tx-credit-19", payouts(failed))
    )


def raffle_payout_error(description: str, states: States) -> dict[str, Any]:
    return events.raffle_payout_error_event(FailedRafflePayouts("raffle-9", payouts(2)))


PRODUCER = {
    "JackpotUpdateEvent": jackpot_update,
    "WinEvent": win,
    "RaffleWinEvent": raffle_win,
    "OptInEvent": opt_in,
    "CommunityPayoutErrorEvent": community_payout_error,
    "RafflePayoutErrorEvent": raffle_payout_error,
}

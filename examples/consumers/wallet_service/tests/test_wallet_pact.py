"""What the wallet reads of ThrillPots wins: its pact with the producer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wallet import Wallet

PAYOUT_FIELDS = ["player_id", "brand_id", "currency", "win_amount"]


def test_credits_every_community_winner_of_a_jackpot_win(thrillpots_pact):
    thrillpots_pact.expects(
        "WinEvent",
        "a progressive jackpot win",
        given={"a progressive jackpot win": {"brand_id": "brand-7"}},
        fields=["player_id", "metadata", *(f"community_winners[*].{f}" for f in PAYOUT_FIELDS)],
        brand_id="brand-7",
        win_withheld=False,
    )

    def credit(event: dict[str, Any]) -> None:
        wallet = Wallet()
        wallet.on_win_event(event)
        for winner in event["community_winners"]:
            expected = Decimal(str(winner["win_amount"]))
            assert wallet.balance(winner["brand_id"], winner["player_id"], winner["currency"]) == expected

    thrillpots_pact.verify(credit)


def test_holds_a_withheld_win(thrillpots_pact):
    thrillpots_pact.expects(
        "WinEvent",
        "a withheld jackpot win",
        given="a withheld progressive jackpot win",
        fields=["player_id", "brand_id"],
        win_withheld=True,
    )
    wallet = Wallet()
    thrillpots_pact.verify(wallet.on_win_event)
    assert wallet.held and not wallet.balances


def test_credits_every_raffle_winner(thrillpots_pact):
    event = thrillpots_pact.expects(
        "RaffleWinEvent",
        "a raffle draw with winners",
        given={"a raffle was drawn": {"winners": 3}},
        fields=[*(f"winners[*].{f}" for f in PAYOUT_FIELDS)],
        win_withheld=False,
    )
    wallet = Wallet()
    thrillpots_pact.verify(wallet.on_raffle_win_event)
    winner = event["winners"][0]
    assert wallet.balance(winner["brand_id"], winner["player_id"], winner["currency"]) > 0

"""The wallet service: credits jackpot and raffle winners from ThrillPots events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class Wallet:
    balances: dict[tuple[str, str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    held: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[str] = field(default_factory=list)

    def balance(self, brand_id: str, player_id: str, currency: str) -> Decimal:
        return self.balances[(brand_id, player_id, currency)]

    def _credit(self, payout: dict[str, Any]) -> None:
        key = (payout["brand_id"], payout["player_id"], payout["currency"])
        self.balances[key] += Decimal(str(payout["win_amount"]))

    def on_win_event(self, event: dict[str, Any]) -> None:
        """Credit every community winner, unless the win is withheld for review."""
        if event["win_withheld"]:
            self.held.append({"player_id": event["player_id"], "brand_id": event["brand_id"]})
            return
        for payout in event["community_winners"]:
            self._credit(payout)
        campaign = (event["metadata"] or {}).get("campaign")
        if campaign:
            self.campaigns.append(campaign)

    def on_raffle_win_event(self, event: dict[str, Any]) -> None:
        if event["win_withheld"]:
            self.held.extend({"player_id": w["player_id"], "brand_id": w["brand_id"]} for w in event["winners"])
            return
        for payout in event["winners"]:
            self._credit(payout)

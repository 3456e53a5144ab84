"""The CRM: keeps each player's jackpot opt-in and contribution totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Profiles:
    opted_in: dict[tuple[str, str], bool] = field(default_factory=dict)
    contributed: dict[tuple[str, str], float] = field(default_factory=dict)

    def on_opt_in_event(self, event: dict[str, Any]) -> None:
        key = (event["player_brand_id"], event["player_id"])
        self.opted_in[key] = event["opted_in"]
        if event["contribution_count"]:
            self.contributed[key] = event["contribution_value"]

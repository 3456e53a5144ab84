"""Payout operations: queues failed community and raffle payouts for a retry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RetryQueue:
    jobs: list[dict[str, Any]] = field(default_factory=list)

    def on_community_payout_error(self, event: dict[str, Any]) -> None:
        for payout in event["failed_payouts"]:
            self.jobs.append(
                {"kind": "community", "round": event["gameround_id"], "credit": event["tx_credit_id"], **payout}
            )

    def on_raffle_payout_error(self, event: dict[str, Any]) -> None:
        for payout in event["failed_payouts"]:
            self.jobs.append({"kind": "raffle", "instance": event["instance_id"], **payout})

"""The lobby widget: shows each jackpot's pots and when it ends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def ticker_lines(event: dict[str, Any]) -> list[str]:
    """One line per pot, progressive pots marked, then the end time when the jackpot has one."""
    if event["status"] != "running":
        return [f"{event['id']}: {event['status']}"]
    lines = [
        f"{'*' if pot['is_progressive'] else ' '} {pot['id']}: {pot['current_value']:,.2f} {event['currency']}"
        for pot in event["pots"]
    ]
    if event["timestamp_end"] is not None:
        ends = datetime.fromtimestamp(event["timestamp_end"] / 1000, tz=UTC)
        lines.append(f"{event['jackpot_type']} ends {ends:%Y-%m-%d %H:%M} UTC")
    return lines

"""The legacy winners tuple: ``[player_id, {"currency", "value"}]`` instead of a PayoutRecord."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_thrillpots.spec import spec
from pytest_thrillpots.spec._paths import PathPart


def _shape(structure: str) -> str:
    """A structure's fields as failure messages show them: ``{"currency": String, "value": Number}``."""
    fields = spec(structure).fields
    return "{" + ", ".join(f'"{name}": {node.kind.title()}' for name, node in fields.items()) + "}"


CANONICAL_WINNER = _shape("PayoutRecord")


LEGACY_WINNER = f"[player_id, {_shape('CurrencyValue')}]"


def allow_legacy(schema: dict[str, Any]) -> dict[str, Any]:
    """RaffleWinEvent with ``winners`` items in either the canonical or the legacy tuple form."""
    winners = dict(schema["properties"]["winners"])
    canonical = winners["items"]
    winners["items"] = {"if": {"type": "array"}, "then": {"$ref": "#/$defs/LegacyWinnerTuple"}, "else": canonical}
    return {**schema, "properties": {**schema["properties"], "winners": winners}}


def upgrade_legacy_winners(event: Mapping[str, Any]) -> dict[str, Any]:
    """A RaffleWinEvent with legacy tuple winners converted to the canonical PayoutRecord form.

    Each ``[player_id, {"currency": c, "value": v}]`` becomes ``{"player_id", "brand_id",
    "currency", "win_amount"}`` with ``brand_id`` taken from the event's ``brand_id``. Winners
    already in the canonical form are kept as they are. The input is not changed.
    """
    if not isinstance(event, Mapping):
        raise TypeError(f"upgrade_legacy_winners() takes a RaffleWinEvent dict, not {type(event).__name__}")
    winners = event.get("winners")
    if not isinstance(winners, list):
        raise ValueError("upgrade_legacy_winners() needs a RaffleWinEvent with a 'winners' array")
    upgraded: list[Any] = []
    for index, winner in enumerate(winners):
        if isinstance(winner, Mapping):
            upgraded.append(dict(winner))
            continue
        if (
            not isinstance(winner, (list, tuple))
            or len(winner) != 2
            or not isinstance(winner[1], Mapping)
            or not {"currency", "value"} <= set(winner[1])
        ):
            raise ValueError(
                f"winners[{index}] is neither a winner object nor a legacy tuple {LEGACY_WINNER}: {winner!r}"
            )
        if "brand_id" not in event:
            raise ValueError("upgrade_legacy_winners() needs the event's brand_id to fill each winner's brand_id")
        player_id, amount = winner
        upgraded.append(
            {
                "player_id": player_id,
                "brand_id": event["brand_id"],
                "currency": amount["currency"],
                "win_amount": amount["value"],
            }
        )
    return {**event, "winners": upgraded}


def is_winner_item(event_type: str, parts: list[PathPart]) -> bool:
    return event_type == "RaffleWinEvent" and len(parts) == 2 and parts[0] == "winners" and isinstance(parts[1], int)

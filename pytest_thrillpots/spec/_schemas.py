"""Locating and loading the schema files: ``contracts/schemas`` is the spec, and nothing else is."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from pytest_thrillpots._errors import UnknownEventTypeError, did_you_mean

EVENT_TYPES: Final = (
    "JackpotUpdateEvent",
    "WinEvent",
    "RaffleWinEvent",
    "OptInEvent",
    "CommunityPayoutErrorEvent",
    "RafflePayoutErrorEvent",
)
STRUCTURE_TYPES: Final = ("PotTicker", "CurrencyValue", "PayoutRecord", "CurrencyMultipliers")
SCHEMA_BASE_URI: Final = "https://thrillpots.example/schemas/"
SCHEMA_SUFFIX: Final = ".schema.json"

_PACKAGE = Path(__file__).resolve().parent.parent


def schema_dir() -> Path:
    """Where the schema files are: inside the installed wheel, or ``contracts/schemas`` in a checkout."""
    packaged = _PACKAGE / "schemas"
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parent / "contracts" / "schemas"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(  # pragma: no cover - only a broken install gets here
        f"pytest-thrillpots cannot find its JSON Schemas (looked in {packaged} and {checkout}); reinstall the package"
    )


@functools.cache
def raw_schemas() -> Mapping[str, Mapping[str, Any]]:
    """Every schema file, by name (``"WinEvent"``, ``"PotTicker"``...)."""
    directory = schema_dir()
    return {
        name: json.loads((directory / f"{name}{SCHEMA_SUFFIX}").read_text(encoding="utf-8"))
        for name in (*EVENT_TYPES, *STRUCTURE_TYPES)
    }


def check_event_type(event_type: str) -> str:
    if event_type not in EVENT_TYPES:
        if not isinstance(event_type, str):
            raise UnknownEventTypeError(
                f"unknown event type {event_type!r}: an event type is a str, one of {', '.join(EVENT_TYPES)}."
            )
        raise UnknownEventTypeError(
            f"unknown event type {event_type!r}: use one of {', '.join(EVENT_TYPES)}."
            + did_you_mean(event_type, EVENT_TYPES)
        )
    return event_type

"""Strict mode names CurrencyValue inside a legacy winner tuple."""

from __future__ import annotations

import orjson

from pytest_thrillpots import (
    RaffleWinEventFactory,
    validate,
)

# --- Strict mode names CurrencyValue inside a legacy winner tuple -----------------------------------


def test_an_unknown_field_in_a_legacy_tuples_amount_names_currency_value() -> None:
    event = RaffleWinEventFactory.seeded(1).trait("legacy_winners").build()
    event["winners"][0][1]["rate"] = 1
    for payload in (event, orjson.dumps(event)):
        assert [str(v) for v in validate(payload, "RaffleWinEvent", strict=True, allow_legacy_winners=True)] == [
            "winners[0][1].rate: unknown field, not listed in the CurrencyValue spec (strict mode), got number 1"
            " [unknown_field]"
        ]

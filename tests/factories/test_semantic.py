"""validate(..., semantic=True): the conventions, each with its own rule code and message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_thrillpots import (
    SEMANTIC_RULES,
    JackpotUpdateEventFactory,
    OptInEventFactory,
    RaffleWinEventFactory,
    WinEventFactory,
    factory_for,
    validate,
)
from pytest_thrillpots.spec import EVENT_TYPES, STRUCTURE_TYPES, spec
from pytest_thrillpots.validation._semantic import COUNT_FIELDS, CURRENCY_FIELDS, MONEY_FIELDS, TIMESTAMP_FIELDS


def _found(event: dict[str, Any], event_type: str) -> list[tuple[str, str, str]]:
    return [(v.field, v.rule, v.message) for v in validate(event, event_type, semantic=True)]


def test_the_conventions_name_fields_the_spec_has() -> None:
    names = {name for t in (*EVENT_TYPES, *STRUCTURE_TYPES) for name in spec(t).fields}
    for group in (TIMESTAMP_FIELDS, MONEY_FIELDS, COUNT_FIELDS, CURRENCY_FIELDS):
        assert group <= names


def test_semantic_rules_are_their_own_codes() -> None:
    from pytest_thrillpots import RULES

    assert not set(SEMANTIC_RULES) & set(RULES)


def test_the_default_path_reports_no_conventions() -> None:
    event = WinEventFactory.seeded(1).build(timestamp=1_750_000_000)
    assert validate(event, "WinEvent") == []
    assert [v.rule for v in validate(event, "WinEvent", semantic=True)] == ["timestamp_ms"]


def test_timestamps_are_epoch_milliseconds() -> None:
    event = WinEventFactory.seeded(1).build(timestamp=1_750_000_000)
    assert _found(event, "WinEvent") == [
        ("timestamp", "timestamp_ms",
         "expected whole epoch milliseconds (UTC) between 2000 and 2100, got 1750000000 "
         "(that looks like seconds: send milliseconds)"),
    ]
    assert [r for _, r, _ in _found(WinEventFactory.seeded(1).build(timestamp=1.75e12 + 0.5), "WinEvent")] == [
        "timestamp_ms"
    ]


def test_jackpot_timestamps_are_in_order() -> None:
    event = JackpotUpdateEventFactory.seeded(1).build(
        timestamp_start=1_760_000_000_000, timestamp_end=1_750_000_000_000, last_updated=1_755_000_000_000
    )
    assert _found(event, "JackpotUpdateEvent")[:2] == [
        ("timestamp_start", "time_order", "timestamp_start 1760000000000 is after last_updated 1755000000000"),
        ("timestamp_end", "time_order", "timestamp_end 1750000000000 is not after timestamp_start 1760000000000"),
    ]


def test_money_has_two_decimals_and_is_not_negative() -> None:
    event = WinEventFactory.seeded(1).build(community_winners__0__win_amount=10.005, community_winners__1__win_amount=-1)
    assert _found(event, "WinEvent") == [
        ("community_winners[0].win_amount", "money", "expected an amount >= 0 with at most two decimals, got 10.005"),
        ("community_winners[1].win_amount", "money", "expected an amount >= 0 with at most two decimals, got -1"),
    ]


def test_currencies_are_codes_listed_in_the_multipliers() -> None:
    event = WinEventFactory.seeded(1).build(jackpot_currency="USD", community_winners__0__currency="eur")
    assert _found(event, "WinEvent") == [
        ("community_winners[0].currency", "currency_code",
         'expected a three-letter upper-case currency code like "EUR", got \'eur\''),
        ("jackpot_currency", "currency_unlisted",
         "jackpot_currency 'USD' has no multiplier in currency_multipliers"),
        ("community_winners[0].currency", "currency_unlisted",
         "the winner's currency 'eur' has no multiplier in currency_multipliers"),
    ]


def test_the_base_currency_multiplies_by_one_and_multipliers_are_positive() -> None:
    event = WinEventFactory.seeded(1).build(
        currency_multipliers__base_currency="GBP", currency_multipliers__multipliers__GBP=1.2,
        currency_multipliers__multipliers__SEK=0,
    )
    assert [(f, r) for f, r, _ in _found(event, "WinEvent")] == [
        ("currency_multipliers.multipliers.SEK", "multiplier"),
        ("currency_multipliers.multipliers.GBP", "base_multiplier"),
    ]


def test_brands_agree() -> None:
    event = RaffleWinEventFactory.seeded(1).trait("winners", n=1).build(
        currency_multipliers__brand_id="other", winners__0__brand_id="elsewhere"
    )
    assert _found(event, "RaffleWinEvent") == [
        ("currency_multipliers.brand_id", "brand_mismatch",
         f"the currency multipliers are for brand 'other', the event for {event['brand_id']!r}"),
        ("winners[0].brand_id", "brand_mismatch",
         f"a raffle draw pays the players of brand {event['brand_id']!r}, not 'elsewhere'"),
    ]


def test_ids_are_not_empty_and_pot_ids_unique() -> None:
    event = JackpotUpdateEventFactory.seeded(1).build(id=" ", pots=[], pots__1__id="pot-a", pots__0__id="pot-a")
    assert [(f, r) for f, r, _ in _found(event, "JackpotUpdateEvent")] == [("id", "empty_id"), ("pots[1].id", "duplicate_id")]


def test_counts_are_whole_numbers() -> None:
    event = {**OptInEventFactory.seeded(1).build(), "contribution_count": 2.5}
    assert [(f, r) for f, r, _ in _found(event, "OptInEvent")] == [("contribution_count", "count")]


def test_wrong_types_are_left_to_the_schema_rules() -> None:
    event = WinEventFactory.seeded(1).build(timestamp="soon", currency_multipliers=[])
    assert sorted(v.rule for v in validate(event, "WinEvent", semantic=True)) == ["type", "type"]


@given(st.integers(0, 2**32 - 1))
def test_factory_events_follow_every_convention(seed: int) -> None:
    for name in EVENT_TYPES:


        assert validate(factory_for(name).seeded(seed).build(), name, strict=True, semantic=True) == []


@pytest.mark.parametrize("payload", [b"[]", b"{}", b"not json"])
def test_semantic_mode_survives_any_payload(payload: bytes) -> None:
    rules = {v.rule for v in validate(payload, "WinEvent", semantic=True)}
    assert rules and not rules & set(SEMANTIC_RULES)


def test_the_validate_command_checks_the_conventions_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pytest_thrillpots.cli import main

    path = tmp_path / "events.ndjson"
    path.write_bytes(orjson.dumps(WinEventFactory.seeded(1).build(timestamp=1_750_000_000)) + b"\n")
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["validate", "--semantic", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:1: timestamp: expected whole epoch milliseconds (UTC) between 2000 and 2100, got 1750000000 "
        "(that looks like seconds: send milliseconds) [timestamp_ms]",
        "events by type: WinEvent 1",
        "checked 1 events: 0 valid, 1 invalid, 0 unparseable",
    ]


@pytest.mark.parametrize("amount", [123456.789, 1000.001, 99999.999, 10_000_000_000.001, 0.30000000000000004])
def test_money_with_a_third_decimal_is_reported_however_large_the_amount(amount: float) -> None:
    """The check allowed a relative error of 1e-6 of the cents: 123456.789 passed as two decimals."""
    event = OptInEventFactory.seeded(1).build(contribution_value=amount)
    assert _found(event, "OptInEvent") == [
        ("contribution_value", "money", f"expected an amount >= 0 with at most two decimals, got {amount!r}"),
    ]


@pytest.mark.parametrize("amount", [0, 0.1, 0.29, 12.5, 123456.78, 99999999.99, 1e16, 2**70, 0.07, 1.15, 2.67, 4.35])
def test_money_with_two_decimals_or_fewer_passes(amount: float) -> None:
    event = OptInEventFactory.seeded(1).build(contribution_value=amount)
    assert _found(event, "OptInEvent") == []
    assert validate(json.dumps(event), "OptInEvent", semantic=True) == []


def test_a_multiplier_key_that_is_no_code_is_reported_with_a_wrong_multiplier() -> None:
    """A wrong multiplier hid the currency_code violation of its key."""
    event = WinEventFactory.seeded(1).build()
    event["currency_multipliers"]["multipliers"]["usd"] = -1
    assert [(f, r) for f, r, _ in _found(event, "WinEvent")] == [
        ("currency_multipliers.multipliers.usd", "multiplier"),
        ("currency_multipliers.multipliers.usd", "currency_code"),
    ]

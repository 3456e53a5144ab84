"""Factories: the spec's fields and nothing else, valid and realistic values, seeds, overrides."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from faker import Faker

from pytest_thrillpots import (
    EVENT_TYPES,
    FACTORIES,
    STRUCTURE_TYPES,
    ThrillPotsProvider,
    UnknownEventTypeError,
    UnknownFieldError,
    WinEventFactory,
    _seed,
    factory_for,
    validate,
)
from pytest_thrillpots.factories._engine import FALLBACK_FIELDS, plan
from pytest_thrillpots.factories._provider import JACKPOT_KINDS, listed_currencies
from pytest_thrillpots.spec import Node, spec


def _shape(node: Node, value: Any, path: str) -> list[str]:
    """Where ``value`` has other fields than the spec lists (open maps and metadata aside)."""
    problems: list[str] = []
    if node.kind == "object" and isinstance(value, dict) and node.listed_fully:
        if set(value) != set(node.fields):
            problems.append(f"{path}: {sorted(value)} != {sorted(node.fields)}")
        for name, child in node.fields.items():
            problems += _shape(child, value.get(name), f"{path}.{name}")
    elif node.kind == "array" and isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            problems += _shape(node.items, item, f"{path}[{index}]")
    return problems


@pytest.mark.parametrize("name", [*EVENT_TYPES, *STRUCTURE_TYPES])
def test_a_factory_makes_exactly_the_fields_of_the_spec(name: str) -> None:
    factory = factory_for(name)
    for event in [*factory.seeded(3).batch(50), *factory.coverage()]:
        assert list(event) == list(spec(name).fields)
        assert _shape(spec(name), event, name) == []


def test_every_field_of_the_spec_has_a_realistic_producer() -> None:
    for name in [*EVENT_TYPES, *STRUCTURE_TYPES]:
        plan(name)
    assert set() == FALLBACK_FIELDS, "give these fields a producer in factories/_producers.py"


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_seeded_events_are_strictly_valid_and_follow_the_conventions(name: str) -> None:
    # 10,000 per type are checked strictly in test_mutations.py; the conventions cost more.
    events = factory_for(name).seeded(11).batch(2000)
    assert [(e, v) for e in events if (v := validate(e, name, strict=True, semantic=True))] == []


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_events_are_json_ready_dicts(name: str) -> None:
    event = factory_for(name).seeded(1).build()
    assert type(event) is dict
    assert orjson.loads(orjson.dumps(event)) == event


def test_the_same_seed_gives_the_same_bytes() -> None:
    assert orjson.dumps(WinEventFactory.seeded(42).build()) == orjson.dumps(WinEventFactory.seeded(42).build())
    assert orjson.dumps(WinEventFactory.seeded(42).batch(20)) == orjson.dumps(WinEventFactory.seeded(42).batch(20))
    assert WinEventFactory.seeded(42).build() != WinEventFactory.seeded(43).build()


def test_a_seeded_factory_has_a_stream_of_its_own() -> None:
    alone = WinEventFactory.seeded(5).batch(3)
    first, second = WinEventFactory.seeded(5), WinEventFactory.seeded(5)
    interleaved = [first.build(), second.build(), WinEventFactory.build(), first.build(), first.build()]
    assert [interleaved[0], interleaved[3], interleaved[4]] == alone
    assert interleaved[1] == alone[0]


def test_batch_continues_the_stream_like_repeated_build() -> None:
    built = WinEventFactory.seeded(9)
    assert WinEventFactory.seeded(9).batch(4) == [built.build() for _ in range(4)]


def test_class_level_calls_follow_the_global_seed() -> None:
    _seed.reseed(77)
    first = WinEventFactory.batch(3)
    _seed.reseed(77)
    assert WinEventFactory.batch(3) == first
    _seed.reseed(78)
    assert WinEventFactory.batch(3) != first


def test_batch_rejects_a_bad_count() -> None:
    with pytest.raises(ValueError, match="batch\\(\\) takes a number of events >= 0, not -1"):
        WinEventFactory.batch(-1)
    with pytest.raises(ValueError, match="a seed is a whole number >= 0, not 'x'"):
        WinEventFactory.seeded("x")  # type: ignore[arg-type]


def test_factories_are_not_instantiated() -> None:
    with pytest.raises(TypeError, match=re.escape("WinEventFactory.build(**overrides)")):
        WinEventFactory()


# --- Realistic values and conventions --------------------------------------------------------


def test_values_follow_the_conventions() -> None:
    for event in WinEventFactory.seeded(2).batch(200):
        multipliers = event["currency_multipliers"]
        assert multipliers["brand_id"] == event["brand_id"]
        assert multipliers["multipliers"][multipliers["base_currency"]] == 1.0
        assert event["jackpot_currency"] in multipliers["multipliers"]
        assert isinstance(event["timestamp"], int) and event["timestamp"] > 1_700_000_000_000
        for winner in event["community_winners"]:
            assert winner["currency"] in multipliers["multipliers"]
            assert round(winner["win_amount"], 2) == winner["win_amount"]
        assert re.fullmatch(r"plr_[a-z0-9]{10}", event["player_id"])
        assert re.fullmatch(r"pot_[a-z]+_[a-z0-9]{4}", event["win_pot_id"])


def test_jackpot_updates_keep_their_timestamps_in_order() -> None:
    for event in factory_for("JackpotUpdateEvent").seeded(4).batch(500):
        start, end, updated = event["timestamp_start"], event["timestamp_end"], event["last_updated"]
        if start is not None:
            assert start <= updated
        if start is not None and end is not None:
            assert start < end


def test_raffle_winners_belong_to_the_events_brand() -> None:
    for event in factory_for("RaffleWinEvent").seeded(4).batch(200):
        assert {w["brand_id"] for w in event["winners"]} <= {event["brand_id"]}


def test_events_of_one_jackpot_agree_with_each_other() -> None:
    updates = factory_for("JackpotUpdateEvent").seeded(6).batch(300)
    pots = {u["id"]: {p["id"] for p in u["pots"]} for u in updates}
    names = {}
    for win in WinEventFactory.seeded(6).batch(300):
        if win["instance_id"] in pots:
            assert win["win_pot_id"] in pots[win["instance_id"]]
        names.setdefault(win["instance_id"], win["jackpot_name"])
        assert names[win["instance_id"]] == win["jackpot_name"]


def test_the_provider_works_with_any_faker() -> None:
    fake = Faker()
    fake.add_provider(ThrillPotsProvider)
    fake.seed_instance(1)
    values = [fake.brand_id(), fake.player_id(), fake.jackpot_name("Raffle"), fake.game_slug(), fake.currency()]
    fake.seed_instance(1)
    assert [fake.brand_id(), fake.player_id(), fake.jackpot_name("Raffle"), fake.game_slug(), fake.currency()] == values
    assert values[2].endswith(("Raffle", "Prize Draw"))
    multipliers = fake.currency_multipliers(base_currency="GBP")
    assert multipliers["multipliers"]["GBP"] == 1.0
    assert set(multipliers["multipliers"]) == set(listed_currencies())
    assert isinstance(fake.timestamp_ms(), int)
    amount = fake.money()
    assert round(amount, 2) == amount


def test_the_provider_uses_the_specs_jackpot_types_and_currencies() -> None:
    assert tuple(JACKPOT_KINDS) == spec("JackpotUpdateEvent").fields["jackpot_type"].enum
    assert listed_currencies() == tuple(spec("CurrencyMultipliers").fields["multipliers"].fields)


# --- Overrides -------------------------------------------------------------------------------


def test_overrides_set_top_level_and_nested_fields() -> None:
    event = WinEventFactory.seeded(1).build(
        player_id="p-1", currency_multipliers__base_currency="GBP", community_winners__0__win_amount=10
    )
    assert event["player_id"] == "p-1"
    assert event["currency_multipliers"]["base_currency"] == "GBP"
    assert event["currency_multipliers"]["multipliers"]["GBP"] == 1.0
    assert event["community_winners"][0]["win_amount"] == 10
    assert validate(event, "WinEvent", strict=True, semantic=True) == []


def test_an_override_past_the_end_of_an_array_adds_valid_items() -> None:
    event = WinEventFactory.seeded(1).trait("community", n=0).build(community_winners__2__win_amount=5)
    assert len(event["community_winners"]) == 3
    assert event["community_winners"][2]["win_amount"] == 5
    assert validate(event, "WinEvent", strict=True) == []
    games = WinEventFactory.seeded(1).build(games_in_jackpot=[], games_in_jackpot__1="book-of-gold")
    assert len(games["games_in_jackpot"]) == 2 and games["games_in_jackpot"][1] == "book-of-gold"


def test_overrides_inside_free_form_metadata_and_the_multipliers_map() -> None:
    event = WinEventFactory.seeded(1).build(metadata=None, metadata__round_id="r-1", currency_multipliers__multipliers__USD=1.08)
    assert event["metadata"] == {"round_id": "r-1"}
    assert event["currency_multipliers"]["multipliers"]["USD"] == 1.08
    whole = WinEventFactory.seeded(1).build(metadata={"a": 1}, metadata__b=2)
    assert whole["metadata"] == {"a": 1, "b": 2}


def test_override_values_are_copied() -> None:
    metadata = {"round_id": "r-1"}
    event = WinEventFactory.seeded(1).build(metadata=metadata)
    event["metadata"]["round_id"] = "changed"
    assert metadata == {"round_id": "r-1"}


def test_other_fields_follow_an_overridden_brand_currency_and_time() -> None:
    raffle = factory_for("RaffleWinEvent").seeded(1).trait("winners", n=3).build(brand_id="brand-7")
    assert raffle["currency_multipliers"]["brand_id"] == "brand-7"
    assert {w["brand_id"] for w in raffle["winners"]} == {"brand-7"}
    update = factory_for("JackpotUpdateEvent").seeded(1).build(last_updated=1_760_000_000_000, jackpot_type="Raffle")
    assert update["timestamp_start"] is None or update["timestamp_start"] <= 1_760_000_000_000
    assert [p["is_progressive"] for p in update["pots"]] == [False]
    assert validate(update, "JackpotUpdateEvent", strict=True, semantic=True) == []


def test_an_override_may_make_an_invalid_event_for_negative_tests() -> None:
    event = WinEventFactory.seeded(1).build(timestamp="yesterday")
    assert [(v.field, v.rule) for v in validate(event, "WinEvent")] == [("timestamp", "type")]


def test_an_unknown_override_names_the_close_matches() -> None:
    with pytest.raises(UnknownFieldError) as raised:
        WinEventFactory.build(jackpot_nme="x")
    message = str(raised.value)
    assert message.startswith(
        "WinEvent has no field 'jackpot_nme' (jackpot_nme is not in the spec). "
        "Did you mean 'jackpot_name' or 'jackpot_currency'? Fields you can set: brand_id, player_id,"
    )
    assert "community_winners__0__win_amount" in message
    with pytest.raises(UnknownFieldError, match="Did you mean 'community_winners__0__win_amount'"):
        WinEventFactory.build(community_winners__0__win_amont=1)
    with pytest.raises(UnknownFieldError, match=re.escape("(currency_multipliers.brand is not in the spec)")):
        WinEventFactory.build(currency_multipliers__brand="b")


def test_an_override_through_a_replaced_value_is_a_clear_error() -> None:
    with pytest.raises(Exception, match="cannot set community_winners__0__win_amount: community_winners is str"):
        WinEventFactory.build(community_winners="none", community_winners__0__win_amount=1)


# --- Registry --------------------------------------------------------------------------------


def test_factories_are_registered_by_event_and_structure_name() -> None:
    assert list(FACTORIES) == [*EVENT_TYPES, *STRUCTURE_TYPES]
    assert all(FACTORIES[name].name == name for name in FACTORIES)
    assert factory_for("WinEvent") is WinEventFactory


def test_an_unknown_factory_lists_the_valid_names() -> None:
    with pytest.raises(UnknownEventTypeError) as raised:
        factory_for("WinEvnt")
    assert str(raised.value) == (
        "no factory for 'WinEvnt': use one of JackpotUpdateEvent, WinEvent, RaffleWinEvent, OptInEvent, "
        "CommunityPayoutErrorEvent, RafflePayoutErrorEvent (events) or PotTicker, CurrencyValue, PayoutRecord, "
        "CurrencyMultipliers (structures). Did you mean 'WinEvent' or 'RaffleWinEvent'?"
    )


def test_factories_are_exported_lazily_from_the_package() -> None:
    import pytest_thrillpots

    for name in FACTORIES:
        assert getattr(pytest_thrillpots, f"{name}Factory") is FACTORIES[name]
        assert f"{name}Factory" in pytest_thrillpots.__all__


def test_the_same_seed_gives_the_same_bytes_in_another_process() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import orjson, sys; from pytest_thrillpots import FACTORIES; "
        "sys.stdout.write(orjson.dumps([f.seeded(3).batch(5) + f.coverage() for f in FACTORIES.values()]).hex())"
    )
    here = orjson.dumps([f.seeded(3).batch(5) + f.coverage() for f in FACTORIES.values()]).hex()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        assert other.stdout == here

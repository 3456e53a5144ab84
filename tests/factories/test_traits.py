"""Traits and coverage(): the states users test, and every branch of the spec."""

from __future__ import annotations

import pytest

from pytest_thrillpots import (
    EVENT_TYPES,
    FACTORIES,
    STRUCTURE_TYPES,
    JackpotUpdateEventFactory,
    RaffleWinEventFactory,
    UnknownFieldError,
    UnknownTraitError,
    WinEventFactory,
    factory_for,
    validate,
)
from pytest_thrillpots.factories._branches import branches, observed
from pytest_thrillpots.factories._traits import LEGACY_TRAITS, TRAITS


def test_win_event_traits() -> None:
    factory = WinEventFactory.seeded(3)
    assert all(e["win_withheld"] for e in factory.trait("withheld").batch(20))
    assert all(isinstance(e["metadata"], dict) for e in factory.trait("with_metadata").batch(20))
    assert all(e["metadata"] is None for e in factory.trait("without_metadata").batch(20))
    assert [len(e["community_winners"]) for e in factory.trait("community", n=5).batch(3)] == [5, 5, 5]
    assert [len(e["community_winners"]) for e in factory.trait("community").batch(2)] == [3, 3]


def test_traits_chain_and_keep_the_seed() -> None:
    chained = WinEventFactory.seeded(3).trait("withheld").trait("community", n=2)
    event = chained.build()
    assert event["win_withheld"] and len(event["community_winners"]) == 2
    assert chained.trait_names == ("withheld", "community(n=2)")
    assert repr(chained) == "WinEventFactory.seeded(3).trait('withheld').trait('community(n=2)')"
    assert WinEventFactory.trait("withheld").seeded(8).build() == WinEventFactory.seeded(8).trait("withheld").build()


def test_jackpot_update_traits() -> None:
    factory = JackpotUpdateEventFactory.seeded(3)
    for event in factory.trait("raffle").batch(20):
        assert event["jackpot_type"] == "Raffle"
        assert [p["is_progressive"] for p in event["pots"]] == [False]
    assert all(e["timestamp_end"] is None for e in factory.trait("open_ended").batch(20))
    for event in factory.trait("not_started").batch(20):
        assert event["timestamp_start"] is None and event["status"] == "Pending"
    for event in factory.trait("ended").batch(20):
        assert event["timestamp_start"] < event["timestamp_end"] <= event["last_updated"]
        assert event["status"] == "Closed"


def test_raffle_win_traits() -> None:
    factory = RaffleWinEventFactory.seeded(3)
    assert all(e["winners"] == [] for e in factory.trait("no_winners").batch(5))
    legacy = factory.trait("legacy_winners").build()
    assert all(isinstance(w, list) and set(w[1]) == {"currency", "value"} for w in legacy["winners"])
    assert [v.rule for v in validate(legacy, "RaffleWinEvent")][:1] == ["legacy_tuple"]
    assert validate(legacy, "RaffleWinEvent", strict=True, allow_legacy_winners=True) == []
    assert factory.trait("legacy_winners").legacy_winners and not factory.legacy_winners


def test_other_traits() -> None:
    assert not factory_for("OptInEvent").seeded(1).trait("opted_out").build()["opted_in"]
    empty = factory_for("OptInEvent").seeded(1).trait("no_contributions").build()
    assert (empty["contribution_count"], empty["contribution_value"]) == (0, 0)
    for name in ("CommunityPayoutErrorEvent", "RafflePayoutErrorEvent"):
        assert len(factory_for(name).seeded(1).trait("failures", n=4).build()["failed_payouts"]) == 4
    assert factory_for("PotTicker").seeded(1).trait("fixed").build()["is_progressive"] is False


@pytest.mark.parametrize(("name", "trait"), [(n, t) for n, traits in TRAITS.items() for t in traits])
def test_every_trait_makes_valid_events(name: str, trait: str) -> None:
    factory = factory_for(name).seeded(5).trait(trait)
    if name in EVENT_TYPES:
        legacy = (name, trait) in LEGACY_TRAITS
        for event in factory.batch(30):
            assert validate(event, name, strict=True, allow_legacy_winners=legacy, semantic=not legacy) == []


def test_an_unknown_trait_lists_the_factorys_traits() -> None:
    with pytest.raises(UnknownTraitError) as raised:
        WinEventFactory.trait("witheld")
    assert str(raised.value) == (
        "WinEvent has no trait 'witheld'. Did you mean 'withheld' or 'with_metadata'? "
        "Its traits: withheld, with_metadata, without_metadata, community(n=3)."
    )


def test_a_wrong_trait_parameter_is_a_clear_error() -> None:
    with pytest.raises(UnknownTraitError, match=r"WinEvent trait 'community' takes n, not count\."):
        WinEventFactory.trait("community", count=2)
    with pytest.raises(UnknownTraitError, match="WinEvent trait 'withheld' takes no parameters, not n"):
        WinEventFactory.trait("withheld", n=2)
    with pytest.raises(UnknownTraitError, match="n must be a whole number >= 0, not -1"):
        WinEventFactory.trait("community", n=-1)


def test_traits_are_listed_on_the_factory_and_its_bound_forms() -> None:
    assert list(WinEventFactory.traits) == ["withheld", "with_metadata", "without_metadata", "community"]
    assert WinEventFactory.seeded(1).traits is WinEventFactory.traits
    assert WinEventFactory.traits["community"].signature == "community(n=3)"


# --- coverage() ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*EVENT_TYPES, *STRUCTURE_TYPES])
def test_coverage_takes_every_branch_and_is_valid(name: str) -> None:
    events = FACTORIES[name].coverage()
    wanted = {(parts, option) for parts, options in branches(name) for option in options}
    seen = set().union(*(observed(name, e) for e in events))
    assert wanted <= seen
    assert len(events) <= 4
    if name in EVENT_TYPES:
        assert [v for e in events for v in validate(e, name, strict=True, semantic=True)] == []


def test_coverage_branches_are_read_from_the_spec() -> None:
    found = dict(branches("JackpotUpdateEvent"))
    assert found[("jackpot_type",)] == ('"Jackpot"', '"Raffle"')
    assert found[("timestamp_start",)] == ("value", "null")
    assert found[("pots",)] == ("non-empty", "empty")
    assert found[("pots", "*", "is_progressive")] == ("true", "false")
    assert dict(branches("WinEvent"))[("metadata",)] == ("value", "null")


def test_coverage_is_deterministic() -> None:
    assert WinEventFactory.coverage() == WinEventFactory.coverage()
    metadata = [e["metadata"] for e in WinEventFactory.coverage()]
    assert None in metadata and any(isinstance(m, dict) for m in metadata)


def test_traits_passed_as_a_field_point_to_trait() -> None:
    with pytest.raises(UnknownFieldError, match=r"Traits are not fields: apply one with WinEventFactory\.trait\(name, \*\*params\)\."):
        WinEventFactory.build(traits=["withheld"])

"""identify() and identification(): one rule tells an event's type from its top-level keys."""

from __future__ import annotations

from itertools import chain

import orjson
import pytest
from _validation_samples import valid_event
from hypothesis import given
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES, IdentifyError, OptInEventFactory, identify
from pytest_thrillpots.spec import Identification, identification, spec
from pytest_thrillpots.spec._identify import best_fit

FIELDS = {name: tuple(spec(name).fields) for name in EVENT_TYPES}
ALL_FIELDS = sorted(set(chain.from_iterable(FIELDS.values())))


def test_identify_reads_json_text() -> None:
    event = OptInEventFactory.seeded(1).build()
    assert identify(orjson.dumps(event)) == "OptInEvent"
    assert identify(orjson.dumps(event).decode()) == "OptInEvent"
    with pytest.raises(IdentifyError, match=r"the payload is not valid JSON \(unexpected end of data"):
        identify(b"{")
    with pytest.raises(IdentifyError, match="cannot identify the event type of a list: an event is a JSON object"):
        identify(b"[]")


def test_a_json_string_is_not_read_twice() -> None:
    text = orjson.dumps(orjson.dumps(valid_event("OptInEvent")).decode())
    with pytest.raises(IdentifyError, match="cannot identify the event type of a str: an event is a JSON object"):
        identify(text)


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_complete_event_is_its_own_type(event_type: str) -> None:
    assert identify(valid_event(event_type)) == event_type
    assert identification(valid_event(event_type)) == Identification(event_type, listed=len(FIELDS[event_type]))


def test_a_key_only_one_type_lists_decides_over_a_smaller_complete_type() -> None:
    """A CommunityPayoutErrorEvent without gameround_id still has tx_credit_id: not a RafflePayoutErrorEvent."""
    event = valid_event("CommunityPayoutErrorEvent")
    del event["gameround_id"]
    assert identification(event) == Identification("CommunityPayoutErrorEvent", missing=("gameround_id",), listed=3)
    with pytest.raises(IdentifyError) as raised:
        identify(event)
    assert str(raised.value) == (
        "cannot identify the event type: no event type has all of its fields here "
        "(closest: CommunityPayoutErrorEvent lacks gameround_id)"
    )


def test_between_types_listing_as_many_keys_the_fewest_missing_fields_wins() -> None:
    # instance_id is in five types; RafflePayoutErrorEvent misses the fewest fields.
    assert identification({"instance_id": "i"}) == Identification(
        "RafflePayoutErrorEvent", missing=("failed_payouts",), listed=1
    )
    # A RaffleWinEvent's fields are all in WinEvent but winners; without winners, WinEvent lists as many.
    raffle = valid_event("RaffleWinEvent")
    del raffle["winners"]
    found = identification(raffle)
    assert (found.event_type, found.listed) == ("RaffleWinEvent", 7)
    assert found.missing == ("winners",)


def test_unknown_keys_count_for_no_type() -> None:
    assert identify({**valid_event("WinEvent"), "region": "eu", "opted_in": True}) == "WinEvent"
    found = identification({"kind": "heartbeat"})
    assert found == Identification(None)
    assert found.problem == (
        "cannot identify the event type: the payload has none of the fields of JackpotUpdateEvent, WinEvent, "
        "RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, RafflePayoutErrorEvent"
    )


TABLE_WITH_A_TIE = (("Left", ("id", "left", "shared")), ("Right", ("id", "right", "shared")), ("Small", ("id",)))
LISTERS = {"id": (0, 1, 2), "left": (0,), "right": (1,), "shared": (0, 1)}


def test_types_that_fit_equally_well_are_a_tie_never_settled_by_order() -> None:
    assert best_fit(("id", "shared"), LISTERS, TABLE_WITH_A_TIE) == Identification(
        None, tied=("Left", "Right"), listed=2
    )
    assert best_fit(("id", "shared", "left"), LISTERS, TABLE_WITH_A_TIE) == Identification("Left", listed=3)
    assert best_fit(("id",), LISTERS, TABLE_WITH_A_TIE) == Identification("Small", listed=1)


def test_a_tie_says_which_types_and_how(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two real types of equal size do not exist in the spec today: give the message two that are.
    found = Identification(None, tied=("CommunityPayoutErrorEvent", "RafflePayoutErrorEvent"), listed=1)
    monkeypatch.setattr("pytest_thrillpots.spec._identify.spec", lambda name: spec("CommunityPayoutErrorEvent"))
    assert found.problem == (
        "cannot identify the event type: CommunityPayoutErrorEvent and RafflePayoutErrorEvent fit the payload "
        "equally well (each lists 1 of the payload's keys and lacks 3 of its own fields); name the type "
        "explicitly (event_type=... or --type)"
    )


def reference(keys: set[str]) -> Identification:
    """The rule as written in docs/spec.md, over sets, for the precomputed table to agree with."""
    listed = {name: len(set(fields) & keys) for name, fields in FIELDS.items()}
    most = max(listed.values())
    if most == 0:
        return Identification(None)
    best = [n for n in EVENT_TYPES if listed[n] == most]
    fewest = min(len(FIELDS[n]) - most for n in best)
    best = [n for n in best if len(FIELDS[n]) - most == fewest]
    if len(best) > 1:
        return Identification(None, tied=tuple(best), listed=most)
    (name,) = best
    return Identification(name, missing=tuple(f for f in FIELDS[name] if f not in keys), listed=most)


@given(keys=st.lists(st.sampled_from([*ALL_FIELDS, "extra", "note"]), unique=True))
def test_the_precomputed_rule_is_the_rule_for_any_keys(keys: list[str]) -> None:
    payload = dict.fromkeys(keys, 1)
    found = identification(payload)
    assert found == reference(set(keys))
    if found.complete:
        assert identify(payload) == found.event_type
    else:
        with pytest.raises(IdentifyError) as raised:
            identify(payload)
        assert str(raised.value) == found.problem


def test_the_answer_does_not_depend_on_the_key_order() -> None:
    event = valid_event("WinEvent")
    assert identification(dict(reversed(event.items()))) == identification(event)

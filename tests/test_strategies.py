"""Hypothesis strategies: every drawn event valid, overrides, shrinking, the optional extra."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES, UnknownFieldError, validate
from pytest_thrillpots import strategies as tps

STRATEGIES = {
    "JackpotUpdateEvent": tps.jackpot_update_events,
    "WinEvent": tps.win_events,
    "RaffleWinEvent": tps.raffle_win_events,
    "OptInEvent": tps.opt_in_events,
    "CommunityPayoutErrorEvent": tps.community_payout_error_events,
    "RafflePayoutErrorEvent": tps.raffle_payout_error_events,
}


def test_there_is_one_strategy_per_event() -> None:
    assert list(STRATEGIES) == list(EVENT_TYPES)


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_every_drawn_event_is_valid(name: str) -> None:
    @settings(max_examples=150, deadline=None)
    @given(STRATEGIES[name]())
    def check(event: dict) -> None:
        assert validate(event, name, strict=True, semantic=True) == []

    check()


@given(tps.win_events(jackpot_currency="GBP", seed=st.integers(0, 9), community_winners__0__win_amount=12.5))
@settings(max_examples=50, deadline=None)
def test_overrides_take_values_and_strategies(event: dict) -> None:
    assert event["jackpot_currency"] == "GBP"
    assert 0 <= event["seed"] <= 9
    assert event["community_winners"][0]["win_amount"] == 12.5
    assert validate(event, "WinEvent", strict=True, semantic=True) == []


@given(tps.events("PotTicker"))
@settings(max_examples=30, deadline=None)
def test_structures_have_strategies_too(pot: dict) -> None:
    assert set(pot) == {"id", "is_progressive", "current_value"}


def test_an_unknown_override_fails_at_once() -> None:
    with pytest.raises(UnknownFieldError, match="Did you mean 'jackpot_name'"):
        tps.win_events(jackpot_nme="x")


def test_events_shrink_towards_small_ones() -> None:
    from hypothesis import find

    smallest = find(tps.win_events(), lambda event: True, settings=settings(database=None))
    assert smallest["community_winners"] == [] and smallest["games_in_jackpot"] == []
    assert smallest["metadata"] is None
    with_pots = find(
        tps.jackpot_update_events(), lambda e: len(e["pots"]) >= 2, settings=settings(database=None, max_examples=500)
    )
    assert with_pots["allowed_brands"] == [] and with_pots["allowed_sources"] == []
    assert with_pots["timestamp_start"] is None and with_pots["timestamp_end"] is None


def test_without_hypothesis_the_import_error_names_the_extra() -> None:
    code = textwrap.dedent(
        """
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "hypothesis" or name.startswith("hypothesis."):
                    raise ImportError("No module named 'hypothesis'")
        sys.meta_path.insert(0, Block())
        try:
            import pytest_thrillpots.strategies
        except ImportError as exc:
            print(exc)
        """
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == (
        "pytest_thrillpots.strategies needs Hypothesis, an optional extra: pip install pytest-thrillpots[hypothesis]"
    )

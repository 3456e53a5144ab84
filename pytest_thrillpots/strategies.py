"""Hypothesis strategies for the six events: every drawn event is valid, and shrinks small.

``win_events(jackpot_currency="GBP")`` takes the factories' overrides (values or strategies).
The events come from the factories' own producers, driven by a Hypothesis-controlled random
source, so they are as realistic as the factories' and shrink towards small events: empty
arrays, null where the spec allows it, the first value of each pool. Needs the optional
``hypothesis`` extra: ``pip install pytest-thrillpots[hypothesis]``.
"""

from __future__ import annotations

from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise ImportError(
        "pytest_thrillpots.strategies needs Hypothesis, an optional extra: pip install pytest-thrillpots[hypothesis]"
    ) from exc

from pytest_thrillpots._errors import raised_at_the_call
from pytest_thrillpots.factories import factory_for
from pytest_thrillpots.factories._draft import Settings
from pytest_thrillpots.factories._engine import build_with, check_override
from pytest_thrillpots.factories._provider import pools_for
from pytest_thrillpots.spec._paths import from_keyword

POOL_SEEDS = 8
"""How many seeds' pools (brands, players, jackpots) the strategies draw from; shrinks to the first."""

__all__ = [
    "community_payout_error_events",
    "events",
    "jackpot_update_events",
    "opt_in_events",
    "raffle_payout_error_events",
    "raffle_win_events",
    "win_events",
]


@raised_at_the_call
def events(event_type: str, **overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid ``event_type`` events (or structures: ``"PotTicker"``) with ``overrides`` applied.

    An override value may be a strategy: ``win_events(seed=st.integers(0, 10))``.
    """
    name = factory_for(event_type).name
    fixed: list[tuple[tuple[Any, ...], Any]] = []
    drawn: list[tuple[tuple[Any, ...], st.SearchStrategy[Any]]] = []
    for key, value in overrides.items():
        parts = check_override(name, from_keyword(key), key)
        (drawn if isinstance(value, st.SearchStrategy) else fixed).append((parts, value))

    @st.composite
    def draw_event(draw: st.DrawFn) -> dict[str, Any]:
        pools = pools_for(draw(st.integers(0, POOL_SEEDS - 1)))
        rng = draw(st.randoms(use_true_random=False))
        values = [*fixed, *((parts, draw(strategy)) for parts, strategy in drawn)]
        values.sort(key=lambda pair: len(pair[0]))
        return build_with(name, rng, pools, Settings(values=tuple(values)), wide=True)

    return draw_event()


def jackpot_update_events(**overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid JackpotUpdateEvents."""
    __tracebackhide__ = True
    return events("JackpotUpdateEvent", **overrides)


def win_events(**overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid WinEvents."""
    __tracebackhide__ = True
    return events("WinEvent", **overrides)


def raffle_win_events(**overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid RaffleWinEvents (canonical winners)."""
    __tracebackhide__ = True
    return events("RaffleWinEvent", **overrides)


def opt_in_events(**overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid OptInEvents."""
    __tracebackhide__ = True
    return events("OptInEvent", **overrides)


def community_payout_error_events(**overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid CommunityPayoutErrorEvents."""
    __tracebackhide__ = True
    return events("CommunityPayoutErrorEvent", **overrides)


def raffle_payout_error_events(**overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid RafflePayoutErrorEvents."""
    __tracebackhide__ = True
    return events("RafflePayoutErrorEvent", **overrides)

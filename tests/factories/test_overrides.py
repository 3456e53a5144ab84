"""An override changes its own field, not the draws after it."""

from __future__ import annotations

import pytest

from pytest_thrillpots import (
    Factory,
    OptInEventFactory,
    RaffleWinEventFactory,
    WinEventFactory,
)

# --- An override changes its own field, not the draws after it ------------------------------------


@pytest.mark.parametrize(
    ("factory", "overrides"),
    [
        (WinEventFactory, {"timestamp": 1_750_000_000_000}),
        (RaffleWinEventFactory, {"timestamp": 1_750_000_000_000}),
        (OptInEventFactory, {"last_updated": 1_750_000_000_000}),
        (WinEventFactory, {"player_id": "p-1", "seed": 7}),
    ],
    ids=repr,
)
def test_an_override_changes_only_its_field(factory: type[Factory], overrides: dict[str, object]) -> None:
    for seed in range(5):
        plain = factory.seeded(seed).build()
        assert factory.seeded(seed).build(**overrides) == {**plain, **overrides}

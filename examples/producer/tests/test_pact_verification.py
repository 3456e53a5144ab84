"""The reference producer honours every consumer's pact (the file-only workflow)."""

from __future__ import annotations

from thrillpots_producer.pact_provider import PRODUCER, STATES, a_running_jackpot_with_pots

from pytest_thrillpots import assert_valid, verify_pacts


def test_the_producer_honours_every_consumer_pact():
    result = verify_pacts(PRODUCER, states=STATES)
    assert result.consumers == ["crm", "lobby_widget", "payout_ops", "wallet_service"]
    assert all(interaction.passed for interaction in result.interactions)


def test_every_event_the_producer_builds_is_valid():
    states = {
        "a progressive jackpot win": {"brand_id": "brand-7"},
        "a raffle was drawn": {"winners": 2},
        "a player opted in": {"contributions": 2},
    }
    jackpot_in_catalogue = a_running_jackpot_with_pots({"pot_count": 2})
    next(jackpot_in_catalogue)
    try:
        for event_type, build in PRODUCER.items():
            assert_valid(build("any", states), event_type, strict=True)
    finally:
        next(jackpot_in_catalogue, None)

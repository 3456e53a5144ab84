"""What payout operations read of failed payouts: its pact with the producer."""

from __future__ import annotations

from payout_ops import RetryQueue


def test_queues_each_failed_community_payout(thrillpots_pact):
    event = thrillpots_pact.expects(
        "CommunityPayoutErrorEvent",
        "community payouts that failed",
        given={"community payouts failed": {"failed": 2}},
        fields=["gameround_id", "tx_credit_id", "failed_payouts"],
    )
    queue = RetryQueue()
    thrillpots_pact.verify(queue.on_community_payout_error)
    assert [job["player_id"] for job in queue.jobs] == [p["player_id"] for p in event["failed_payouts"]]


def test_queues_each_failed_raffle_payout(thrillpots_pact):
    thrillpots_pact.expects(
        "RafflePayoutErrorEvent",
        "raffle payouts that failed",
        given="raffle payouts failed",
        fields=["instance_id", "failed_payouts[*].player_id", "failed_payouts[*].currency", "failed_payouts[*].win_amount"],
    )
    queue = RetryQueue()
    thrillpots_pact.verify(queue.on_raffle_payout_error)
    assert queue.jobs and all(job["kind"] == "raffle" for job in queue.jobs)

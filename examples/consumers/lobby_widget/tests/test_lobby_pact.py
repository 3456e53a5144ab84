"""What the lobby widget reads of jackpot updates: its pact with the producer."""

from __future__ import annotations

from lobby import ticker_lines


def test_shows_each_pot_of_a_running_jackpot(thrillpots_pact):
    event = thrillpots_pact.expects(
        "JackpotUpdateEvent",
        "an update of a running jackpot",
        given={"a running jackpot with pots": {"pot_count": 3}},
        fields=[
            "id",
            "jackpot_type",
            "currency",
            "timestamp_end",
            "pots[*].id",
            "pots[*].is_progressive",
            "pots[*].current_value",
        ],
        status="running",
    )
    shown: list[list[str]] = []
    thrillpots_pact.verify(lambda update: shown.append(ticker_lines(update)))
    assert shown[0][0].endswith(event["currency"])

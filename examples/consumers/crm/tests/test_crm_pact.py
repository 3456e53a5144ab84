"""What the CRM reads of opt-ins: its pact with the producer."""

from __future__ import annotations

from crm import Profiles

FIELDS = ["player_id", "player_brand_id", "contribution_count", "contribution_value"]


def test_records_an_opt_in(thrillpots_pact):
    event = thrillpots_pact.expects(
        "OptInEvent", "a player opts in", given={"a player opted in": {"contributions": 2}}, fields=FIELDS, opted_in=True
    )
    profiles = Profiles()
    thrillpots_pact.verify(profiles.on_opt_in_event)
    assert profiles.opted_in[(event["player_brand_id"], event["player_id"])] is True


def test_records_an_opt_out(thrillpots_pact):
    event = thrillpots_pact.expects(
        "OptInEvent", "a player opts out", given="a player opted out", fields=FIELDS, opted_in=False
    )
    profiles = Profiles()
    thrillpots_pact.verify(profiles.on_opt_in_event)
    assert profiles.opted_in[(event["player_brand_id"], event["player_id"])] is False

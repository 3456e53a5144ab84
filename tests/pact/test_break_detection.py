"""Break detection, proven: mutants of the reference producer against the committed pacts.

Each breaking change to the producer (a field a consumer reads dropped, renamed, retyped, null
where the spec forbids it, an array item emptied of its shape) must fail verification with a
message naming the path; each change no consumer can see must pass. The matrix is the table in
docs/pact.md (between the break-matrix markers), and this test keeps the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from _pact_support import PACTS, REPO, reference_producer

from pytest_thrillpots import verify_pacts

Event = dict[str, Any]


@dataclass(frozen=True)
class Mutant:
    name: str
    event_type: str
    change: str
    mutate: Callable[[Event], Event]
    breaks: bool
    path: str = ""
    """The path the failure must name (breaking mutants)."""


def _items(field: str, fn: Callable[[Event], Event]) -> Callable[[Event], Event]:
    return lambda event: {**event, field: [fn(dict(item)) for item in event[field]]}


def _without(*names: str) -> Callable[[Event], Event]:
    return lambda item: {k: v for k, v in item.items() if k not in names}


def _rename(old: str, new: str) -> Callable[[Event], Event]:
    return lambda event: {(new if k == old else k): v for k, v in event.items()}


def _set(name: str, value: Any) -> Callable[[Event], Event]:
    return lambda event: {**event, name: value}


MUTANTS = [
    Mutant(
        "drop a field a consumer reads", "WinEvent", "community winners lose `win_amount`",
        _items("community_winners", _without("win_amount")), True, "community_winners[0].win_amount",
    ),
    Mutant(
        "rename a field", "OptInEvent", "`player_id` becomes `playerId`",
        _rename("player_id", "playerId"), True, "player_id",
    ),
    Mutant(
        "change a field's type", "JackpotUpdateEvent", "pot values sent as strings (`\"1042.50\"`)",
        _items("pots", lambda pot: {**pot, "current_value": f"{pot['current_value']:.2f}"}), True,
        "pots[0].current_value",
    ),
    Mutant(
        "null where not allowed", "CommunityPayoutErrorEvent", "`tx_credit_id` is null",
        _set("tx_credit_id", None), True, "tx_credit_id",
    ),
    Mutant(
        "empty a required array item shape", "RaffleWinEvent", "each winner is `{}`",
        _items("winners", lambda item: {}), True, "winners[0].player_id",
    ),
    Mutant(
        "empty a required array", "RafflePayoutErrorEvent", "`failed_payouts` is `[]`",
        _set("failed_payouts", []), True, "failed_payouts",
    ),
    Mutant(
        "a value outside an enum", "JackpotUpdateEvent", "`jackpot_type` is `\"Lottery\"`",
        _set("jackpot_type", "Lottery"), True, "jackpot_type",
    ),
    Mutant(
        "a pinned value changed", "WinEvent", "`brand_id` ignores the state's brand",
        _set("brand_id", "brand-1"), True, "brand_id",
    ),
    Mutant(
        "a nullable object always null", "WinEvent", "`metadata` is always null",
        _set("metadata", None), True, "metadata",
    ),
    Mutant(
        "a nullable object never null", "WinEvent", "`metadata` is never null",
        lambda event: {**event, "metadata": event["metadata"] or {"campaign": "spring-drop"}}, True, "metadata",
    ),
    Mutant(
        "add a field", "WinEvent", "a new `jackpot_tier` field, and `rank` in each winner",
        lambda event: _items("community_winners", lambda w: {**w, "rank": 1})({**event, "jackpot_tier": "gold"}),
        False,
    ),
    Mutant(
        "change a field no consumer reads", "WinEvent", "`seed` sent as a string, `games_in_jackpot` dropped",
        lambda event: _without("games_in_jackpot")({**event, "seed": "abc"}), False,
    ),
    Mutant(
        "change a field no consumer reads", "JackpotUpdateEvent", "`allowed_sources` is null",
        _set("allowed_sources", None), False,
    ),
    Mutant(
        "null where the spec allows it", "JackpotUpdateEvent", "`timestamp_end` is null",
        _set("timestamp_end", None), False,
    ),
    Mutant(
        "reorder keys", "every event", "keys in reverse order",
        lambda event: dict(reversed(list(event.items()))), False,
    ),
    Mutant(
        "more array items", "CommunityPayoutErrorEvent", "`failed_payouts` repeated three times",
        lambda event: {**event, "failed_payouts": event["failed_payouts"] * 3}, False,
    ),
]


def mutated_producer(mutant: Mutant) -> dict[str, Callable[[str, dict[str, Any]], Event]]:
    producer = dict(reference_producer().PRODUCER)
    targets = list(producer) if mutant.event_type == "every event" else [mutant.event_type]
    for event_type in targets:
        original = producer[event_type]
        producer[event_type] = lambda description, states, _build=original: mutant.mutate(_build(description, states))
    return producer


def verdict(mutant: Mutant) -> tuple[bool, str]:
    """(failed?, the first line naming a path) of verifying the mutant against every pact."""
    try:
        verify_pacts(mutated_producer(mutant), sources=PACTS, states=reference_producer().STATES)
    except AssertionError as failure:
        lines = [line.strip() for line in str(failure).splitlines() if line.startswith("  ")]
        return True, lines[0] if lines else str(failure)
    return False, ""


def matrix() -> str:
    rows = ["| Change to the producer | Event | Mutation | Verification | First failure line |", "|---|---|---|---|---|"]
    for mutant in MUTANTS:
        failed, line = verdict(mutant)
        outcome = "fails" if failed else "passes"
        rows.append(f"| {mutant.name} | {mutant.event_type} | {mutant.change} | {outcome} | {f'`{line}`' if line else ''} |")
    return "\n".join(rows)


@pytest.mark.parametrize("mutant", [m for m in MUTANTS if m.breaks], ids=lambda m: f"{m.event_type}-{m.name}")
def test_a_breaking_change_fails_naming_the_path(mutant: Mutant) -> None:
    with pytest.raises(AssertionError) as failure:
        verify_pacts(mutated_producer(mutant), sources=PACTS, states=reference_producer().STATES)
    message = str(failure.value)
    assert re.search(rf"^  {re.escape(mutant.path)}: ", message, re.M), message
    assert message.startswith("Pact verification of thrillpots failed: ")


@pytest.mark.parametrize("mutant", [m for m in MUTANTS if not m.breaks], ids=lambda m: f"{m.event_type}-{m.name}")
def test_a_change_no_consumer_sees_passes(mutant: Mutant) -> None:
    result = verify_pacts(mutated_producer(mutant), sources=PACTS, states=reference_producer().STATES)
    assert result.interactions and all(i.passed for i in result.interactions)


def test_the_docs_show_the_current_matrix() -> None:
    page = (REPO / "docs" / "pact.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- break-matrix:start -->\n(.*?)\n<!-- break-matrix:end -->", page, re.S)
    assert found, "docs/pact.md lacks the <!-- break-matrix:start --> ... <!-- break-matrix:end --> block"
    assert found[1].strip() == matrix(), f"docs/pact.md's break matrix is out of date; it is now:\n{matrix()}"

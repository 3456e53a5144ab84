"""Benchmark: assert_events_equal against dict ==, and how ignore_order scales.

Contenders run side by side in one process, interleaved round by round (each round reverses the
order, so drift hits everyone alike), and each result is the median of the rounds. Times are the
process's CPU time, so other load on a shared machine does not skew them; the inputs are frozen
out of the garbage collector's scans (``gc.freeze``), so its cost does not grow with them. The result is ratios:

- ``equal vs ==``: ``assert_events_equal(actual, expected)`` on equal WinEvents (separate objects,
  as a test holds them: one built, one parsed from JSON) against ``actual == expected`` on the same
  pairs, inline. Target: at most 3x.
- ``equal, keys reordered vs ==``: the same with the expected side's keys in another order (the
  C-speed check sees different bytes, so the walk decides). Shown, no target.
- ``ignore_order 2n vs n``: an array of n winners, shuffled, a tenth of them changed, compared with
  ``ignore_order=True``, at n and at 2n items. Near-linear is about 2x; target: at most 2.6x. The
  report must name exactly the changed fields, or the benchmark stops.

    python benchmarks/bench_assertions.py [--events 20000] [--rounds 5] [--items 10000]
"""

from __future__ import annotations

import argparse
import copy
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson

from pytest_thrillpots import assert_events_equal
from pytest_thrillpots._assertions import event_differences

TARGETS = {"equal vs ==": 3.0, "ignore_order 2n vs n": 2.6}
CURRENCIES = ("EUR", "GBP", "ZAR", "NZD", "SEK")


def win_event(rng: random.Random, index: int) -> dict[str, Any]:
    """A valid WinEvent of realistic size (kept here: the benchmark depends on nothing but the spec)."""
    brand = f"brand-{rng.randrange(20)}"
    multipliers: dict[str, Any] = {c: round(rng.uniform(0.5, 20), 4) for c in CURRENCIES}
    return {
        "brand_id": brand,
        "player_id": f"player-{rng.randrange(1_000_000)}",
        "source_id": f"src-{rng.randrange(50)}",
        "instance_id": f"inst-{rng.randrange(10_000)}",
        "jackpot_name": rng.choice(["Mega", "Daily Drop", "Hourly", "Community Pot"]),
        "jackpot_currency": rng.choice(CURRENCIES),
        "timestamp": 1_700_000_000 + index,
        "win_pot_id": f"pot-{rng.randrange(8)}",
        "currency_multipliers": {"brand_id": brand, "base_currency": "EUR", "multipliers": multipliers},
        "win_withheld": rng.random() < 0.05,
        "community_winners": [winner(rng, brand, i) for i in range(rng.randrange(6))],
        "games_in_jackpot": [f"game-{rng.randrange(300)}" for _ in range(rng.randrange(1, 5))],
        "seed": rng.randrange(2**31),
        "metadata": None if rng.random() < 0.5 else {"campaign": "winter", "round": rng.randrange(100)},
    }


def winner(rng: random.Random, brand: str, index: int) -> dict[str, Any]:
    return {
        "player_id": f"player-{index}",
        "brand_id": brand,
        "currency": rng.choice(CURRENCIES),
        "win_amount": round(rng.uniform(0.1, 500), 2),
    }


def equal_pairs(count: int, *, reorder: bool) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(2024)
    pairs = []
    for index in range(count):
        actual = win_event(rng, index)
        expected = orjson.loads(orjson.dumps(actual))
        if reorder:
            expected = dict(reversed(expected.items()))
        pairs.append((actual, expected))
    return pairs


def shuffled_with_changes(items: int) -> tuple[dict[str, Any], dict[str, Any], int]:
    """Expected and actual events with ``items`` winners, shuffled, one in ten changed."""
    rng = random.Random(7)
    winners = [winner(rng, "brand-1", i) for i in range(items)]
    actual = copy.deepcopy(winners)
    rng.shuffle(actual)
    changed = rng.sample(range(items), items // 10)
    for position in changed:
        actual[position]["win_amount"] += 1
    return {"community_winners": actual}, {"community_winners": winners}, len(changed)


def cpu_seconds(run: Callable[[], None]) -> float:
    gc.collect()  # each run starts with the same heap: one run's garbage is not the next one's cost
    start = time.process_time()
    run()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000, help="equal WinEvent pairs (default 20000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; medians are reported (default 5)")
    parser.add_argument("--items", type=int, default=10_000, help="n, the winners of the ignore_order case")
    args = parser.parse_args(argv)

    same_order = equal_pairs(args.events, reorder=False)
    reordered = equal_pairs(args.events, reorder=True)
    small = shuffled_with_changes(args.items)
    large = shuffled_with_changes(2 * args.items)

    def dict_eq(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> Callable[[], None]:
        def run() -> None:
            for actual, expected in pairs:
                assert actual == expected

        return run

    def ours(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> Callable[[], None]:
        def run() -> None:
            for actual, expected in pairs:
                assert_events_equal(actual, expected)

        return run

    def unordered(case: tuple[dict[str, Any], dict[str, Any], int]) -> Callable[[], None]:
        actual, expected, changed = case

        def run() -> None:
            differences = event_differences(actual, expected, ignore_order=True)
            if len(differences) != changed or any(path[-1] != "win_amount" for path, _, _ in differences):
                raise SystemExit(f"benchmark broken: {len(differences)} differences for {changed} changed items")

        return run

    contenders: dict[str, Callable[[], None]] = {
        "dict ==": dict_eq(same_order),
        "assert_events_equal": ours(same_order),
        "dict ==, keys reordered": dict_eq(reordered),
        "assert_events_equal, keys reordered": ours(reordered),
        f"ignore_order, {args.items} items": unordered(small),
        f"ignore_order, {2 * args.items} items": unordered(large),
    }
    for run in contenders.values():  # warm-up: caches, imports
        run()
    # The inputs (hundreds of thousands of objects) are the benchmark's, not a test's: frozen, the
    # garbage collector does not scan them, so a full collection costs what it would in a test run.
    gc.freeze()
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    for round_number in range(args.rounds):
        order = list(contenders.items())
        if round_number % 2:
            order.reverse()
        for name, run in order:
            seconds[name].append(cpu_seconds(run))
    median = {name: statistics.median(values) for name, values in seconds.items()}

    print(
        f"{args.events} equal WinEvent pairs, ignore_order on {args.items} and {2 * args.items} winners, "
        f"{args.rounds} rounds (medians of CPU time)"
    )
    ratios = {
        "equal vs ==": median["assert_events_equal"] / median["dict =="],
        "equal, keys reordered vs ==": median["assert_events_equal, keys reordered"]
        / median["dict ==, keys reordered"],
        "ignore_order 2n vs n": median[f"ignore_order, {2 * args.items} items"]
        / median[f"ignore_order, {args.items} items"],
    }
    print(f"\n{'ratio':<30} {'measured':>9} {'target':>8}")
    met = True
    for name, value in ratios.items():
        target = TARGETS.get(name)
        if target is None:
            print(f"{name:<30} {value:>8.2f}x {'-':>8}")
            continue
        ok = value <= target
        met &= ok
        print(f"{name:<30} {value:>8.2f}x {target:>7.1f}x  {'met' if ok else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

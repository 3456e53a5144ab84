"""Benchmark: validating WinEvents from NDJSON bytes, against the reference and the parse floor.

Three contenders run on the same generated NDJSON, interleaved round by round, and each result is
the median of the rounds:

- ``thrillpots``: this project's path, ``validate(line, "WinEvent")`` on each line's bytes
  (orjson parse, the compiled engine's ``is_valid``, details only for invalid events);
- ``jsonschema``: the reference implementation, ``Draft202012Validator`` on the same schema files,
  ``orjson.loads`` + ``is_valid`` (valid events) or + ``list(iter_errors)`` (invalid events, every
  violation collected, as ``validate`` does);
- ``orjson floor``: ``orjson.loads`` of each line and nothing else: no validator can be faster.

jsonschema is about a hundred times slower, so it runs on the first ``--reference-events`` lines
of the same stream (its rate is per event, so the ratio is unaffected). Times are the process's CPU
time, so other load on a shared machine does not skew them. The result is the ratios.

    python benchmarks/bench_validate.py [--events 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson

from pytest_thrillpots import validate
from pytest_thrillpots.spec import raw_schemas

TARGETS = {"valid vs jsonschema": 60.0, "valid vs orjson floor": 0.5, "invalid vs jsonschema": 40.0}
CURRENCIES = ("EUR", "GBP", "ZAR", "NZD", "SEK")


def win_event(rng: random.Random, index: int) -> dict[str, Any]:
    """A valid WinEvent of realistic size (kept here: the benchmark depends on nothing but the spec)."""
    brand = f"brand-{rng.randrange(20)}"
    multipliers: dict[str, Any] = {c: round(rng.uniform(0.5, 20), 4) for c in CURRENCIES}
    if rng.random() < 0.3:
        multipliers["USD"] = round(rng.uniform(0.5, 2), 4)
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
        "community_winners": [
            {
                "player_id": f"player-{rng.randrange(1_000_000)}",
                "brand_id": brand,
                "currency": rng.choice(CURRENCIES),
                "win_amount": round(rng.uniform(0.1, 500), 2),
            }
            for _ in range(rng.randrange(6))
        ],
        "games_in_jackpot": [f"game-{rng.randrange(300)}" for _ in range(rng.randrange(1, 5))],
        "seed": rng.randrange(2**31),
        "metadata": None if rng.random() < 0.5 else {"campaign": "winter", "round": rng.randrange(100)},
    }


def one_defect(event: dict[str, Any], index: int) -> dict[str, Any]:
    """The event with exactly one violation, a different kind in turn."""
    defects: list[Callable[[dict[str, Any]], None]] = [
        lambda e: e.__setitem__("seed", "12"),
        lambda e: e.pop("player_id"),
        lambda e: e.__setitem__("win_withheld", 1),
        lambda e: e["currency_multipliers"]["multipliers"].__setitem__("EUR", None),
        lambda e: e.__setitem__("metadata", []),
        lambda e: e.__setitem__("games_in_jackpot", [7]),
    ]
    defects[index % len(defects)](event)
    return event


def generate(count: int, *, invalid: bool) -> list[bytes]:
    rng = random.Random(2024)
    lines = []
    for index in range(count):
        event = win_event(rng, index)
        lines.append(orjson.dumps(one_defect(event, index) if invalid else event))
    return lines


def reference_validator() -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    schemas = raw_schemas()
    registry: Any = Registry().with_resources(
        (schema["$id"], DRAFT202012.create_resource(schema)) for schema in schemas.values()
    )
    return Draft202012Validator(schemas["WinEvent"], registry=registry)


def rate(run: Callable[[list[bytes]], int], lines: list[bytes], expect: int) -> float:
    # CPU time of this process: other load on a shared machine slows the wall clock, not this.
    start = time.process_time()
    checked = run(lines)
    elapsed = time.process_time() - start
    if checked != expect:
        raise SystemExit(f"benchmark broken: {checked} of {len(lines)} lines gave the expected verdict")
    return len(lines) / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000, help="WinEvents per stream (default 100000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are reported (default 3)")
    parser.add_argument(
        "--reference-events", type=int, default=3_000, help="lines jsonschema checks per round (default 3000)"
    )
    args = parser.parse_args(argv)

    reference = reference_validator()
    streams = {"valid": generate(args.events, invalid=False), "invalid": generate(args.events, invalid=True)}
    size = sum(map(len, streams["valid"]))
    print(f"{args.events} WinEvents per stream ({size / args.events:.0f} bytes each), {args.rounds} rounds")

    def ours_valid(lines: list[bytes]) -> int:
        return sum(not validate(line, "WinEvent") for line in lines)

    def ours_invalid(lines: list[bytes]) -> int:
        return sum(len(validate(line, "WinEvent")) == 1 for line in lines)

    def reference_valid(lines: list[bytes]) -> int:
        return sum(reference.is_valid(orjson.loads(line)) for line in lines)

    def reference_invalid(lines: list[bytes]) -> int:
        return sum(len(list(reference.iter_errors(orjson.loads(line)))) >= 1 for line in lines)

    def floor(lines: list[bytes]) -> int:
        return sum(orjson.loads(line) is not None for line in lines)

    contenders: dict[str, tuple[Callable[[list[bytes]], int], str, int]] = {
        "thrillpots valid": (ours_valid, "valid", args.events),
        "jsonschema valid": (reference_valid, "valid", args.reference_events),
        "orjson floor": (floor, "valid", args.events),
        "thrillpots invalid": (ours_invalid, "invalid", args.events),
        "jsonschema invalid": (reference_invalid, "invalid", args.reference_events),
    }
    for run, stream, count in contenders.values():  # warm-up: caches, compiled validators
        run(streams[stream][: min(count, 500)])
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    for round_number in range(args.rounds):
        order = list(contenders.items())
        if round_number % 2:
            order.reverse()  # interleaved both ways, so drift (heat, other load) hits everyone alike
        for name, (run, stream, count) in order:
            lines = streams[stream][:count]
            rates[name].append(rate(run, lines, count))
    median = {name: statistics.median(values) for name, values in rates.items()}

    print(f"\n{'contender':<20} {'events/s (median)':>18}   rounds")
    for name, value in median.items():
        print(f"{name:<20} {value:>18,.0f}   " + ", ".join(f"{v:,.0f}" for v in rates[name]))
    ratios = {
        "valid vs jsonschema": median["thrillpots valid"] / median["jsonschema valid"],
        "valid vs orjson floor": median["thrillpots valid"] / median["orjson floor"],
        "invalid vs jsonschema": median["thrillpots invalid"] / median["jsonschema invalid"],
    }
    print(f"\n{'ratio':<24} {'measured':>9} {'target':>8}")
    met = True
    for name, value in ratios.items():
        ok = value >= TARGETS[name]
        met &= ok
        print(f"{name:<24} {value:>8.2f}x {TARGETS[name]:>7.1f}x  {'met' if ok else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

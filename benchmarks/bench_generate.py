"""WinEvents per second: this project's factory, polyfactory, and a plain stdlib generator.

Measured side by side in one run: rounds interleave the three generators and each result is a
ratio of medians, so the machine's speed cancels out. Targets: >= 50x polyfactory's
ModelFactory on an equivalent pydantic model (what users would pick) and >= 0.5x a
stdlib-``random`` generator with no Faker (the ceiling for pure Python).
Run: ``python benchmarks/bench_generate.py``.
"""

from __future__ import annotations

import random
import statistics
import string
import time
import uuid
from collections.abc import Callable
from typing import Any

from polyfactory.factories.pydantic_factory import ModelFactory
from pydantic import BaseModel

from pytest_thrillpots import WinEventFactory, validate

ROUNDS = 7
EVENTS = {"thrillpots": 5_000, "stdlib": 5_000, "polyfactory": 100}
TARGETS = {"polyfactory": 50.0, "stdlib": 0.5}


class PayoutRecord(BaseModel):
    player_id: str
    brand_id: str
    currency: str
    win_amount: float


class Multipliers(BaseModel):
    EUR: float
    GBP: float
    ZAR: float
    NZD: float
    SEK: float


class CurrencyMultipliers(BaseModel):
    brand_id: str
    base_currency: str
    multipliers: Multipliers


class WinEvent(BaseModel):
    brand_id: str
    player_id: str
    source_id: str
    instance_id: str
    jackpot_name: str
    jackpot_currency: str
    timestamp: int
    win_pot_id: str
    currency_multipliers: CurrencyMultipliers
    win_withheld: bool
    community_winners: list[PayoutRecord]
    games_in_jackpot: list[str]
    seed: int
    metadata: dict[str, Any] | None


class WinEventModelFactory(ModelFactory[WinEvent]):
    __model__ = WinEvent


CURRENCIES = ("EUR", "GBP", "ZAR", "NZD", "SEK")
WORDS = ("Golden", "Mega", "Lucky", "Wild", "Royal", "Diamond", "Mystic", "Thunder", "Dragon", "Pharaoh")
NOUNS = ("Treasure", "Riches", "Gems", "Gold", "Spins", "Crown", "Vault", "Empire", "Legends", "Fruits")
START_MS, SPAN_MS = 1_735_689_600_000, 365 * 24 * 3600 * 1000


def stdlib_win_event(rng: random.Random) -> dict[str, Any]:
    """The ceiling: a hand-written generator on ``random`` alone, with realistic-looking values."""
    letters = string.ascii_lowercase + string.digits

    def token(n: int) -> str:
        return "".join(rng.choices(letters, k=n))

    brand = f"{rng.choice(WORDS).lower()}{rng.choice(NOUNS).lower()}"
    base = rng.choice(CURRENCIES)
    return {
        "brand_id": brand,
        "player_id": f"plr_{token(10)}",
        "source_id": f"{token(8)}-eu-{rng.randint(1, 4)}",
        "instance_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "jackpot_name": f"{rng.choice(WORDS)} {rng.choice(NOUNS)} Jackpot",
        "jackpot_currency": rng.choice(CURRENCIES),
        "timestamp": START_MS + rng.randrange(SPAN_MS),
        "win_pot_id": f"pot_mega_{token(4)}",
        "currency_multipliers": {
            "brand_id": brand,
            "base_currency": base,
            "multipliers": {c: 1.0 if c == base else round(rng.uniform(0.4, 25.0), 6) for c in CURRENCIES},
        },
        "win_withheld": rng.random() < 0.05,
        "community_winners": [
            {
                "player_id": f"plr_{token(10)}",
                "brand_id": brand,
                "currency": rng.choice(CURRENCIES),
                "win_amount": round(rng.uniform(1, 250), 2),
            }
            for _ in range(rng.randint(0, 4))
        ],
        "games_in_jackpot": [f"{rng.choice(WORDS).lower()}-{rng.choice(NOUNS).lower()}" for _ in range(rng.randint(1, 6))],
        "seed": rng.getrandbits(32),
        "metadata": None if rng.random() < 0.5 else {"round_id": f"gr-{rng.getrandbits(40)}", "device": "mobile"},
    }


def generators() -> dict[str, Callable[[int], list[dict[str, Any]]]]:
    factory = WinEventFactory.seeded(1)
    rng = random.Random(1)
    WinEventModelFactory.seed_random(1)
    return {
        "thrillpots": factory.batch,
        "stdlib": lambda n: [stdlib_win_event(rng) for _ in range(n)],
        "polyfactory": lambda n: [WinEventModelFactory.build().model_dump() for _ in range(n)],
    }


def main() -> None:
    runs = generators()
    for name, run in runs.items():
        sample = run(20)
        invalid = sum(1 for event in sample if validate(event, "WinEvent", strict=name != "polyfactory"))
        print(f"{name}: {invalid} of 20 sample events invalid")
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            count = EVENTS[name]
            start = time.perf_counter()
            run(count)
            rates[name].append(count / (time.perf_counter() - start))
    median = {name: statistics.median(values) for name, values in rates.items()}
    print(f"medians of {ROUNDS} interleaved rounds (events/s, for scale only):")
    for name, rate in median.items():
        print(f"  {name}: {rate:,.0f} WinEvents/s")
    ok = True
    for other, target in TARGETS.items():
        ratio = median["thrillpots"] / median[other]
        met = ratio >= target
        ok &= met
        print(f"thrillpots / {other}: {ratio:.1f}x (target >= {target}x: {'met' if met else 'NOT MET'})")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()

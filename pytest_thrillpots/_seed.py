"""Seeds: one base seed per session, one seed per test, and the class-level factory stream.

Standard library only: pytest-randomly imports ``reseed`` through its ``random_seeder`` entry
point at start-up, and the plugin uses ``derive_seed``, so this module must stay light.
"""

from __future__ import annotations

import hashlib
import random

SEED_BITS = 32


def derive_seed(seed: int, key: str) -> int:
    """A seed of its own for ``key`` (a test's node id, an event type), stable across runs.

    A hash, not ``seed + offset``: the seed of one test does not depend on which other tests
    exist or the order they run in, in one process or under pytest-xdist.
    """
    digest = hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=SEED_BITS // 8).digest()
    return int.from_bytes(digest, "big")


def random_seed() -> int:
    return random.SystemRandom().getrandbits(SEED_BITS)


def parse_seed(text: str) -> int | None:
    """``"123"`` -> 123; ``"random"`` -> None. Raises ValueError with the accepted forms."""
    cleaned = text.strip()
    if cleaned.lower() == "random":
        return None
    try:
        value = int(cleaned)
    except ValueError:
        raise ValueError(f"a seed is a whole number or 'random', not {text!r}") from None
    if value < 0:
        raise ValueError(f"a seed is a whole number >= 0, not {text!r}")
    return value


class _GlobalSeed:
    """The seed of the class-level factory stream (``WinEventFactory.build()``).

    ``generation`` changes on every reseed, so a factory notices with one integer compare and
    restarts its stream; nothing here imports the factories.
    """

    def __init__(self) -> None:
        self.seed = random_seed()
        self.generation = 0


GLOBAL = _GlobalSeed()


def reseed(seed: int) -> None:
    """Restart the class-level factory streams from ``seed``.

    The ``pytest_randomly.random_seeder`` entry point: with ``-p randomly`` active,
    pytest-randomly calls it with its own seed at session start and before each test.
    """
    GLOBAL.seed = seed
    GLOBAL.generation += 1

"""The ThrillPots Faker provider, and the per-seed pools the factories draw from.

Realistic values (brand ids, player ids, jackpot names, pot ids, game slugs, currencies from the
multipliers set, money with two decimals, epoch-millisecond timestamps) come from
``ThrillPotsProvider``, usable on its own with any Faker instance. The factories do not call it
per field: ``pools_for(seed)`` draws a few hundred values once per seed (brands, players,
jackpots with their pots and games) and events pick from those, which is both fast and
realistic: events of one batch share players and jackpots the way a real stream does.

The provider draws only from Faker's ``random.Random`` with the standard library's methods, so
a seed gives the same values on every Python and Faker version.
"""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from faker import Generator
from faker.providers import BaseProvider

from pytest_thrillpots._seed import derive_seed
from pytest_thrillpots.spec import spec

T = TypeVar("T")

# Reference exchange rates against EUR, for multipliers that look like a real day's rates.
# A currency the spec adds later and this table lacks gets 1.0 until it is added here.
REFERENCE_RATES: Mapping[str, float] = {
    "EUR": 1.0,
    "GBP": 0.8523,
    "ZAR": 20.118,
    "NZD": 1.8376,
    "SEK": 11.482,
    "USD": 1.0842,
    "CAD": 1.4721,
    "NOK": 11.693,
    "DKK": 7.4589,
    "CHF": 0.9612,
}
_REGION_OF_CURRENCY = {"EUR": "eu", "GBP": "uk", "ZAR": "za", "NZD": "nz", "SEK": "se"}

_BRAND_STEMS = tuple(
    [
        "lucky",
        "royal",
        "golden",
        "star",
        "spin",
        "mega",
        "wild",
        "jolly",
        "red",
        "cosmic",
        "neon",
        "magic",
        "fortune",
        "diamond",
        "emerald",
        "viking",
        "rocket",
        "silver",
        "aurora",
        "bandit",
    ]
)
_BRAND_ENDINGS = ("casino", "bet", "slots", "spins", "play", "vegas", "palace", "win", "jackpots", "games")
_THEME_WORDS = tuple(
    [
        "Golden",
        "Mega",
        "Lucky",
        "Wild",
        "Royal",
        "Diamond",
        "Mystic",
        "Thunder",
        "Dragon",
        "Pharaoh",
        "Viking",
        "Aztec",
        "Fortune",
        "Starlight",
        "Emerald",
        "Phoenix",
        "Jungle",
        "Pirate",
        "Cosmic",
        "Frozen",
    ]
)
_THEME_NOUNS = tuple(
    [
        "Treasure",
        "Riches",
        "Gems",
        "Gold",
        "Spins",
        "Crown",
        "Vault",
        "Empire",
        "Legends",
        "Fruits",
        "Wolves",
        "Temple",
        "Rush",
        "Bonanza",
        "Nights",
        "Dreams",
        "Reels",
        "Eagles",
        "Pearls",
        "Kingdom",
    ]
)
JACKPOT_KINDS = {"Jackpot": ("Jackpot", "Drop", "Millions", "Jackpot Network"), "Raffle": ("Raffle", "Prize Draw")}
_GAME_SUFFIXES = ("", "", "", "-deluxe", "-megaways", "-hold-and-win", "-xmas", "-2")
_STUDIOS = ("spinforge", "reelworks", "luckylabs", "northlight", "bluefox", "stormplay", "goldleaf", "pixelpot")
_REGIONS = ("eu", "uk", "za", "nz", "se")
POT_TIERS = ("mega", "major", "minor", "mini")
"""A jackpot's pot tiers, largest first: a jackpot with n pots has the first n."""
PROGRESSIVE_TIERS = frozenset({"mega", "major"})
RAFFLE_TIER = "prize"
_TIER_VALUES = {
    "mega": (50_000, 2_500_000),
    "major": (2_500, 50_000),
    "minor": (100, 2_500),
    "mini": (5, 100),
    RAFFLE_TIER: (500, 25_000),
}
JACKPOT_STATUSES = ("Active", "Pending", "Closed")
"""A jackpot's status: running, not started yet (no start), ended."""
_DEVICES = ("mobile", "desktop", "tablet")
_ID_ALPHABET = string.ascii_lowercase + string.digits

EPOCH_START_MS = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp() * 1000)
EPOCH_SPAN_MS = 365 * 24 * 3600 * 1000


def listed_currencies() -> tuple[str, ...]:
    """The currencies the spec lists in ``currency_multipliers.multipliers``."""
    return tuple(spec("CurrencyMultipliers").fields["multipliers"].fields)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One of ``options``; ``rng.random()`` keeps it fast and shrinks towards the first."""
    return options[int(rng.random() * len(options))]


def token(rng: random.Random, length: int) -> str:
    return "".join(_ID_ALPHABET[int(rng.random() * 36)] for _ in range(length))


def uuid(rng: random.Random) -> str:
    text = f"{rng.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{'89ab'[int(text[16], 16) % 4]}{text[17:20]}-{text[20:]}"


def money(rng: random.Random, low: float, high: float) -> float:
    """An amount with two decimals between ``low`` and ``high``."""
    return round(low + (high - low) * rng.random(), 2)


def brand_id(rng: random.Random, currency: str | None = None) -> str:
    name = pick(rng, _BRAND_STEMS) + pick(rng, _BRAND_ENDINGS)
    region = _REGION_OF_CURRENCY.get(currency or "", "")
    return f"{name}-{region}" if region else name


def player_id(rng: random.Random) -> str:
    return f"plr_{token(rng, 10)}"


def ext_player_id(rng: random.Random) -> str:
    return str(1_000_000 + int(rng.random() * 98_999_999))


def jackpot_name(rng: random.Random, jackpot_type: str) -> str:
    kinds = JACKPOT_KINDS.get(jackpot_type, JACKPOT_KINDS["Jackpot"])
    return f"{pick(rng, _THEME_WORDS)} {pick(rng, _THEME_NOUNS)} {pick(rng, kinds)}"


def pot_id(rng: random.Random, tier: str) -> str:
    return f"pot_{tier}_{token(rng, 4)}"


def game_slug(rng: random.Random) -> str:
    return f"{pick(rng, _THEME_WORDS).lower()}-{pick(rng, _THEME_NOUNS).lower()}{pick(rng, _GAME_SUFFIXES)}"


def source_id(rng: random.Random) -> str:
    return f"{pick(rng, _STUDIOS)}-{pick(rng, _REGIONS)}-{1 + int(rng.random() * 4)}"


def gameround_id(rng: random.Random) -> str:
    return f"gr-{10**11 + int(rng.random() * 9 * 10**11)}"


def tx_credit_id(rng: random.Random) -> str:
    return f"txc-{uuid(rng)}"


def pot_value(rng: random.Random, tier: str) -> float:
    low, high = _TIER_VALUES.get(tier, _TIER_VALUES["minor"])
    return money(rng, low, high)


def win_metadata(rng: random.Random) -> dict[str, Any]:
    return {
        "round_id": gameround_id(rng),
        "game": game_slug(rng),
        "device": pick(rng, _DEVICES),
        "session_id": token(rng, 16),
    }


class ThrillPotsProvider(BaseProvider):
    """Faker provider for ThrillPots values: ``fake.add_provider(ThrillPotsProvider)``.

    ``fake.brand_id()``, ``fake.player_id()``, ``fake.jackpot_name()``... Each method draws from
    the Faker instance's own random generator, so ``fake.seed_instance(n)`` makes it repeatable.
    """

    @property
    def _rng(self) -> random.Random:
        rng: random.Random = self.generator.random
        return rng

    def currency(self) -> str:
        """One of the currencies the spec's multipliers list (EUR, GBP, ZAR, NZD, SEK)."""
        return pick(self._rng, listed_currencies())

    def brand_id(self, currency: str | None = None) -> str:
        """``luckyspins-se``: a brand, with the region of its base currency when given."""
        return brand_id(self._rng, currency)

    def player_id(self) -> str:
        """``plr_k3x9a0qz7m``: the jackpot platform's own player id."""
        return player_id(self._rng)

    def ext_player_id(self) -> str:
        """``4810392``: the brand's own id of the same player."""
        return ext_player_id(self._rng)

    def instance_id(self) -> str:
        """A jackpot or raffle instance id (a UUID)."""
        return uuid(self._rng)

    def jackpot_name(self, jackpot_type: str = "Jackpot") -> str:
        """``Golden Dragon Drop``, ``Lucky Gems Raffle``."""
        return jackpot_name(self._rng, jackpot_type)

    def pot_id(self, tier: str | None = None) -> str:
        """``pot_mega_3f9a``."""
        return pot_id(self._rng, tier or pick(self._rng, POT_TIERS))

    def game_slug(self) -> str:
        """``wild-pharaoh-megaways``."""
        return game_slug(self._rng)

    def source_id(self) -> str:
        """``reelworks-uk-2``: the game server a win came from."""
        return source_id(self._rng)

    def gameround_id(self) -> str:
        """``gr-482019374615``."""
        return gameround_id(self._rng)

    def tx_credit_id(self) -> str:
        """``txc-<uuid>``: the wallet transaction of a payout."""
        return tx_credit_id(self._rng)

    def jackpot_status(self) -> str:
        """``Active``, ``Pending`` or ``Closed``."""
        return pick(self._rng, JACKPOT_STATUSES)

    def money(self, low: float = 1.0, high: float = 1000.0) -> float:
        """An amount with two decimals between ``low`` and ``high``."""
        return money(self._rng, low, high)

    def pot_value(self, tier: str = "minor") -> float:
        """A pot's current value, sized by its tier (mega, major, minor, mini, prize)."""
        return pot_value(self._rng, tier)

    def timestamp_ms(self, start_ms: int = EPOCH_START_MS, span_ms: int = EPOCH_SPAN_MS) -> int:
        """Epoch milliseconds (UTC), an integer, within ``span_ms`` after ``start_ms``."""
        return start_ms + int(self._rng.random() * span_ms)

    def currency_multipliers(self, brand_id: str | None = None, base_currency: str | None = None) -> dict[str, Any]:
        """A currency-multipliers object: the base currency's multiplier is exactly 1.0."""
        base = base_currency or self.currency()
        return {
            "brand_id": brand_id or self.brand_id(base),
            "base_currency": base,
            "multipliers": multipliers(base, jittered_rates(self._rng.random)),
        }

    def win_metadata(self) -> dict[str, Any]:
        """A ``metadata`` object as producers send it."""
        return win_metadata(self._rng)


def jittered_rates(draw: Callable[[], float]) -> dict[str, float]:
    """The reference rates, each moved by up to 2%, like another day's rates."""
    return {code: rate if code == "EUR" else rate * (0.98 + 0.04 * draw()) for code, rate in REFERENCE_RATES.items()}


def multipliers(base: str, rates: Mapping[str, float]) -> dict[str, float]:
    """Each listed currency's multiplier against ``base`` (so ``base`` itself is 1.0)."""
    base_rate = rates.get(base, 1.0)
    return {code: 1.0 if code == base else round(rates.get(code, 1.0) / base_rate, 6) for code in listed_currencies()}


# --- Pools ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Player:
    id: str
    ext_id: str
    brand: str
    currency: str


@dataclass(frozen=True, slots=True)
class Jackpot:
    instance_id: str
    name: str
    jackpot_type: str
    currency: str
    pot_ids: tuple[str, ...]
    tiers: tuple[str, ...]
    games: tuple[str, ...]
    sources: tuple[str, ...]
    brands: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pools:
    """Values drawn once per seed; events pick from them."""

    currencies: tuple[str, ...]
    brands: tuple[str, ...]
    brand_currency: Mapping[str, str]
    players: tuple[Player, ...]
    players_by_brand: Mapping[str, tuple[Player, ...]]
    jackpots: tuple[Jackpot, ...]
    raffles: tuple[Jackpot, ...]
    multipliers: Mapping[str, Mapping[str, float]]
    """Each currency's ``multipliers`` map, with that currency as the base."""
    epoch_ms: int
    metadata: tuple[Mapping[str, Any], ...]


BRANDS, PLAYERS, JACKPOTS, RAFFLES, METADATA = 8, 96, 6, 4, 8


def generator(seed: int) -> Any:
    """A Faker generator with the ThrillPots provider, seeded."""
    fake = Generator()
    fake.add_provider(ThrillPotsProvider)
    fake.seed_instance(seed)
    return fake


@functools.lru_cache(maxsize=256)
def pools_for(seed: int) -> Pools:
    """The pools of one seed (cached: a seed's pools are drawn once)."""
    fake = generator(derive_seed(seed, "pools"))
    rng = fake.random
    currencies = listed_currencies()
    brand_currency: dict[str, str] = {}
    while len(brand_currency) < BRANDS:
        currency = pick(rng, currencies)
        brand_currency.setdefault(fake.brand_id(currency), currency)
    brands = tuple(brand_currency)
    players = []
    for index in range(PLAYERS):
        # Every brand gets a few players first, so a brand's winners can always be drawn.
        brand = brands[index % BRANDS] if index < 3 * BRANDS else pick(rng, brands)
        # Most players play in their brand's base currency; some in another one it offers.
        currency = brand_currency[brand] if rng.random() < 0.8 else pick(rng, currencies)
        players.append(Player(fake.player_id(), fake.ext_player_id(), brand, currency))
    by_brand = {brand: tuple(p for p in players if p.brand == brand) for brand in brands}
    rates = jittered_rates(rng.random)

    def jackpot(jackpot_type: str, tiers: tuple[str, ...]) -> Jackpot:
        return Jackpot(
            instance_id=fake.instance_id(),
            name=fake.jackpot_name(jackpot_type),
            jackpot_type=jackpot_type,
            currency=pick(rng, currencies),
            pot_ids=tuple(fake.pot_id(tier) for tier in tiers),
            tiers=tiers,
            games=tuple(dict.fromkeys(fake.game_slug() for _ in range(1 + int(rng.random() * 6)))),
            sources=tuple(dict.fromkeys(fake.source_id() for _ in range(1 + int(rng.random() * 3)))),
            brands=tuple(rng.sample(brands, 1 + int(rng.random() * len(brands)))),
        )

    return Pools(
        currencies=currencies,
        brands=brands,
        brand_currency=brand_currency,
        players=tuple(players),
        players_by_brand=by_brand,
        jackpots=tuple(
            jackpot("Jackpot", POT_TIERS[: 1 + int(rng.random() * len(POT_TIERS))]) for _ in range(JACKPOTS)
        ),
        raffles=tuple(jackpot("Raffle", (RAFFLE_TIER,)) for _ in range(RAFFLES)),
        multipliers={code: multipliers(code, rates) for code in currencies},
        epoch_ms=fake.timestamp_ms(),
        metadata=tuple(fake.win_metadata() for _ in range(METADATA)),
    )

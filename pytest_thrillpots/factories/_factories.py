"""The factories: one per event and per structure, returning plain JSON-ready dicts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from pytest_thrillpots import _seed
from pytest_thrillpots._errors import UnknownEventTypeError, UnknownTraitError, did_you_mean, raised_at_the_call
from pytest_thrillpots.factories._draft import NO_SETTINGS, Settings
from pytest_thrillpots.factories._engine import Stream, build, parse_overrides
from pytest_thrillpots.factories._traits import LEGACY_TRAITS, TRAITS, Trait, find_trait, parse_trait
from pytest_thrillpots.spec import EVENT_TYPES, STRUCTURE_TYPES

Check = Callable[["BoundFactory", dict[str, Any]], None]

COVERAGE_SEED = 2026
"""The seed ``coverage()`` uses on a class, so its events never change between runs."""


class _GlobalStreams:
    """The class-level streams (``WinEventFactory.build()``), restarted whenever ``_seed.reseed`` runs."""

    def __init__(self) -> None:
        self._streams: dict[str, tuple[int, Stream]] = {}

    def get(self, name: str) -> Stream:
        entry = self._streams.get(name)
        generation = _seed.GLOBAL.generation
        if entry is None or entry[0] != generation:
            entry = (generation, Stream(_seed.GLOBAL.seed, name))
            self._streams[name] = entry
        return entry[1]


_GLOBAL_STREAMS = _GlobalStreams()


class BoundFactory:
    """A factory bound to a stream (a seed) and a set of traits.

    ``WinEventFactory.seeded(42)`` and ``WinEventFactory.trait("withheld")`` return one; it has
    the class's API: ``build``, ``batch``, ``trait``, ``seeded``, ``coverage``, ``traits``.
    """

    __slots__ = ("_check", "_settings", "_stream", "name", "trait_names")

    def __init__(
        self,
        name: str,
        stream: Stream | Callable[[], Stream],
        settings: Settings = NO_SETTINGS,
        trait_names: tuple[str, ...] = (),
        check: Check | None = None,
    ) -> None:
        self.name = name
        """The event or structure this factory builds (``"WinEvent"``)."""
        self._stream = stream
        self._settings = settings
        self.trait_names = trait_names
        """The traits applied, in order, as written (``("withheld", "community(n=2)")``)."""
        self._check = check

    def _current(self) -> Stream:
        stream = self._stream
        return stream if isinstance(stream, Stream) else stream()

    @property
    def seed(self) -> int:
        """The seed this factory draws from."""
        return self._current().seed

    @property
    def legacy_winners(self) -> bool:
        """Whether a trait makes legacy winner tuples (valid only with ``allow_legacy_winners``)."""
        return any((self.name, label.split("(")[0]) in LEGACY_TRAITS for label in self.trait_names)

    @property
    def traits(self) -> Mapping[str, Trait]:
        """The traits this factory offers, by name."""
        return TRAITS[self.name]

    def _with(self, overrides: Mapping[str, Any]) -> Settings:
        if not overrides:
            return self._settings
        return self._settings.merged(Settings(values=parse_overrides(self.name, overrides)))

    @raised_at_the_call
    def build(self, **overrides: Any) -> dict[str, Any]:
        """One event; ``overrides`` set fields, nested with ``__`` (``community_winners__0__win_amount=10``)."""
        __tracebackhide__ = True
        event = build(self.name, self._current(), self._with(overrides))
        if self._check is not None:
            self._check(self, event)
        return event

    @raised_at_the_call
    def batch(self, n: int, **overrides: Any) -> list[dict[str, Any]]:
        """``n`` events from the same stream, each with ``overrides``."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"batch() takes a number of events >= 0, not {n!r}")
        __tracebackhide__ = True
        settings = self._with(overrides)
        stream = self._current()
        name = self.name
        events = [build(name, stream, settings) for _ in range(n)]
        if self._check is not None:
            for event in events:
                self._check(self, event)
        return events

    @raised_at_the_call
    def trait(self, name: str, *args: int, **params: int) -> BoundFactory:
        """This factory with one more trait (``.trait("community", n=3)``, ``.trait("community", 3)``
        or as its signature reads, ``.trait("community(n=3)")``); chain to combine."""
        if isinstance(name, str) and not name.isidentifier():
            try:
                name, written, given = parse_trait(name)
            except UnknownTraitError:
                find_trait(self.name, name)  # a clearer error when the text names no trait: the list of them
                raise
            args, params = (*written, *args), {**given, **params}
        trait = find_trait(self.name, name)
        params = trait.named(self.name, args, params)
        settings = self._settings.merged(trait.settings(self.name, **params))
        label = name if not params else f"{name}({', '.join(f'{k}={v}' for k, v in params.items())})"
        return BoundFactory(self.name, self._stream, settings, (*self.trait_names, label), self._check)

    @raised_at_the_call
    def seeded(self, seed: int) -> BoundFactory:
        """The same factory (same traits) on its own stream from ``seed``."""
        stream = Stream(_check_seed(seed), self.name)
        return BoundFactory(self.name, stream, self._settings, self.trait_names, self._check)

    def checked(self, check: Check) -> BoundFactory:
        """The same factory calling ``check(factory, event)`` on every event it builds."""
        return BoundFactory(self.name, self._stream, self._settings, self.trait_names, check)

    def coverage(self) -> list[dict[str, Any]]:
        """Events that together take every branch of the spec (see ``Factory.coverage``)."""
        from pytest_thrillpots.factories._branches import branch_events

        stream = self._stream
        return branch_events(self.name, stream.seed if isinstance(stream, Stream) else COVERAGE_SEED)

    def __repr__(self) -> str:
        traits = "".join(f".trait({t!r})" for t in self.trait_names)
        stream = self._stream
        seeded = f".seeded({stream.seed})" if isinstance(stream, Stream) else ""
        return f"{self.name}Factory{seeded}{traits}"


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"a seed is a whole number >= 0, not {seed!r}")
    return seed


class Factory:
    """Base class of the factories. Class-level calls draw from one shared stream per type,
    which the pytest plugin reseeds before each test (and pytest-randomly, when active)."""

    name: ClassVar[str]
    """The event or structure built (``"WinEvent"``)."""
    traits: ClassVar[Mapping[str, Trait]]
    """The traits this factory offers, by name."""
    _default: ClassVar[BoundFactory]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.traits = TRAITS[cls.name]
        cls._default = BoundFactory(cls.name, lambda: _GLOBAL_STREAMS.get(cls.name))

    def __new__(cls, *args: Any, **kwargs: Any) -> Factory:
        raise TypeError(f"{cls.__name__} is used through its class methods: {cls.__name__}.build(**overrides)")

    @classmethod
    def build(cls, **overrides: Any) -> dict[str, Any]:
        """One event as a JSON-ready dict; ``overrides`` set fields, nested with ``__``."""
        __tracebackhide__ = True
        return cls._default.build(**overrides)

    @classmethod
    def batch(cls, n: int, **overrides: Any) -> list[dict[str, Any]]:
        """``n`` events, each with ``overrides``."""
        __tracebackhide__ = True
        return cls._default.batch(n, **overrides)

    @classmethod
    def trait(cls, name: str, *args: int, **params: int) -> BoundFactory:
        """The factory with a trait: ``WinEventFactory.trait("community", n=3).build()``."""
        __tracebackhide__ = True
        return cls._default.trait(name, *args, **params)

    @classmethod
    def seeded(cls, seed: int) -> BoundFactory:
        """The factory on its own stream: ``WinEventFactory.seeded(42).build()`` is always the same event."""
        __tracebackhide__ = True
        return cls._default.seeded(seed)

    @classmethod
    def coverage(cls) -> list[dict[str, Any]]:
        """A few events that together take every branch of the spec: each nullable field null
        and set, each enum value, each boolean both ways, empty and non-empty arrays.
        Always the same events (a fixed seed)."""
        __tracebackhide__ = True
        return cls._default.coverage()


class JackpotUpdateEventFactory(Factory):
    """JackpotUpdateEvent: a jackpot or raffle and its pots."""

    name = "JackpotUpdateEvent"


class WinEventFactory(Factory):
    """WinEvent: a jackpot win with its community winners."""

    name = "WinEvent"


class RaffleWinEventFactory(Factory):
    """RaffleWinEvent: the winners of a raffle draw."""

    name = "RaffleWinEvent"


class OptInEventFactory(Factory):
    """OptInEvent: a player's opt-in state and contributions."""

    name = "OptInEvent"


class CommunityPayoutErrorEventFactory(Factory):
    """CommunityPayoutErrorEvent: failed community payouts of a game round."""

    name = "CommunityPayoutErrorEvent"


class RafflePayoutErrorEventFactory(Factory):
    """RafflePayoutErrorEvent: failed raffle payouts."""

    name = "RafflePayoutErrorEvent"


class PotTickerFactory(Factory):
    """PotTicker: one pot of a jackpot."""

    name = "PotTicker"


class CurrencyValueFactory(Factory):
    """CurrencyValue: an amount in a currency."""

    name = "CurrencyValue"


class PayoutRecordFactory(Factory):
    """PayoutRecord: one player's payout."""

    name = "PayoutRecord"


class CurrencyMultipliersFactory(Factory):
    """CurrencyMultipliers: a brand's base currency and each currency's multiplier."""

    name = "CurrencyMultipliers"


FACTORIES: dict[str, type[Factory]] = {
    factory.name: factory
    for factory in (
        JackpotUpdateEventFactory,
        WinEventFactory,
        RaffleWinEventFactory,
        OptInEventFactory,
        CommunityPayoutErrorEventFactory,
        RafflePayoutErrorEventFactory,
        PotTickerFactory,
        CurrencyValueFactory,
        PayoutRecordFactory,
        CurrencyMultipliersFactory,
    )
}
"""Every factory by event or structure name, events first in the spec's order."""


@raised_at_the_call
def factory_for(name: str) -> type[Factory]:
    """The factory of an event or structure (``"WinEvent"``); a clear error naming the valid ones."""
    factory = FACTORIES.get(name)
    if factory is None:
        raise UnknownEventTypeError(
            f"no factory for {name!r}: use one of {', '.join(EVENT_TYPES)} (events) or "
            f"{', '.join(STRUCTURE_TYPES)} (structures).{did_you_mean(name, FACTORIES)}"
        )
    return factory

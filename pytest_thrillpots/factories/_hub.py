"""The ``thrillpots`` fixture's object: every factory, seeded for the test."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_thrillpots._errors import InvalidEventError, did_you_mean
from pytest_thrillpots._render import violation_lines
from pytest_thrillpots.coverage._recorder import paused
from pytest_thrillpots.factories._factories import BoundFactory, factory_for
from pytest_thrillpots.spec import EVENT_TYPES
from pytest_thrillpots.validation._validate import validate


class ThrillpotsHub:
    """Factories seeded for one test: ``thrillpots.win_event(player_id="p-1")``.

    Each event type draws from its own stream of the test's seed, so
    ``thrillpots.win_event()`` makes the same events as ``WinEventFactory.seeded(thrillpots.seed)``,
    whatever other types the test builds. With ``strict`` (the marker's ``strict=True`` or the
    ini option ``thrillpots_strict``), an event that overrides made invalid raises
    ``InvalidEventError`` instead of reaching the code under test.
    """

    def __init__(self, seed: int, *, strict: bool = False) -> None:
        self.seed = seed
        """The test's seed: ``WinEventFactory.seeded(seed)`` reproduces its events."""
        self.strict = strict
        self._factories: dict[str, BoundFactory] = {}

    def factory(self, name: str) -> BoundFactory:
        """The test's factory of an event or structure (``"WinEvent"``, ``"PotTicker"``)."""
        __tracebackhide__ = True
        found = self._factories.get(name)
        if found is None:
            found = factory_for(name).seeded(self.seed)
            if self.strict and name in EVENT_TYPES:
                found = found.checked(_check_valid)
            self._factories[name] = found
        return found

    def build(self, name: str, **overrides: Any) -> dict[str, Any]:
        """One ``name`` event: ``thrillpots.build("OptInEvent", opted_in=False)``."""
        __tracebackhide__ = True
        return self.factory(name).build(**overrides)

    def batch(self, name: str, n: int, **overrides: Any) -> list[dict[str, Any]]:
        """``n`` events of ``name``: ``thrillpots.batch("OptInEvent", 10)``."""
        __tracebackhide__ = True
        return self.factory(name).batch(n, **overrides)

    def trait(self, name: str, trait: str, *args: int, **params: int) -> BoundFactory:
        """The test's ``name`` factory with a trait: ``thrillpots.trait("WinEvent", "withheld").build()``."""
        __tracebackhide__ = True
        return self.factory(name).trait(trait, *args, **params)

    def coverage(self, name: str) -> list[dict[str, Any]]:
        """The factory's coverage events (every branch of the spec; the same in every test)."""
        __tracebackhide__ = True
        return factory_for(name).coverage()

    def jackpot_update_event(self, **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        return self.build("JackpotUpdateEvent", **overrides)

    def win_event(self, **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        return self.build("WinEvent", **overrides)

    def raffle_win_event(self, **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        return self.build("RaffleWinEvent", **overrides)

    def opt_in_event(self, **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        return self.build("OptInEvent", **overrides)

    def community_payout_error_event(self, **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        return self.build("CommunityPayoutErrorEvent", **overrides)

    def raffle_payout_error_event(self, **overrides: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        return self.build("RafflePayoutErrorEvent", **overrides)

    def __repr__(self) -> str:
        return f"<thrillpots seed={self.seed}{' strict' if self.strict else ''}>"

    if not TYPE_CHECKING:  # type checkers keep reporting unknown names themselves

        def __getattr__(self, name: str) -> Any:
            # Reached only for a name the hub lacks: thrillpots.win_evnt() deserves the close matches.
            __tracebackhide__ = True
            if name.startswith("_"):
                raise AttributeError(name)
            offered = [n for n in dir(self) if not n.startswith("_")]
            raise AttributeError(
                f"the thrillpots fixture has no {name!r}.{did_you_mean(name, offered)} It offers: {', '.join(offered)}"
            )


def _check_valid(factory: BoundFactory, event: dict[str, Any]) -> None:
    __tracebackhide__ = True
    with paused():  # the factory checking itself is not a test exercising the contract
        violations = validate(event, factory.name, strict=True, allow_legacy_winners=factory.legacy_winners)
    if violations:
        count = len(violations)
        raise InvalidEventError(
            "\n".join(
                [
                    f"{factory!r} built an invalid {factory.name} ({count} violation{'s' if count != 1 else ''}); "
                    "strict mode (the thrillpots marker's strict=True) allows only valid events: fix the "
                    "overrides, or use strict=False for a negative test",
                    *violation_lines(violations),
                ]
            )
        )

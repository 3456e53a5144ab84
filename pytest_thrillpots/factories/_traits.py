"""Traits: named states users test (a withheld win, an open-ended jackpot, legacy raffle winners)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_thrillpots._errors import UnknownTraitError, did_you_mean
from pytest_thrillpots.factories._draft import Settings
from pytest_thrillpots.factories._producers import RAFFLE_TYPE


@dataclass(frozen=True)
class Trait:
    """A named state of an event: ``WinEventFactory.trait("community", n=3).build()``."""

    name: str
    description: str
    make: Callable[..., Settings] = field(repr=False)
    params: Mapping[str, int] = field(default_factory=dict)
    """Parameter names and defaults (all whole numbers >= 0)."""

    @property
    def signature(self) -> str:
        """``community(n=3)`` or ``withheld``."""
        if not self.params:
            return self.name
        return f"{self.name}({', '.join(f'{k}={v}' for k, v in self.params.items())})"

    def named(self, owner: str, args: Sequence[Any], params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` with the positional ``args`` named in the order of the signature: ``community(5)``."""
        if len(args) > len(self.params):
            takes = f"takes {', '.join(self.params)}" if self.params else "takes no parameters"
            raise UnknownTraitError(
                f"{owner} trait {self.signature!r} {takes}, not {len(args)} value(s): {', '.join(map(repr, args))}"
            )
        named = dict(zip(self.params, args, strict=False))
        twice = [key for key in named if key in params]
        if twice:
            raise UnknownTraitError(f"{owner} trait {self.signature!r}: {', '.join(twice)} given twice")
        return {**named, **params}

    def settings(self, owner: str, **params: Any) -> Settings:
        """The settings of this trait with ``params``; a clear error for a wrong parameter."""
        unknown = [key for key in params if key not in self.params]
        if unknown:
            takes = f"takes {', '.join(self.params)}" if self.params else "takes no parameters"
            raise UnknownTraitError(
                f"{owner} trait {self.name!r} {takes}, not {', '.join(unknown)}."
                + did_you_mean(unknown[0], self.params)
            )
        values = {**self.params, **params}
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UnknownTraitError(
                    f"{owner} trait {self.name!r}: {key} must be a whole number >= 0, not {value!r}"
                )
        return self.make(**values)


def _values(**values: Any) -> Settings:
    return Settings(values=tuple(((key,), value) for key, value in values.items()))


def legacy_winner(winner: Any) -> Any:
    """A PayoutRecord winner in the legacy tuple form ``[player_id, {"currency", "value"}]``."""
    if not isinstance(winner, dict):
        return winner
    return [winner["player_id"], {"currency": winner["currency"], "value": winner["win_amount"]}]


def _legacy_winners(event: dict[str, Any]) -> None:
    event["winners"] = [legacy_winner(w) for w in event["winners"]]


def _traits(*traits: Trait) -> Mapping[str, Trait]:
    return {t.name: t for t in traits}


_WITHHELD = Trait("withheld", "the win is withheld (win_withheld is true)", lambda: _values(win_withheld=True))

TRAITS: Mapping[str, Mapping[str, Trait]] = {
    "JackpotUpdateEvent": _traits(
        Trait(
            "raffle", 'a raffle (jackpot_type "Raffle") with one prize pot', lambda: _values(jackpot_type=RAFFLE_TYPE)
        ),
        Trait("open_ended", "no end (timestamp_end is null)", lambda: Settings(nulls={"timestamp_end": True})),
        Trait(
            "not_started",
            'not started yet (timestamp_start is null, status "Pending")',
            lambda: Settings(nulls={"timestamp_start": True}),
        ),
        Trait(
            "ended",
            'ended before its last update (status "Closed")',
            lambda: Settings(nulls={"timestamp_start": False, "timestamp_end": False}, flags=frozenset({"ended"})),
        ),
    ),
    "WinEvent": _traits(
        _WITHHELD,
        Trait("with_metadata", "metadata is an object", lambda: Settings(nulls={"metadata": False})),
        Trait("without_metadata", "metadata is null", lambda: Settings(nulls={"metadata": True})),
        Trait("community", "n community winners", lambda n: Settings(counts={"community_winners": n}), {"n": 3}),
    ),
    "RaffleWinEvent": _traits(
        _WITHHELD,
        Trait("no_winners", "an empty winners array", lambda: Settings(counts={"winners": 0})),
        Trait("winners", "n winners", lambda n: Settings(counts={"winners": n}), {"n": 3}),
        Trait(
            "legacy_winners",
            "winners in the legacy tuple form [player_id, {currency, value}] (valid only with allow_legacy_winners)",
            lambda: Settings(finishers=(_legacy_winners,)),
        ),
    ),
    "OptInEvent": _traits(
        Trait("opted_out", "the player opted out (opted_in is false)", lambda: _values(opted_in=False)),
        Trait(
            "no_contributions",
            "nothing contributed yet",
            lambda: _values(contribution_count=0, contribution_value=0),
        ),
    ),
    "CommunityPayoutErrorEvent": _traits(
        Trait("failures", "n failed payouts", lambda n: Settings(counts={"failed_payouts": n}), {"n": 1}),
    ),
    "RafflePayoutErrorEvent": _traits(
        Trait("failures", "n failed payouts", lambda n: Settings(counts={"failed_payouts": n}), {"n": 1}),
    ),
    "PotTicker": _traits(
        Trait("progressive", "a progressive pot", lambda: _values(is_progressive=True)),
        Trait("fixed", "a fixed (not progressive) pot", lambda: _values(is_progressive=False)),
    ),
    "PayoutRecord": {},
    "CurrencyValue": {},
    "CurrencyMultipliers": {},
}
"""Every factory's traits, by event or structure name."""

LEGACY_TRAITS = frozenset({("RaffleWinEvent", "legacy_winners")})
"""Traits whose events are valid only with ``allow_legacy_winners=True``."""


_TRAIT_TEXT = re.compile(r"\s*(?P<name>[A-Za-z_]\w*)\s*(?:\((?P<paren>[^()]*)\)|:(?P<colon>.*))?\s*\Z")
TRAIT_FORMS = "NAME, NAME(N), NAME(KEY=N) or NAME:KEY=N, e.g. community(n=5)"


def parse_trait(text: str) -> tuple[str, tuple[int, ...], dict[str, int]]:
    """A trait as written in its signature or on the command line: ``community(n=5)``,
    ``community(5)``, ``community:n=5`` -> ``("community", (5,), {})`` or ``("community", (), {"n": 5})``."""
    match = _TRAIT_TEXT.match(text)
    if match is None:
        raise UnknownTraitError(f"cannot read the trait {text!r}: write {TRAIT_FORMS}")
    inner = match["paren"] if match["paren"] is not None else match["colon"] or ""
    args: list[int] = []
    params: dict[str, int] = {}
    for piece in filter(None, (p.strip() for p in inner.split(","))):
        key, sep, value = piece.partition("=")
        if not sep:
            key, value = "", key
        try:
            number = int(value)
        except ValueError:
            raise UnknownTraitError(f"cannot read the trait {text!r}: write {TRAIT_FORMS}") from None
        if not sep and params:
            raise UnknownTraitError(f"cannot read the trait {text!r}: a positional value after a KEY=N one")
        if sep:
            params[key.strip()] = number
        else:
            args.append(number)
    return match["name"], tuple(args), params


def find_trait(owner: str, name: str) -> Trait:
    traits = TRAITS.get(owner, {})
    trait = traits.get(name)
    if trait is None:
        valid = ", ".join(t.signature for t in traits.values()) or "none"
        raise UnknownTraitError(f"{owner} has no trait {name!r}.{did_you_mean(name, traits)} Its traits: {valid}.")
    return trait

"""identify(): the event type a payload is, told by its top-level field names (events carry no type field).

One rule decides, for ``identify()`` and for ``thrillpots validate --type auto`` alike:

1. the type that lists the most of the payload's keys fits best, so a key only one type lists
   tips the choice to that type;
2. among types listing equally many, the one with the fewest of its fields missing;
3. types still equal are a tie, which is reported, never settled by the order of the spec.

The table behind it (which types list each field name, how many fields each has) is read from
the spec model once; a payload's answer is cached by its keys, since a producer sends the same
keys, in the same order, event after event.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from pytest_thrillpots._errors import IdentifyError
from pytest_thrillpots.spec._model import spec
from pytest_thrillpots.spec._schemas import EVENT_TYPES

_NAME_IT = "name the type explicitly (event_type=... or --type)"


@dataclass(frozen=True)
class Identification:
    """How a payload's top-level keys fit the event types: the best fit, or why there is none."""

    event_type: str | None
    """The type that fits best; None when the payload has no field of any type, or types tie."""
    missing: tuple[str, ...] = ()
    """The best type's fields the payload lacks, in the spec's order."""
    tied: tuple[str, ...] = ()
    """The types that fit equally well, when they tie (two or more)."""
    listed: int = 0
    """How many of the payload's keys the best (or each tied) type lists."""

    @property
    def complete(self) -> bool:
        """True when one type fits best and the payload carries every one of its fields."""
        return self.event_type is not None and not self.missing

    @property
    def problem(self) -> str | None:
        """Why the payload is not one event type with all of its fields, in IdentifyError's words."""
        if self.tied:
            names = ", ".join(self.tied[:-1]) + f" and {self.tied[-1]}"
            lacking = len(spec(self.tied[0]).fields) - self.listed
            return (
                f"cannot identify the event type: {names} fit the payload equally well (each lists "
                f"{self.listed} of the payload's keys and lacks {lacking} of its own fields); {_NAME_IT}"
            )
        if self.event_type is None:
            return "cannot identify the event type: the payload has none of the fields of " + ", ".join(EVENT_TYPES)
        if self.missing:
            return (
                "cannot identify the event type: no event type has all of its fields here "
                f"(closest: {self.event_type} lacks {', '.join(self.missing)})"
            )
        return None


def identification(payload: Mapping[str, object]) -> Identification:
    """How ``payload`` (a parsed JSON object) fits the event types, by the one rule above."""
    return _identification(tuple(payload))


@functools.lru_cache(maxsize=1024)
def _identification(keys: tuple[str, ...]) -> Identification:
    listers, fields = _table()
    return best_fit(keys, listers, fields)


@functools.cache
def _table() -> tuple[dict[str, tuple[int, ...]], tuple[tuple[str, tuple[str, ...]], ...]]:
    """What the spec model knows, in the shape the rule reads: each field name's types, each type's fields."""
    fields = tuple((name, tuple(spec(name).fields)) for name in EVENT_TYPES)
    listers: dict[str, list[int]] = {}
    for index, (_, names) in enumerate(fields):
        for field_name in names:
            listers.setdefault(field_name, []).append(index)
    return {name: tuple(indexes) for name, indexes in listers.items()}, fields


def best_fit(
    keys: tuple[str, ...],
    listers: Mapping[str, tuple[int, ...]],
    fields: tuple[tuple[str, tuple[str, ...]], ...],
) -> Identification:
    """The rule itself, over any table: ``fields`` is each type's name and field names, in order;
    ``listers`` maps a field name to the indexes (in ``fields``) of the types that list it."""
    listed = [0] * len(fields)
    for key in dict.fromkeys(keys):
        for index in listers.get(key, ()):
            listed[index] += 1
    most = max(listed, default=0)
    if most == 0:
        return Identification(None)
    # Among the types listing the most keys, the fewest missing fields is the fewest fields in all.
    fewest = min(len(names) for (_, names), count in zip(fields, listed, strict=True) if count == most)
    best = [index for index, count in enumerate(listed) if count == most and len(fields[index][1]) == fewest]
    if len(best) > 1:
        return Identification(None, tied=tuple(fields[index][0] for index in best), listed=most)
    name, names = fields[best[0]]
    present = set(keys)
    return Identification(name, missing=tuple(f for f in names if f not in present), listed=most)


def identify(payload: object) -> str:
    """The event type whose fields ``payload`` carries.

    Events carry no type field, so the type is told by the top-level field names: the type that
    lists the most of the payload's keys fits best, then the one with the fewest fields missing.
    ``IdentifyError`` says why when no type fits, when types tie, or when the best fit lacks some
    of its fields (naming the type and what it lacks). ``payload`` is parsed JSON or JSON text
    (``bytes``/``str``), as ``validate()`` takes it.
    """
    if isinstance(payload, (bytes, bytearray, memoryview, str)):
        import orjson

        try:
            payload = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise IdentifyError(f"cannot identify the event type: the payload is not valid JSON ({exc})") from None
    if not isinstance(payload, Mapping):
        raise IdentifyError(f"cannot identify the event type of a {type(payload).__name__}: an event is a JSON object")
    found = identification(payload)
    problem = found.problem
    if problem is not None:
        raise IdentifyError(problem)
    assert found.event_type is not None
    return found.event_type

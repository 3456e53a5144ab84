"""identify(): the event type a payload is, told by its top-level field names (events carry no type field)."""

from __future__ import annotations

from collections.abc import Mapping

from pytest_thrillpots._errors import IdentifyError
from pytest_thrillpots.spec._model import spec
from pytest_thrillpots.spec._schemas import EVENT_TYPES


def identify(payload: object) -> str:
    """The event type whose fields ``payload`` carries.

    Events carry no type field, so the type is told by the top-level field names: the types
    whose every field is present are candidates, and the most specific one wins when its fields
    include every other candidate's. Raises ``IdentifyError`` naming the candidates otherwise.
    ``payload`` is parsed JSON or JSON text (``bytes``/``str``), as ``validate()`` takes it.
    """
    if isinstance(payload, (bytes, bytearray, memoryview, str)):
        import orjson

        try:
            payload = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise IdentifyError(f"cannot identify the event type: the payload is not valid JSON ({exc})") from None
    if not isinstance(payload, Mapping):
        raise IdentifyError(f"cannot identify the event type of a {type(payload).__name__}: an event is a JSON object")
    keys = set(payload)
    field_sets = {name: set(spec(name).fields) for name in EVENT_TYPES}
    fits = [name for name, names in field_sets.items() if names <= keys]
    most_specific = [a for a in fits if all(field_sets[b] <= field_sets[a] for b in fits)]
    if len(most_specific) == 1:
        return most_specific[0]
    if fits:
        raise IdentifyError(
            "cannot identify the event type: the payload carries every field of "
            + " and of ".join(fits)
            + "; name the type explicitly (event_type=... or --type)"
        )
    overlap = {name: len(names & keys) for name, names in field_sets.items()}
    best = max(overlap.values())
    closest = [name for name in EVENT_TYPES if overlap[name] == best and best > 0]
    if not closest:
        raise IdentifyError(
            "cannot identify the event type: the payload has none of the fields of " + ", ".join(EVENT_TYPES)
        )
    details = "; ".join(f"{name} lacks {', '.join(sorted(field_sets[name] - keys))}" for name in closest)
    raise IdentifyError(
        f"cannot identify the event type: no event type has all of its fields here (closest: {details})"
    )


def closest_event_type(payload: Mapping[str, object]) -> str | None:
    """The single event type sharing most top-level fields with ``payload``, or None on a tie."""
    keys = set(payload)
    overlap = {name: len(set(spec(name).fields) & keys) for name in EVENT_TYPES}
    best = max(overlap.values())
    winners = [name for name in EVENT_TYPES if overlap[name] == best]
    return winners[0] if best > 0 and len(winners) == 1 else None

"""Message interactions derived from the spec: example bodies and Pact matching rules.

Pure data, no pact import: what a consumer expects is turned into ``Interaction`` records
(description, provider states, example body, matching rules) that the consumer helper hands to
pact-python and that travel between pytest-xdist workers as JSON.

Every rule is read from the spec model (``_spec.spec()``): a string is matched by type, a
number by the ``number`` rule (integers and decimals alike), a boolean by ``boolean``, an enum by
an anchored regex of its values, an array by its item shape with at least one item, and a
nullable scalar by an ``OR`` of its rule and ``null``. A nullable object or array cannot be
written as one rule the verifier satisfies, so it splits the interaction in two: one with the
field ``null`` and one with the field present, each with its own provider state.

A pinned value is written as the example, which Pact compares for equality; inside an array
item or a free-form object, whose own rule matches everything in them by type, it gets an
``equality`` rule of its own.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeGuard

from pytest_thrillpots._errors import PactDefinitionError, UnknownEventTypeError, UnknownFieldError
from pytest_thrillpots.pact._matching import _Builder, _has_items, _shape, free_form_owner, selection_for, split_points
from pytest_thrillpots.spec import EVENT_TYPES, check_event_type, resolve_field_path, spec
from pytest_thrillpots.spec._paths import PathPart, from_keyword, to_human, to_keyword, to_pointer

CONTENT_TYPE: Final = "application/json"
MESSAGE_TYPE: Final = "Asynchronous/Messages"
"""The V4 pact ``type`` of the interactions the consumer helper writes."""
EVENT_TYPE_METADATA: Final = "event_type"
"""The message metadata key that names the event type of an interaction: the verifier sends the
provider only the description and the provider states, so ``verify_pacts`` routes each message
to the producer of its type by reading this key from the pacts up front."""
NULL_STATE: Final = "{path} is null"
PRESENT_STATE: Final = "{path} is present"
MAX_SEED_ATTEMPTS: Final = 64
"""How many seeds are tried for an example whose listed arrays all have an item."""


StatePair = tuple[str, Mapping[str, Any]]
Given = str | Mapping[str, Mapping[str, Any] | None] | StatePair | Sequence[str | StatePair] | None
"""Provider states: a name, ``{name: params}``, a ``(name, params)`` pair, or a list of names and pairs."""


@dataclass(frozen=True)
class Interaction:
    """One message interaction, as it is written to the pact file."""

    event_type: str
    description: str
    """The description in the pact: the consumer's words (``"a progressive jackpot win"``), with
    `` (metadata null)`` or `` (metadata present)`` where a nullable object splits it."""
    states: tuple[tuple[str, Mapping[str, Any]], ...]
    body: Any
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """JSONPath (``$.pots[*].current_value``) -> Pact matching rule."""

    @property
    def metadata(self) -> dict[str, object]:
        return {EVENT_TYPE_METADATA: self.event_type}

    def key(self) -> str:
        """What makes two interactions of one pact the same one: pact-python keys them by description."""
        return self.description

    def to_json(self) -> dict[str, Any]:
        return {
            "event_type": self.event_type,
            "description": self.description,
            "states": [[name, dict(params)] for name, params in self.states],
            "body": self.body,
            "rules": {path: dict(rule) for path, rule in self.rules.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Interaction:
        return cls(
            event_type=data["event_type"],
            description=data["description"],
            states=tuple((name, params) for name, params in data["states"]),
            body=data["body"],
            rules=data["rules"],
        )

    @classmethod
    def from_pact(cls, entry: object) -> Interaction:
        """An interaction as a V4 pact file holds it, when this plugin wrote it.

        Raises ``PactDefinitionError`` saying what it lacks otherwise (another kind of
        interaction, no ``event_type`` in its metadata).
        """
        if not isinstance(entry, Mapping):
            raise PactDefinitionError(f"an interaction is a JSON object, not {entry!r}")
        description = entry.get("description")
        kind = entry.get("type")
        if kind != MESSAGE_TYPE:
            raise PactDefinitionError(f"the interaction {description!r} is of type {kind!r}, not {MESSAGE_TYPE!r}")
        metadata = entry.get("metadata")
        event_type = metadata.get(EVENT_TYPE_METADATA) if isinstance(metadata, Mapping) else None
        contents = entry.get("contents")
        if not isinstance(event_type, str) or not isinstance(description, str):
            raise PactDefinitionError(f"the interaction {description!r} has no {EVENT_TYPE_METADATA!r} in its metadata")
        if not isinstance(contents, Mapping) or contents.get("encoded") is not False or "content" not in contents:
            raise PactDefinitionError(f"the interaction {description!r} has no JSON body")
        rules = entry.get("matchingRules", {})
        states: list[tuple[str, Mapping[str, Any]]] = []
        for state in entry.get("providerStates") or []:
            name = state.get("name") if isinstance(state, Mapping) else None
            params = (state.get("params") or {}) if isinstance(state, Mapping) else None
            if not isinstance(name, str) or not isinstance(params, Mapping):
                raise PactDefinitionError(
                    f"the interaction {description!r} has a provider state {state!r} without a name"
                )
            states.append((name, dict(params)))
        return cls(
            event_type=event_type,
            description=description,
            states=tuple(states),
            body=contents["content"],
            rules=dict(rules.get("body", {})) if isinstance(rules, Mapping) else {},
        )


def stable_seed(*words: str) -> int:
    """A seed from words, the same in every process (``hash()`` is salted per process)."""
    return zlib.crc32("\x1f".join(words).encode())


GIVEN_FORMS: Final = (
    "a provider state's name ('a jackpot win'), a list of names and (name, params) pairs, "
    "{name: params}, or one (name, params) pair"
)


def normalize_states(
    given: Given,
) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    """``given`` as ordered ``(state, params)`` pairs.

    A state name, a mapping of names to their parameters, a ``(name, params)`` pair, or a list
    of names and pairs. Anything else raises ``PactDefinitionError`` naming the forms.
    """
    if given is None:
        return ()
    if isinstance(given, str):
        pairs: list[tuple[object, object]] = [(given, {})]
    elif isinstance(given, Mapping):
        pairs = [(name, {} if params is None else params) for name, params in given.items()]
    elif _is_state_pair(given):
        pairs = [(given[0], given[1])]
    elif isinstance(given, (list, tuple)):
        pairs = []
        for item in given:
            if isinstance(item, str):
                pairs.append((item, {}))
            elif _is_state_pair(item):
                pairs.append((item[0], item[1]))
            else:
                raise PactDefinitionError(
                    f"given= has {item!r} ({type(item).__name__}) in its list: each item is a provider state's "
                    "name or a (name, params) pair"
                )
    else:
        raise PactDefinitionError(f"given= takes {GIVEN_FORMS}, not {given!r} ({type(given).__name__})")
    states = []
    for name, params in pairs:
        if not isinstance(name, str) or not name.strip():
            raise PactDefinitionError(f"a provider state is a non-empty string, not {name!r}")
        if not isinstance(params, Mapping):
            raise PactDefinitionError(
                f"the parameters of provider state {name!r} are a dict of JSON values, not {params!r} "
                f"({type(params).__name__})"
            )
        _check_json(params, f"the parameters of provider state {name!r} must be JSON values")
        states.append((name, dict(params)))
    return tuple(states)


def _check_json(value: object, problem: str) -> None:
    """``value`` must survive the pact file, which is JSON: else raise ``problem``, and why."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PactDefinitionError(f"{problem} ({exc})") from None


def _is_state_pair(value: object) -> TypeGuard[StatePair]:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], Mapping)


def keyword_path(name: str) -> list[PathPart]:
    """A pin's keyword (``currency_multipliers__base_currency``) as path parts."""
    return list(from_keyword(name))


def example_event(event_type: str, seed: int, pins: Mapping[str, Any]) -> dict[str, Any]:
    """A seeded factory's event with the pinned values."""
    from pytest_thrillpots.factories import factory_for  # type: ignore[attr-defined,unused-ignore]

    event: dict[str, Any] = factory_for(event_type).seeded(seed).build(**pins)
    return event


def _check_pins(event_type: str, example: Mapping[str, Any], pin_pointers: Mapping[str, str]) -> None:
    """A pinned value the spec forbids is a contract no conforming producer can honour: refuse it now."""
    from pytest_thrillpots._render import violation_lines
    from pytest_thrillpots.validation._validate import _explain, _validator

    validator = _validator(event_type, False, False)
    if not pin_pointers or validator.is_valid(example):
        return
    for violation in _explain(validator, example, event_type, False):
        for pointer, name in pin_pointers.items():
            if violation.path == pointer or violation.path.startswith(pointer + "/"):
                raise PactDefinitionError(
                    f"cannot pin {name}=...: the spec does not allow that value, so no producer could send it\n"
                    + "\n".join(violation_lines([violation]))
                )


def derive(
    event_type: str,
    description: str,
    *,
    fields: Iterable[str] | None = None,
    given: Given = None,
    pins: Mapping[str, Any] | None = None,
    seed_words: Sequence[str] = (),
) -> list[Interaction]:
    """The interactions for one expectation: one, or two where a nullable object is read."""
    if not isinstance(event_type, str):
        raise UnknownEventTypeError(
            f"an event type is a name such as 'WinEvent', not {event_type!r} ({type(event_type).__name__}): use one "
            f"of {', '.join(EVENT_TYPES)}"
        )
    check_event_type(event_type)
    if not isinstance(description, str) or not description.strip():
        raise PactDefinitionError(f"an interaction needs a description (a non-empty string), not {description!r}")
    pins = dict(pins or {})
    for name, value in pins.items():
        _check_json(value, f"cannot pin {name}={value!r}: a pact holds JSON values only")
    pin_shapes: dict[tuple[str, ...], str] = {}
    pin_pointers: dict[str, str] = {}
    for name in pins:
        path = to_human(keyword_path(name))
        try:
            parts = resolve_field_path(event_type, path)
        except UnknownFieldError as exc:
            raise UnknownFieldError(f"cannot pin {name}=...: {exc}") from None
        if any(isinstance(p, int) and p != 0 for p in parts):
            raise PactDefinitionError(
                f"cannot pin {name}=...: a pact matches every item of an array by the shape of its first, "
                "so a pin inside an array uses index 0 and holds for every item"
            )
        owner = free_form_owner(event_type, parts)
        indexes = [] if owner is None else [i for i in range(len(owner), len(parts)) if isinstance(parts[i], int)]
        if owner is not None and indexes:
            raise PactDefinitionError(
                f"cannot pin {name}=...: inside the free-form {to_human(list(owner))!r} the spec has no arrays to "
                f"match item by item; pin the whole array ({to_keyword(parts[: indexes[0]])}=[...])"
            )
        pin_shapes[_shape(parts)] = name
        pin_pointers[to_pointer(parts)] = name
    states = normalize_states(given)
    selection = selection_for(event_type, fields, pin_shapes)
    node = spec(event_type)
    base_seed = stable_seed(event_type, description, *seed_words)
    for attempt in range(MAX_SEED_ATTEMPTS):
        example = example_event(event_type, base_seed + attempt, pins)
        if _has_items(node, example, selection, set(pin_shapes)):
            break
    else:  # pragma: no cover - the factories give arrays items far more often than this
        raise PactDefinitionError(
            f"no seeded {event_type} example has an item in every array the consumer reads; pin one, "
            "e.g. community_winners=[{...}]"
        )
    _check_pins(event_type, example, pin_pointers)
    # A pin at or inside a nullable object is a value the consumer needs: it is never null there.
    points = [p for p in split_points(node, selection) if not any(pin[: len(p)] == p for pin in pin_shapes)]
    combinations: list[dict[tuple[str, ...], bool]] = [{}]
    for point in points:
        combinations = [{**c, point: present} for c in combinations for present in (False, True)]
    interactions = []
    for forms in combinations:
        builder = _Builder(event_type, set(pin_shapes), forms)
        body = builder.build(node, example, selection, ())
        suffix = ", ".join(f"{to_human(list(p))} {'present' if present else 'null'}" for p, present in forms.items())
        form_states: tuple[tuple[str, Mapping[str, Any]], ...] = tuple(
            ((PRESENT_STATE if present else NULL_STATE).format(path=to_human(list(p))), {})
            for p, present in forms.items()
        )
        interactions.append(
            Interaction(
                event_type=event_type,
                description=f"{description} ({suffix})" if suffix else description,
                states=(*states, *form_states),
                body=body,
                rules=dict(sorted(builder.rules.items())),
            )
        )
    return interactions

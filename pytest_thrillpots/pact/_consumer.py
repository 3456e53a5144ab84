"""The consumer side: the ``thrillpots_pact`` fixture's object, and the pact files it writes.

A test declares what its consumer reads (``expects``), hands the example message to the
consumer's own handler (``verify``), and the session writes one pact file per consumer and
provider at its end. Interactions are kept as data (``Interaction``) until then and written in
a sorted order, so the file is the same whatever order the tests ran in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_thrillpots._errors import PactDefinitionError, ThrillpotsError, did_you_mean
from pytest_thrillpots.coverage._recorder import payload_paths, record_pinned
from pytest_thrillpots.pact._interactions import CONTENT_TYPE, Given, Interaction, derive
from pytest_thrillpots.pact._library import pact_library
from pytest_thrillpots.spec import spec

DEFAULT_PROVIDER = "thrillpots"

MessageHandler = Callable[[dict[str, Any]], object]


class PactRecorder:
    """Every interaction the session's tests delivered, by consumer and provider."""

    def __init__(self) -> None:
        self.pacts: dict[tuple[str, str], dict[str, Interaction]] = {}

    def add(self, consumer: str, provider: str, interactions: Iterable[Interaction]) -> None:
        pact = self.pacts.setdefault((consumer, provider), {})
        for interaction in interactions:
            known = pact.get(interaction.key())
            if known is not None and known != interaction:
                raise PactDefinitionError(
                    f"{consumer} defines the interaction {interaction.description!r} twice with different "
                    "contents (in two tests, or twice in one); give each expectation its own description"
                )
            pact[interaction.key()] = interaction

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"consumer": consumer, "provider": provider, "interactions": [i.to_json() for i in pact.values()]}
            for (consumer, provider), pact in self.pacts.items()
        ]

    def merge_json(self, data: Sequence[Mapping[str, Any]]) -> None:
        for entry in data:
            self.add(entry["consumer"], entry["provider"], map(Interaction.from_json, entry["interactions"]))

    def write(self, directory: Path) -> list[tuple[Path, int]]:
        """Write each pact file (replacing the previous one); return each file and its interaction count."""
        written = []
        for (consumer, provider), pact in sorted(self.pacts.items()):
            handle = new_pact(consumer, provider, sorted(pact.values(), key=Interaction.key))
            handle.write_file(directory, overwrite=True)
            written.append((directory / f"{consumer}-{provider}.json", len(pact)))
        return written


def new_pact(consumer: str, provider: str, interactions: Iterable[Interaction]) -> Any:
    """A pact-python ``Pact`` holding ``interactions`` as V4 asynchronous messages."""
    pact = pact_library().Pact(consumer, provider)
    for interaction in interactions:
        message = pact.upon_receiving(interaction.description, "Async")
        for state, params in interaction.states:
            if params:
                message.given(state, dict(params))
            else:
                message.given(state)
        # A string body: pact-python would read matcher objects in a dict, and ours holds examples only.
        message.with_body(json.dumps(interaction.body, sort_keys=True), CONTENT_TYPE)
        message.with_metadata(interaction.metadata)
        if interaction.rules:
            message.with_matching_rules({"body": interaction.rules})
    return pact


class ConsumerPact:
    """What one test's consumer expects of the ThrillPots producer: the ``thrillpots_pact`` fixture.

    ``expects()`` declares a message interaction with matchers derived from the spec;
    ``verify(handler)`` hands each declared message to the consumer's handler. Delivered
    interactions go into the pact file ``<consumer>-<provider>.json`` at the end of the session.
    """

    def __init__(
        self, consumer: str, provider: str = DEFAULT_PROVIDER, *, recorder: PactRecorder | None = None
    ) -> None:
        if not consumer or not isinstance(consumer, str):
            raise PactDefinitionError(f"a consumer name is a non-empty string, not {consumer!r}")
        self.consumer = consumer
        self.provider = provider
        self.recorder = recorder if recorder is not None else PactRecorder()
        self.pending: list[Interaction] = []
        """Declared in this test and not yet handed to a handler."""
        self.delivered: list[Interaction] = []

    def __repr__(self) -> str:
        return f"<ConsumerPact {self.consumer} -> {self.provider}: {len(self.pending)} pending, {len(self.delivered)} delivered>"

    def expects(
        self,
        event_type: str,
        description: str,
        *,
        given: Given = None,
        fields: Iterable[str] | None = None,
        **pins: Any,
    ) -> dict[str, Any]:
        """Declare that the consumer receives ``event_type`` and reads ``fields`` of it.

        ``given``: the provider state(s): a name, ``{name: params}``, a ``(name, params)`` pair, or a
        list of names and pairs.
        ``fields``: the field paths the consumer reads (``"player_id"``,
        ``"community_winners[*].win_amount"``); the producer may change every other field.
        Omitted: the whole event. ``**pins``: exact values the producer must send
        (``brand_id="brand-7"``, nested with ``__``); a pinned field is read by definition.

        Returns the example event the handler will receive (the last one, with the object
        present, when a nullable object such as ``metadata`` splits the expectation into a null
        and a present message).
        """
        __tracebackhide__ = True  # a bad expectation is the caller's line, not the helper's
        try:
            interactions = derive(
                event_type,
                description,
                fields=fields,
                given=given,
                pins=pins,
                seed_words=(self.consumer, self.provider),
            )
        except ThrillpotsError as exc:
            raise exc.with_traceback(None) from None
        taken = {i.description for i in (*self.pending, *self.delivered)}
        for interaction in interactions:
            if interaction.description in taken:
                raise PactDefinitionError(
                    f"this test already expects {interaction.description!r}: give each expectation its own description"
                )
        self.pending.extend(interactions)
        record_pinned(event_type, (path for i in interactions for path in payload_paths(i.body)))
        example: dict[str, Any] = interactions[-1].body
        return example

    def verify(self, handler: MessageHandler) -> None:
        """Hand each message declared since the last ``verify`` to ``handler`` (one dict per call).

        The messages are read back from the pact itself, as the consumer will receive them: only
        the fields it declared. A handler that raises fails the test, naming the message, and a
        ``KeyError`` for a field of the event that was not declared says to add it to ``fields``.
        """
        __tracebackhide__ = True
        if not callable(handler):
            raise TypeError(f"verify() takes the consumer's message handler (a callable), not {type(handler).__name__}")
        if not self.pending:
            raise PactDefinitionError("nothing to verify: declare a message first with thrillpots_pact.expects(...)")
        interactions, self.pending = self.pending, []
        by_description = {i.description: i for i in interactions}
        pact = new_pact(self.consumer, self.provider, interactions)
        errors = pact.verify(lambda body, _metadata: handler(json.loads(str(body))), "Async", raises=False)
        if errors:
            first = errors[0]
            interaction = by_description[first.description]
            raise AssertionError(_handler_failure(self.consumer, interaction, first.error)) from first.error
        self.recorder.add(self.consumer, self.provider, interactions)
        self.delivered.extend(interactions)


def _handler_failure(consumer: str, interaction: Interaction, error: Exception) -> str:
    lines = [
        f"the {consumer} handler failed on the message {interaction.description!r}: {type(error).__name__}: {error}"
    ]
    if isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        name = error.args[0]
        known = spec(interaction.event_type).fields
        if name in known:
            lines.append(
                f"  {name!r} is a {interaction.event_type} field the interaction does not declare: add it to "
                "fields=[...] so the producer has to keep sending it"
            )
        else:
            lines.append(f"  {interaction.event_type} has no field {name!r}.{did_you_mean(name, known)}")
    return "\n".join(lines)

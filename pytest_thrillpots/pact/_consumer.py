"""The consumer side: the ``thrillpots_pact`` fixture's object, and the pact files it writes.

A test declares what its consumer reads (``expects``), hands the example message to the
consumer's own handler (``verify``), and the session writes one pact file per consumer and
provider at its end. Interactions are kept as data (``Interaction``) until then and written in
a sorted order, so the file is the same whatever order the tests ran in.
"""

from __future__ import annotations

import json
import os
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_thrillpots._errors import PactDefinitionError, ThrillpotsError, did_you_mean
from pytest_thrillpots.coverage._recorder import payload_paths, record_pinned
from pytest_thrillpots.pact._interactions import CONTENT_TYPE, Given, Interaction, derive
from pytest_thrillpots.pact._library import pact_library
from pytest_thrillpots.spec import iter_fields, spec
from pytest_thrillpots.spec._paths import PathPart, to_human

DEFAULT_PROVIDER = "thrillpots"

MessageHandler = Callable[[dict[str, Any]], object]


@dataclass(frozen=True)
class PactFile:
    """One pact file ``PactRecorder.write`` wrote."""

    path: Path
    interactions: int
    """How many interactions the file holds."""
    recorded: int
    """How many of them this recorder gave (fewer than ``interactions`` after a merge)."""


class PactRecorder:
    """Interactions by consumer and provider, each with where it came from (the test that delivered it)."""

    def __init__(self) -> None:
        self.pacts: dict[tuple[str, str], dict[str, Interaction]] = {}
        self.sources: dict[tuple[str, str, str], str] = {}
        """``(consumer, provider, description)`` -> the first source that gave it."""

    def add(
        self, consumer: str, provider: str, interactions: Iterable[Interaction], *, source: str | None = None
    ) -> None:
        """Add interactions (all or none): ``PactDefinitionError`` when one clashes with one already here.

        Two interactions of one pact clash when they share a description and differ in anything
        else: the pact could hold only one of them.
        """
        interactions = list(interactions)
        pact = self.pacts.get((consumer, provider), {})
        for interaction in interactions:
            known = pact.get(interaction.key())
            if known is not None and known != interaction:
                first = self.sources.get((consumer, provider, interaction.key()))
                raise PactDefinitionError(clash_message(consumer, interaction.description, first, source))
        pact = self.pacts.setdefault((consumer, provider), {})
        for interaction in interactions:
            pact[interaction.key()] = interaction
            if source is not None:
                self.sources.setdefault((consumer, provider, interaction.key()), source)

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"consumer": consumer, "provider": provider, "interactions": [i.to_json() for i in pact.values()]}
            for (consumer, provider), pact in self.pacts.items()
        ]

    def merge_json(self, data: Sequence[Mapping[str, Any]], *, source: str | None = None) -> None:
        for entry in data:
            interactions = map(Interaction.from_json, entry["interactions"])
            self.add(entry["consumer"], entry["provider"], interactions, source=source)

    def write(self, directory: Path, *, merge: bool = False) -> list[PactFile]:
        """Write each pact file ``<consumer>-<provider>.json``; return what each holds.

        ``merge=False`` replaces the file. ``merge=True`` keeps the interactions of the file on
        disk that this recorder does not have (by description) and replaces the others: it never
        removes one. A file that cannot be merged (not a pact this plugin wrote) raises
        ``PactDefinitionError`` before any file is written; a directory that cannot be made
        raises ``OSError``.
        """
        planned = []
        for (consumer, provider), pact in sorted(self.pacts.items()):
            if not pact:
                continue  # a consumer whose tests delivered nothing: no pact to write
            path = directory / f"{consumer}-{provider}.json"
            interactions = dict(pact)
            if merge and path.exists():
                interactions = {i.key(): i for i in read_pact(path)} | interactions
            planned.append((consumer, provider, path, interactions, len(pact)))
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for consumer, provider, path, interactions, recorded in planned:
            handle = new_pact(consumer, provider, sorted(interactions.values(), key=Interaction.key))
            try:
                handle.write_file(directory, overwrite=True)
            except RuntimeError:
                raise OSError(f"pact-python could not write {path}") from None
            written.append(PactFile(path, len(interactions), recorded))
        return written


def clash_message(consumer: str, description: str, first: str | None, second: str | None) -> str:
    """Two definitions of one interaction: naming where each came from, when known."""
    if first is not None and second is not None and first != second:
        where = " and ".join(sorted((first, second)))
        return (
            f"{consumer}'s interaction {description!r} is defined twice with different contents, by {where}: "
            "give each expectation its own description"
        )
    return (
        f"{consumer} defines the interaction {description!r} twice with different contents (in two tests, or twice "
        "in one); give each expectation its own description"
    )


def read_pact(path: Path) -> list[Interaction]:
    """The interactions of a pact file this plugin wrote; ``PactDefinitionError`` saying why it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PactDefinitionError(f"cannot merge into {path}: it is not a pact file ({exc})") from None
    entries = document.get("interactions") if isinstance(document, Mapping) else None
    if not isinstance(entries, list):
        raise PactDefinitionError(f"cannot merge into {path}: it is not a V4 pact file (no interactions list)")
    try:
        return [Interaction.from_pact(entry) for entry in entries]
    except PactDefinitionError as exc:
        raise PactDefinitionError(
            f"cannot merge into {path}: {exc}, so pytest-thrillpots did not write it; move it away, or write it "
            "without merging"
        ) from None


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


def _service_name(what: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PactDefinitionError(f"a {what} name is a non-empty string, not {value!r}")
    return value


class ConsumerPact:
    """What one test's consumer expects of the ThrillPots producer: the ``thrillpots_pact`` fixture.

    ``expects()`` declares a message interaction with matchers derived from the spec;
    ``verify(handler)`` hands each declared message to the consumer's handler. Delivered
    interactions go into the pact file ``<consumer>-<provider>.json`` at the end of the session.
    """

    def __init__(
        self, consumer: str, provider: str = DEFAULT_PROVIDER, *, recorder: PactRecorder | None = None
    ) -> None:
        self.consumer = _service_name("consumer", consumer)
        self.provider = _service_name("provider", provider)
        self.recorder = recorder if recorder is not None else PactRecorder()
        self.pending: list[Interaction] = []
        """Declared in this test and not yet handed to a handler."""
        self.delivered: list[Interaction] = []
        self._declared: dict[str, list[str] | None] = {}
        """Each interaction's ``fields=``, as given: the fix a handler failure names starts from it."""

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
        listed = isinstance(fields, Iterable) and not isinstance(fields, (str, bytes, Mapping))
        declared = list(fields) if listed and fields is not None else None
        try:
            interactions = derive(
                event_type,
                description,
                fields=fields if declared is None else declared,
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
        for interaction in interactions:
            self._declared[interaction.description] = declared
        record_pinned(event_type, (path for i in interactions for path in payload_paths(i.body)))
        example: dict[str, Any] = interactions[-1].body
        return example

    def verify(self, handler: MessageHandler) -> None:
        """Hand each message declared since the last ``verify`` to ``handler`` (one dict per call).

        The messages are read back from the pact itself, as the consumer will receive them: only
        the fields it declared. A handler that raises fails the test, naming the message, and a
        ``KeyError`` for a field of the event that was not declared says which ``fields=`` entry
        to add. The failure's traceback is the test's line and the handler's own: pact-python's
        frames, which call the handler, are left out.
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
            message = _handler_failure(
                self.consumer, interaction, first.error, self._declared.get(interaction.description)
            )
            # Raised outside the handler's except clause and with the handler's frames only: the
            # report is the test's verify() line, the handler's line that failed, then this message.
            raise AssertionError(message).with_traceback(_own_frames(first.error.__traceback__)) from None
        try:
            self.recorder.add(self.consumer, self.provider, interactions)
        except PactDefinitionError as exc:
            raise exc.with_traceback(None) from None  # the caller's verify() line, not the recorder's
        self.delivered.extend(interactions)


def _library_dirs() -> tuple[str, ...]:
    """The folders of the code between ``verify`` and the handler: pact-python's and this package's."""
    import pact

    return tuple(str(Path(module).parent) + os.sep for module in (pact.__file__ or "", __file__))


def _own_frames(tb: types.TracebackType | None) -> types.TracebackType | None:
    """``tb`` without the frames of pact-python and of this helper: the handler's own code is left."""
    hidden = _library_dirs()
    kept = []
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(hidden):
            kept.append(tb)
        tb = tb.tb_next
    chain = None
    for entry in reversed(kept):
        chain = types.TracebackType(chain, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return chain


def _handler_failure(consumer: str, interaction: Interaction, error: Exception, declared: Sequence[str] | None) -> str:
    lines = [
        f"the {consumer} handler failed on the message {interaction.description!r}: {type(error).__name__}: {error}"
    ]
    if isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        lines.append(_missing_field_hint(interaction, error.args[0], declared))
    elif isinstance(error, IndexError):
        lines.append(
            "  a pact message holds one item in each array (the producer promises at least one): read the items "
            "in a loop, not by position"
        )
    return "\n".join(lines)


def _missing_field_hint(interaction: Interaction, name: str, declared: Sequence[str] | None) -> str:
    event_type = interaction.event_type
    paths = [to_human(path) for path in undeclared_fields(event_type, interaction.body, name)]
    if len(paths) == 1:
        (path,) = paths
        fix = f"add it, fields={[*declared, path]!r}," if declared is not None else "add it to fields=[...]"
        return (
            f"  {path!r} is a field of {event_type} that the interaction does not declare: {fix} so the producer has "
            "to keep sending it"
        )
    if paths:
        return (
            f"  {event_type} has a field {name!r} at {' and '.join(repr(p) for p in paths)}, which the interaction "
            "does not declare: add the one the handler reads to fields=[...] so the producer has to keep sending it"
        )
    names = {str(path[-1]) for path, _ in iter_fields(spec(event_type))}
    return f"  {event_type} has no field {name!r}.{did_you_mean(name, names)}"


def undeclared_fields(event_type: str, body: object, name: str) -> list[tuple[PathPart, ...]]:
    """The spec's fields called ``name`` that the message leaves out, in the objects it holds.

    When none of its objects lacks one (the handler read past an object the message does not
    hold), every field of the event called ``name``.
    """
    found: list[tuple[PathPart, ...]] = []

    def walk(node: Any, value: object, path: tuple[PathPart, ...]) -> None:
        if node.kind == "object" and not node.free_form and isinstance(value, Mapping):
            if name in node.fields and name not in value:
                found.append((*path, name))
            for key, child in node.fields.items():
                if key in value:
                    walk(child, value[key], (*path, key))
        elif node.kind == "array" and node.items is not None and isinstance(value, list) and value:
            walk(node.items, value[0], (*path, "*"))

    walk(spec(event_type), body, ())
    return found or [path for path, _ in iter_fields(spec(event_type)) if path[-1] == name]

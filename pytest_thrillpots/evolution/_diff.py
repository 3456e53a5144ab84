"""Breaking-change detection between two versions of the contracts, per event and per field path.

Each change is judged in the Confluent Schema Registry's terms, one direction at a time:

- BACKWARD: readers on the new contract can read what writers on the old contract sent;
- FORWARD: readers on the old contract can read what writers on the new contract send;
- FULL: both, the default: the producer deploys first (old readers meet new events) and
  consumers replay history (new readers meet old events).

Two premises decide the cases where JSON Schema alone is ambiguous (docs/diff.md explains them):
readers ignore fields their schema does not name unless ``additionalProperties`` is ``false``
(the tolerant reader the spec asks for), and an unknown field a writer sends never collides with
a field a later version names. Under them a removed field breaks FORWARD only: new readers
ignore it, old readers miss it.

With pacts, each change lists the consumers' reads it reaches, and only a change that breaks
the mode *and* reaches a read fails: a change no consumer reads is reported as such and passes.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_thrillpots._errors import ContractSourceError, did_you_mean
from pytest_thrillpots.evolution._change import BACKWARD, DEFAULT_MODE, FORWARD, MODES, ContractChange, Mode, Read
from pytest_thrillpots.evolution._compare import Comparer
from pytest_thrillpots.evolution._contracts import ContractSet, ContractSource, load_contracts
from pytest_thrillpots.evolution._routing import MessageRoute, compare_routes
from pytest_thrillpots.evolution._schema import Marker, expanded_json, schema_node

if TYPE_CHECKING:  # the pact modules are imported only when pacts are given
    from pytest_thrillpots.evolution._consumers import PactReads, PactSource
    from pytest_thrillpots.pact._broker import PactBroker


@dataclass(frozen=True)
class ConsumerVerdict:
    """What the changes do to one consumer: ``breaks``, ``compatible`` (it reads a change that
    the mode allows) or ``unaffected`` (it reads nothing that changed)."""

    consumer: str
    verdict: str
    reads: tuple[Read, ...]
    """The reads behind the verdict: those of a failing change for ``breaks``, of any change for ``compatible``."""

    def __str__(self) -> str:
        if self.verdict == "unaffected":
            return f"{self.consumer}: unaffected"
        paths: dict[str, list[str]] = {}
        for read in self.reads:
            paths.setdefault(read.interaction, []).append(read.path)
        groups: dict[tuple[str, ...], list[str]] = {}
        for interaction, read_paths in paths.items():
            groups.setdefault(tuple(dict.fromkeys(read_paths)), []).append(interaction)
        shown = "; ".join(f"{_listed(list(p))} in {_quoted(i)}" for p, i in groups.items())
        return f"{self.consumer}: {self.verdict} (reads {shown})"

    def to_dict(self) -> dict[str, Any]:
        return {"consumer": self.consumer, "verdict": self.verdict, "reads": [r.to_dict() for r in self.reads]}


@dataclass(frozen=True)
class DiffReport:
    """Every change between two versions of the contracts, and the verdict in one mode."""

    old: str
    new: str
    mode: Mode
    changes: tuple[ContractChange, ...]
    pacts: PactReads | None = None
    """What the consumers read, when the diff was given pacts."""
    notes: tuple[str, ...] = ()
    """What was not compared, in one sentence each."""

    @property
    def breaking(self) -> tuple[ContractChange, ...]:
        """The changes that fail the check: not allowed under ``mode`` and, with pacts, read by a consumer."""
        return tuple(c for c in self.changes if c.fails(self.mode))

    @property
    def compatible(self) -> bool:
        return not self.breaking

    @property
    def consumers(self) -> tuple[ConsumerVerdict, ...]:
        """Each consumer's verdict (empty without pacts)."""
        if self.pacts is None:
            return ()
        verdicts = []
        for consumer in self.pacts.consumers:
            failing = [r for c in self.breaking for r in c.read_by or () if r.consumer == consumer]
            reading = [r for c in self.changes for r in c.read_by or () if r.consumer == consumer]
            if failing:
                verdicts.append(ConsumerVerdict(consumer, "breaks", tuple(dict.fromkeys(failing))))
            elif reading:
                verdicts.append(ConsumerVerdict(consumer, "compatible", tuple(dict.fromkeys(reading))))
            else:
                verdicts.append(ConsumerVerdict(consumer, "unaffected", ()))
        return tuple(verdicts)

    def summary(self) -> str:
        if not self.changes:
            scope = " for every consumer" if self.pacts is not None else ""
            return f"No changes between {self.old} and {self.new}: compatible in {self.mode} mode{scope}."
        total = len(self.changes)
        events = len({c.event for c in self.changes})
        counts = ", ".join(
            f"{sum(direction in c.breaks for c in self.changes)} break {direction}" for direction in (BACKWARD, FORWARD)
        )
        tally = f"{total} change{'s' if total != 1 else ''} in {events} event{'s' if events != 1 else ''} ({counts})"
        if self.pacts is None:
            if self.compatible:
                return f"{tally}: compatible in {self.mode} mode."
            return f"{tally}: BREAKING in {self.mode} mode ({len(self.breaking)} of {total} not allowed)."
        unread = sum(c.breaks_in(self.mode) and not c.read_by for c in self.changes)
        unread_words = (
            f"{unread} change{'s' if unread != 1 else ''} {'break' if unread != 1 else 'breaks'} {self.mode} mode "
            f"but no consumer reads {'them' if unread != 1 else 'it'}"
        )
        if self.compatible:
            detail = f" ({unread_words})" if unread else ""
            return f"{tally}: compatible in {self.mode} mode for every consumer{detail}."
        broken = [v.consumer for v in self.consumers if v.verdict == "breaks"]
        failing = len(self.breaking)
        detail = f"{failing} of {total} break{'s' if failing == 1 else ''} what a consumer reads"
        if unread:
            detail += f"; {unread_words}"
        return f"{tally}: BREAKING in {self.mode} mode for {' and '.join(broken)} ({detail})."

    def text(self) -> str:
        """The report as ``thrillpots diff`` prints it."""
        lines: list[str] = []
        current = None
        for change in self.changes:
            if change.event != current:
                if current is not None:
                    lines.append("")
                lines.append(change.event)
                current = change.event
            lines.append(f"  {change.headline}: {change.verdict}")
            lines.append(f"      {change.reason}")
            if change.read_by is not None:
                lines.append(f"      {_read_by(change, self.mode)}")
        if lines:
            lines.append("")
        if self.pacts is not None:
            count = len(self.pacts.consumers)
            lines.append(f"Consumers ({count} with pacts from {', '.join(self.pacts.sources)}):")
            lines.extend(f"  {verdict}" for verdict in self.consumers)
            for where, provider in self.pacts.ignored:
                lines.append(f"  (not read: {where}, a pact with the provider {provider!r})")
            lines.append("")
        lines.extend(self.notes)
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "mode": self.mode,
            "compatible": self.compatible,
            "summary": self.summary(),
            "notes": list(self.notes),
            "changes": [c.to_dict(self.mode) for c in self.changes],
            "consumers": None if self.pacts is None else [v.to_dict() for v in self.consumers],
        }


def _quoted(interactions: Sequence[str]) -> str:
    return _listed([f"'{name}'" for name in dict.fromkeys(interactions)])


def _listed(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _read_by(change: ContractChange, mode: Mode) -> str:
    if not change.read_by:
        return "Read by no consumer: it passes." if change.breaks_in(mode) else "Read by no consumer."
    by_consumer: dict[str, list[str]] = {}
    for read in change.read_by:
        by_consumer.setdefault(read.consumer, []).append(read.interaction)
    return "Read by " + "; ".join(f"{c} in {_quoted(i)}" for c, i in by_consumer.items()) + "."


def diff_contracts(
    old: ContractSource,
    new: ContractSource,
    *,
    mode: Mode = DEFAULT_MODE,
    cwd: str | os.PathLike[str] | None = None,
    pacts: PactSource | Sequence[PactSource] | None = None,
    broker: PactBroker | Mapping[str, Any] | bool | None = None,
    provider: str | None = None,
) -> DiffReport:
    """Compare two versions of the contracts and classify every change.

    ``old`` and ``new`` are each a schema directory, a schema file, an AsyncAPI document,
    ``"git:REF"`` (the contracts at a commit; ``"git:REF:PATH"`` for another path), or a
    ``{name: schema}`` mapping; relative paths and ``git:`` are taken from ``cwd`` (default: the
    current directory). ``mode`` (default ``"full"``) also takes the Confluent spelling
    (``"BACKWARD"``).

    ``pacts`` (pact files, directories, URLs) and ``broker`` (a ``PactBroker``, its fields as a
    dict, or True for one read from the ``PACT_BROKER_*`` variables) make the diff
    consumer-aware: each change lists the consumers' reads it reaches, and only a change that
    breaks ``mode`` and reaches a read makes the report incompatible. ``provider`` names the
    provider in the pacts (default ``"thrillpots"``).

    Raises ``ContractSourceError`` when a version or a pact cannot be read or judged.
    """
    mode = str(mode).lower()  # type: ignore[assignment]
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use backward, forward or full." + did_you_mean(str(mode), MODES))
    before, after = load_contracts(old, cwd=cwd), load_contracts(new, cwd=cwd)
    reads = None
    if pacts is not None or broker not in (None, False):
        from pytest_thrillpots.evolution._consumers import read_pacts

        options = {} if provider is None else {"provider": provider}
        reads = read_pacts(pacts, broker=broker, cwd=cwd, **options)
        unknown = sorted(reads.events() - set(before.events) - set(after.events))
        if unknown:
            who = [f"{i.consumer} in '{i.description}'" for i in reads.interactions if i.event == unknown[0]]
            raise ContractSourceError(
                f"{who[0]} reads {unknown[0]} events, which neither {before.label} nor {after.label} defines: "
                "check the pact's event_type, or compare the contracts it was written against"
            )
    elif provider is not None:
        raise TypeError("provider= names the provider in the pacts: give pacts=... or broker=... too")
    changes = _changes(before, after)
    if reads is not None:
        changes = [dataclasses.replace(c, read_by=reads.readers(c)) for c in changes]
    return DiffReport(before.label, after.label, mode, tuple(changes), reads, _notes(before, after))


def _changes(before: ContractSet, after: ContractSet) -> list[ContractChange]:
    # An event in either version is compared as one, even where the other version references it.
    names = list(before.events) + [n for n in after.events if n not in before.events]
    changes: list[ContractChange] = []
    for name in names:
        comparer = Comparer(name, changes)
        old_entry, new_entry = before.schemas.get(name), after.schemas.get(name)
        if new_entry is None:
            comparer.add(
                (), "event_removed", backward=f"new readers have no schema for the {name} events old writers send"
            )
        elif old_entry is None:
            comparer.add(
                (), "event_added", forward=f"old readers have no schema for the {name} events new writers send"
            )
        else:
            if before.routing is not None and after.routing is not None:
                old_route, new_route = before.routing.route(name), after.routing.route(name)
                compare_routes(comparer, old_route, new_route)
                _compare_message_parts(comparer, (before, old_route), (after, new_route))
            old_root, new_root = schema_node(before, *old_entry), schema_node(after, *new_entry)
            comparer.compare(old_root, new_root, ())
            comparer.compare_definitions(old_root, new_root)
    return changes


def _compare_message_parts(
    comparer: Comparer, old: tuple[ContractSet, MessageRoute], new: tuple[ContractSet, MessageRoute]
) -> None:
    """An AsyncAPI message's headers, compared like its payload (at ``<headers>``; no headers is any
    headers), and its bindings and correlationId, which are compared but not judged."""
    (before, old_route), (after, new_route) = old, new
    old_headers, new_headers = old_route.headers or ("", True), new_route.headers or ("", True)
    comparer.compare(schema_node(before, *old_headers), schema_node(after, *new_headers), (Marker.HEADERS,))
    for keyword in dict.fromkeys([*old_route.unjudged, *new_route.unjudged]):
        texts = [
            expanded_json(contracts, *route.unjudged.get(keyword, ("", None)), keyword=keyword, refs_anywhere=True)
            for contracts, route in ((before, old_route), (after, new_route))
        ]
        if texts[0] != texts[1]:
            why = (
                f"the message's {keyword} changed and thrillpots diff does not judge {keyword}, "
                "so it cannot vouch for either direction; review the change by hand"
            )
            comparer.add((), "unsupported_change", backward=why, forward=why, new=keyword)


def _notes(before: ContractSet, after: ContractSet) -> tuple[str, ...]:
    notes = []
    for contracts in (before, after):
        if contracts.unread:
            shown = list(contracts.unread[:5]) + (
                [f"{len(contracts.unread) - 5} more"] if len(contracts.unread) > 5 else []
            )
            notes.append(
                f"Not compared: {_listed(shown)} in {contracts.label}, which no schema references "
                "(thrillpots diff compares the *.schema.json files of the directory itself, and what they reference)."
            )
    if (before.routing is None) != (after.routing is None):
        plain = before if before.routing is None else after
        notes.append(
            f"Channels, operations, content types, headers and bindings not compared: {plain.label} is not an AsyncAPI document."
        )
    return tuple(notes)

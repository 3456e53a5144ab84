"""Pacts against the spec, statically: can any event the spec allows satisfy each message interaction?

``check_pacts(sources)`` reads every message interaction of V3 and V4 pacts (whoever wrote them)
and, without running a producer, tells which event each one is (its ``event_type`` metadata,
else the event type its contents fit) and, for every path its contents and matching rules
touch, whether an event the spec allows can pass there:

- a field the spec does not have can never be sent (error ``unknown_field``);
- a matcher that contradicts the spec's type can never pass (error ``matcher_type``): an
  ``integer`` on a string, a ``regex`` on a number (the spec promises a number, not its text),
  a ``type`` matcher whose example has another JSON type than the spec's;
- a pinned value the spec forbids (error ``pinned_value``), ``null`` where the spec has none
  (error ``null``), a matcher no verifier applies to a message (error ``unknown_matcher``);
- a value where the spec lets the field be ``null`` (warning ``nullable``: it fails when the
  producer sends null), and an ``integer`` or ``decimal`` where the spec says any number
  (warning ``narrower_type``).

The Pact semantics are the Pact core's (pact-rust, which pact-python, pact-js and the Pact
CLI verify with): a rule applies to its path and everything below it, the best fitting path
wins, and a path without a rule compares by equality.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_thrillpots._errors import did_you_mean
from pytest_thrillpots.pact._interactions import CONTENT_TYPE
from pytest_thrillpots.pact._reading import (
    MessageInteraction,
    OtherInteraction,
    read_pact,
)
from pytest_thrillpots.pact._satisfiable import Finding, SpecWalker
from pytest_thrillpots.pact._sources import NO_CONTENTS, legacy_description, not_message
from pytest_thrillpots.spec import EVENT_TYPES, spec


@dataclass(frozen=True)
class InteractionCheck:
    """What the check found in one interaction."""

    consumer: str
    description: str
    event_type: str | None
    """The event it is: its ``event_type`` metadata, else the event type its contents fit."""
    findings: tuple[Finding, ...] = ()
    index: int = 0

    @property
    def satisfiable(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "event_type": self.event_type,
            "satisfiable": self.satisfiable,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class PactCheck:
    """One pact file's interactions, checked."""

    source: str
    consumer: str
    provider: str
    specification: str | None
    interactions: tuple[InteractionCheck, ...]

    @property
    def empty(self) -> bool:
        """It holds no interactions: nothing of its consumer's is checked (never a silent pass)."""
        return not self.interactions

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "consumer": self.consumer,
            "provider": self.provider,
            "specification": self.specification,
            "empty": self.empty,
            "interactions": [i.to_dict() for i in self.interactions],
        }


@dataclass(frozen=True)
class PactCheckReport:
    """``check_pacts``'s answer: every interaction of every pact given, and the pacts skipped."""

    pacts: tuple[PactCheck, ...]
    skipped: tuple[str, ...] = ()
    """The pact files of other providers, each with why it was skipped."""

    @property
    def interactions(self) -> list[InteractionCheck]:
        return [i for pact in self.pacts for i in pact.interactions]

    @property
    def satisfiable(self) -> bool:
        """True when every interaction can be satisfied by an event the spec allows."""
        return all(i.satisfiable for i in self.interactions)

    def summary(self) -> str:
        checked = self.interactions
        failing = [i for i in checked if not i.satisfiable]
        warned = [i for i in checked if i.satisfiable and i.warnings]
        errors = sum(len(i.errors) for i in checked)
        warnings = sum(len(i.warnings) for i in checked)
        pacts = f"{len(self.pacts)} pact{'s' if len(self.pacts) != 1 else ''}"
        head = f"{len(checked)} interaction{'s' if len(checked) != 1 else ''} in {pacts}"
        if failing:
            return (
                f"{len(failing)} of {head} cannot be satisfied by any event the spec allows "
                f"({_count(errors, 'error')}, {_count(warnings, 'warning')})"
            )
        notes = [f"{len(warned)} with {_count(warnings, 'warning')}"] if warnings else []
        empty = sum(pact.empty for pact in self.pacts)
        if empty:
            notes.append(f"{empty} pact{'s' if empty != 1 else ''} with no interactions")
        tail = f" ({'; '.join(notes)})" if notes else ""
        return f"all {head} can be satisfied by events the spec allows{tail}"

    def text(self) -> str:
        lines: list[str] = []
        for pact in self.pacts:
            spec_version = f", specification {pact.specification}" if pact.specification else ""
            lines.append(f"{pact.source} ({pact.consumer} -> {pact.provider}{spec_version})")
            if pact.empty:
                lines.append(f"  warning: it holds no interactions: nothing of {pact.consumer}'s is checked")
            for check in pact.interactions:
                status = "FAILS" if not check.satisfiable else "warns" if check.warnings else "ok"
                kind = f" ({check.event_type})" if check.event_type else ""
                lines.append(f"  {status:<5} {check.description!r}{kind}")
                lines.extend(f"          {finding.severity}: {finding}" for finding in check.findings)
        lines.extend(f"skipped {reason}" for reason in self.skipped)
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        checked = self.interactions
        return {
            "satisfiable": self.satisfiable,
            "summary": self.summary(),
            "counts": {
                "interactions": len(checked),
                "unsatisfiable": sum(not i.satisfiable for i in checked),
                "errors": sum(len(i.errors) for i in checked),
                "warnings": sum(len(i.warnings) for i in checked),
                "empty_pacts": sum(pact.empty for pact in self.pacts),
            },
            "pacts": [p.to_dict() for p in self.pacts],
            "skipped": list(self.skipped),
        }


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def check_pacts(sources: Iterable[str | Path], *, provider: str = "thrillpots") -> PactCheckReport:
    """Check every message interaction of the pact files and directories in ``sources``.

    Raises ``PactFileError`` naming a file that cannot be read or is not a pact, and
    ``PactVerificationError`` for a source that is neither a file nor a directory of pacts, or
    a pact file named on its own whose provider is not ``provider``.
    """
    from pytest_thrillpots._errors import PactVerificationError
    from pytest_thrillpots.pact._sources import local_pact_files, read_pact_file

    pacts: list[PactCheck] = []
    skipped: list[str] = []
    for source in sources:
        location, files = local_pact_files(source)
        for path in files:
            document = read_pact(read_pact_file(path), source=str(path))
            if document.provider != provider:
                if location == path:
                    raise PactVerificationError(
                        f"{path} is a pact with provider {document.provider!r}, not {provider!r}: "
                        f"check it with --provider {document.provider}"
                    )
                skipped.append(f"{path}: a pact with provider {document.provider!r}, not {provider!r}")
                continue
            checks = [check_interaction(m) for m in document.messages]
            checks.extend(_other(other, document.consumer) for other in document.others)
            checks.sort(key=lambda c: c.index)
            pacts.append(
                PactCheck(str(path), document.consumer, document.provider, document.specification, tuple(checks))
            )
    if not pacts:
        raise PactVerificationError(
            f"no pact for provider {provider!r} in the sources given"
            + (f" (skipped: {'; '.join(skipped)})" if skipped else "")
        )
    if all(pact.empty for pact in pacts):
        # "all 0 interactions can be satisfied" would be a green for nothing checked
        raise PactVerificationError(
            f"no interaction for provider {provider!r} in the sources given: "
            + "; ".join(f"{p.source} ({p.consumer} -> {p.provider}) holds no interactions" for p in pacts)
        )
    return PactCheckReport(tuple(pacts), tuple(skipped))


def check_document(document: object, *, source: str = "the pact") -> list[InteractionCheck]:
    """Check every interaction of one pact document (parsed JSON), in the pact's order."""
    pact = read_pact(document, source=source)
    checks = [check_interaction(m) for m in pact.messages]
    checks.extend(_other(other, pact.consumer) for other in pact.others)
    return sorted(checks, key=lambda c: c.index)


def _other(other: OtherInteraction, consumer: str) -> InteractionCheck:
    finding = Finding("error", "", "not_message", not_message(other.kind))
    return InteractionCheck(consumer, other.description, None, (finding,), other.index)


def check_interaction(interaction: MessageInteraction) -> InteractionCheck:
    """Which event one message interaction is, and what in it no event the spec allows can satisfy."""

    def result(event_type: str | None, findings: Iterable[Finding], *, sent: bool = True) -> InteractionCheck:
        # sent: the interaction is a JSON message, so what ThrillPots sends with it is judged too
        extra = _metadata_findings(interaction) if sent else []
        return InteractionCheck(
            interaction.consumer, interaction.description, event_type, (*extra, *findings), interaction.index
        )

    if not interaction.has_contents:
        # The verifier compares nothing then and passes any message: verify_pacts fails it.
        named_type = interaction.event_type if interaction.event_type in EVENT_TYPES else None
        return result(named_type, [Finding("error", "", "no_contents", NO_CONTENTS)], sent=False)
    if not interaction.is_json or isinstance(interaction.contents, bytes):
        return result(
            None,
            [
                Finding(
                    "error",
                    "",
                    "not_json",
                    f"its contents are {interaction.content_type}, not JSON: every ThrillPots event is a JSON object",
                )
            ],
            sent=False,
        )
    named = interaction.metadata.get("event_type")
    if named is not None:
        if named in EVENT_TYPES:
            return result(str(named), _check_as(interaction, str(named)))
        return result(
            None,
            [
                Finding(
                    "error",
                    "",
                    "event_type",
                    f"its event_type metadata {json.dumps(named)} names no ThrillPots event."
                    + (did_you_mean(named, EVENT_TYPES) if isinstance(named, str) else "")
                    + f" (the events are {', '.join(EVENT_TYPES)})",
                )
            ],
        )
    legacy = legacy_description(interaction.description)
    if legacy is not None:
        return result(legacy[0], _check_as(interaction, legacy[0]))
    by_type = {name: _check_as(interaction, name) for name in EVENT_TYPES}
    fitting = [name for name, findings in by_type.items() if not any(f.severity == "error" for f in findings)]
    if fitting:
        chosen = fitting[0]
        others = f"; they fit {', '.join(fitting[1:])} as well" if len(fitting) > 1 else ""
        note = Finding(
            "warning",
            "",
            "event_type",
            f"no event_type in its message metadata: taken as {chosen}, the event its contents fit{others}. "
            'Producers route a message by that metadata: add {"event_type": "' + chosen + '"}',
        )
        return result(chosen, [note, *by_type[chosen]])
    contents = interaction.contents if isinstance(interaction.contents, Mapping) else {}

    def distance(name: str) -> tuple[int, int]:
        return sum(f.severity == "error" for f in by_type[name]), -len(set(contents) & set(spec(name).fields))

    closest = min(EVENT_TYPES, key=distance)
    note = Finding(
        "error",
        "",
        "event_type",
        f"no event_type in its message metadata, and its contents fit no event: checked as {closest}, the closest",
    )
    return result(closest, [note, *by_type[closest]])


SENT_METADATA = {
    "event_type": None,
    "contentType": CONTENT_TYPE,
    "content-type": CONTENT_TYPE,
    "Content-Type": CONTENT_TYPE,
}
"""The metadata every ThrillPots message carries (the AsyncAPI document's headers), and its value
where it is fixed; the verifier compares the metadata a pact expects as well as the body."""


def _metadata_findings(interaction: MessageInteraction) -> list[Finding]:
    findings = []
    if interaction.content_type is not None and interaction.content_type.strip().lower() != CONTENT_TYPE:
        findings.append(
            Finding(
                "error",
                "",
                "content_type",
                f"its contents are {interaction.content_type}, but ThrillPots messages are {CONTENT_TYPE}, so no "
                "message can pass",
            )
        )
    for key, value in interaction.metadata.items():
        if key not in SENT_METADATA:
            findings.append(
                Finding(
                    "error",
                    "",
                    "metadata",
                    f"message metadata {key!r}: ThrillPots messages carry only the event_type and contentType "
                    "metadata, so no message can pass",
                )
            )
        elif SENT_METADATA[key] not in (None, value) and key not in interaction.metadata_rules:
            findings.append(
                Finding(
                    "error",
                    "",
                    "metadata",
                    f"message metadata {key!r}: the pact expects {json.dumps(value)}, but ThrillPots messages say "
                    f"{json.dumps(SENT_METADATA[key])} (the verifier compares it exactly), so no message can pass",
                )
            )
    return findings


def _check_as(interaction: MessageInteraction, event_type: str) -> list[Finding]:
    walker = SpecWalker(interaction.rule_at, interaction.state_names)
    walker.walk(spec(event_type), interaction.contents, ())
    walker.rule_paths(spec(event_type), interaction.rules.values(), event_type)
    return walker.results()

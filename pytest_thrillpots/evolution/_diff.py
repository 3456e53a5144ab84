"""Breaking-change detection between two versions of the contracts, per event and per field path.

Each change is judged in the Confluent Schema Registry's terms, one direction at a time:

- BACKWARD: readers on the new contract can read what writers on the old contract sent;
- FORWARD: readers on the old contract can read what writers on the new contract send;
- FULL: both.

Two premises decide the cases where JSON Schema alone is ambiguous (docs/diff.md explains them):
readers ignore fields their schema does not name unless ``additionalProperties`` is ``false``
(the tolerant reader the spec asks for), and an unknown field a writer sends never collides with
a field a later version names. Under them a removed field breaks FORWARD only: new readers
ignore it, old readers miss it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from pytest_thrillpots._errors import did_you_mean
from pytest_thrillpots.evolution._change import BACKWARD, FORWARD, MODES, ContractChange, Mode
from pytest_thrillpots.evolution._compare import Comparer
from pytest_thrillpots.evolution._contracts import ContractSource, load_contracts
from pytest_thrillpots.evolution._schema import schema_node


@dataclass(frozen=True)
class DiffReport:
    """Every change between two versions of the contracts, and the verdict in one mode."""

    old: str
    new: str
    mode: Mode
    changes: tuple[ContractChange, ...]

    @property
    def breaking(self) -> tuple[ContractChange, ...]:
        """The changes not allowed under ``mode``."""
        return tuple(c for c in self.changes if c.breaks_in(self.mode))

    @property
    def compatible(self) -> bool:
        return not self.breaking

    def summary(self) -> str:
        if not self.changes:
            return f"No changes between {self.old} and {self.new}: compatible in {self.mode} mode."
        total = len(self.changes)
        events = len({c.event for c in self.changes})
        counts = ", ".join(
            f"{sum(direction in c.breaks for c in self.changes)} break {direction}" for direction in (BACKWARD, FORWARD)
        )
        tally = f"{total} change{'s' if total != 1 else ''} in {events} event{'s' if events != 1 else ''} ({counts})"
        if self.compatible:
            return f"{tally}: compatible in {self.mode} mode."
        return f"{tally}: BREAKING in {self.mode} mode ({len(self.breaking)} of {total} not allowed)."

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
        if lines:
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "mode": self.mode,
            "compatible": self.compatible,
            "summary": self.summary(),
            "changes": [c.to_dict(self.mode) for c in self.changes],
        }


def diff_contracts(
    old: ContractSource, new: ContractSource, *, mode: Mode = "backward", cwd: str | os.PathLike[str] | None = None
) -> DiffReport:
    """Compare two versions of the contracts and classify every change.

    ``old`` and ``new`` are each a schema directory, a schema file, an AsyncAPI document,
    ``"git:REF"`` (the contracts at a commit; ``"git:REF:PATH"`` for another path), or a
    ``{name: schema}`` mapping; relative paths and ``git:`` are taken from ``cwd`` (default: the
    current directory). ``mode`` also takes the Confluent spelling (``"BACKWARD"``). Raises
    ``ContractSourceError`` when a version cannot be read.
    """
    mode = str(mode).lower()  # type: ignore[assignment]
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use backward, forward or full." + did_you_mean(str(mode), MODES))
    before, after = load_contracts(old, cwd=cwd), load_contracts(new, cwd=cwd)
    structures = before.structures | after.structures
    names = [n for n in before.events if n not in structures]
    names += [n for n in after.events if n not in structures and n not in before.events]
    changes: list[ContractChange] = []
    for name in names:
        comparer = Comparer(name, changes)
        if name not in after.events:
            comparer.add(
                (), "event_removed", backward=f"new readers have no schema for the {name} events old writers send"
            )
        elif name not in before.events:
            comparer.add(
                (), "event_added", forward=f"old readers have no schema for the {name} events new writers send"
            )
        else:
            old_root = schema_node(before, *before.events[name])
            new_root = schema_node(after, *after.events[name])
            comparer.compare(old_root, new_root, ())
            comparer.compare_definitions(old_root, new_root)
    return DiffReport(before.label, after.label, mode, tuple(changes))

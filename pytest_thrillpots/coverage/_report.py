"""The contract coverage report: per event, the tests, validations, assertions and pinned fields.

Built from a session's ``Recorder``; shown as a table in the terminal summary and written as
JSON for CI (its schema is ``coverage-report.schema.json`` beside this module).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_thrillpots.coverage._recorder import PIN_SOURCES, REPORT_FORMAT, leaf_fields
from pytest_thrillpots.spec._paths import to_human

if TYPE_CHECKING:
    from pytest_thrillpots.coverage._recorder import Recorder


@dataclass(frozen=True)
class EventCoverage:
    event_type: str
    tests: tuple[str, ...]
    validated: int
    asserted: int
    fields: tuple[str, ...]
    """Every leaf field of the event, in the spec's order."""
    pinned_by: Mapping[str, tuple[str, ...]]

    @property
    def pinned(self) -> tuple[str, ...]:
        union = {path for paths in self.pinned_by.values() for path in paths}
        return tuple(path for path in self.fields if path in union)

    @property
    def not_pinned(self) -> tuple[str, ...]:
        pinned = set(self.pinned)
        return tuple(path for path in self.fields if path not in pinned)

    @property
    def touched(self) -> bool:
        return bool(self.validated or self.asserted or self.pinned)


@dataclass(frozen=True)
class MissingWorker:
    """A pytest-xdist worker that crashed: its counts are not in the report."""

    worker: str
    tests: tuple[str, ...]
    """The tests it ran (reported to the controller) before it crashed, sorted."""

    def line(self) -> str:
        tests = f": {', '.join(self.tests)}" if self.tests else ""
        return (
            f"INCOMPLETE: pytest-xdist worker {self.worker} crashed and its data is missing; this report lacks "
            f"the counts of the {len(self.tests)} test{'s' if len(self.tests) != 1 else ''} it ran{tests}"
        )


@dataclass(frozen=True)
class CoverageReport:
    events: tuple[EventCoverage, ...]
    unidentified: int
    missing: tuple[MissingWorker, ...] = ()
    """Workers whose data never reached the controller: the report is incomplete when there are any."""

    @property
    def complete(self) -> bool:
        return not self.missing

    @classmethod
    def from_recorder(cls, recorder: Recorder) -> CoverageReport:
        events = []
        for name, tally in recorder.tallies.items():
            fields = tuple(to_human(leaf) for leaf in leaf_fields(name))
            events.append(
                EventCoverage(
                    event_type=name,
                    tests=tuple(sorted(tally.tests)),
                    validated=tally.validated,
                    asserted=tally.asserted,
                    fields=fields,
                    pinned_by={
                        by: tuple(p for p in fields if p in tally.pinned[by])
                        for by in PIN_SOURCES
                        if tally.pinned.get(by)
                    },
                )
            )
        missing = tuple(MissingWorker(worker, tests) for worker, tests in sorted(recorder.lost.items()))
        return cls(tuple(events), recorder.unidentified, missing)

    @property
    def untouched(self) -> tuple[str, ...]:
        return tuple(event.event_type for event in self.events if not event.touched)

    def to_json(self) -> dict[str, Any]:
        """The report for CI: the schema is ``coverage-report.schema.json`` beside this module."""
        field_count = sum(len(event.fields) for event in self.events)
        pinned_count = sum(len(event.pinned) for event in self.events)
        return {
            "format": REPORT_FORMAT,
            "complete": self.complete,
            "missing": [{"worker": m.worker, "tests": list(m.tests)} for m in self.missing],
            "summary": {
                "event_types": len(self.events),
                "event_types_touched": len(self.events) - len(self.untouched),
                "fields": field_count,
                "fields_pinned": pinned_count,
                "unidentified_comparisons": self.unidentified,
            },
            "untouched": list(self.untouched),
            "events": {
                event.event_type: {
                    "tests": len(event.tests),
                    "test_ids": list(event.tests),
                    "validated": event.validated,
                    "asserted": event.asserted,
                    "fields": len(event.fields),
                    "pinned": list(event.pinned),
                    "not_pinned": list(event.not_pinned),
                    "pinned_by": {by: list(paths) for by, paths in event.pinned_by.items()},
                }
                for event in self.events
            },
        }

    def table_lines(self, *, verbose: bool = False) -> list[str]:
        """The terminal summary: one row per event type, then what no test touched."""
        width = max(len("event type"), *(len(event.event_type) for event in self.events))
        header = f"{'event type':<{width}}  tests  validated  asserted  fields pinned"
        lines = [missing.line() for missing in self.missing]
        lines.append(header)

        def row(label: str, tests: int, validated: int, asserted: int, pinned: int, fields: int) -> str:
            share = f"{pinned}/{fields}"
            percent = f"{100 * pinned // fields}%" if fields else "-"
            return f"{label:<{width}}  {tests:>5}  {validated:>9}  {asserted:>8}  {share:>8} {percent:>4}"

        for event in self.events:
            lines.append(
                row(
                    event.event_type,
                    len(event.tests),
                    event.validated,
                    event.asserted,
                    len(event.pinned),
                    len(event.fields),
                )
            )
            if verbose and event.touched and event.not_pinned:
                lines.append(f"  not pinned: {', '.join(event.not_pinned)}")
        lines.append(
            row(
                "total",
                len({test for event in self.events for test in event.tests}),
                sum(event.validated for event in self.events),
                sum(event.asserted for event in self.events),
                sum(len(event.pinned) for event in self.events),
                sum(len(event.fields) for event in self.events),
            )
        )
        if self.untouched:
            lines.append(f"not touched by any test: {', '.join(self.untouched)}")
        else:
            lines.append("every event type was touched by a test")
        if self.unidentified:
            count = self.unidentified
            lines.append(
                f"{count} assert_events_equal call{'s' if count != 1 else ''} compared payloads of no "
                "identifiable event type (not counted)"
            )
        pins = [
            f"  {event.event_type} ({by}): {', '.join(paths) if verbose else _field_list(paths, event.fields)}"
            for event in self.events
            for by, paths in event.pinned_by.items()
        ]
        if pins:
            lines.extend(["pinned fields, by what pinned them:", *pins])
        return lines


def _field_list(paths: Sequence[str], fields: Sequence[str]) -> str:
    """``paths`` in a short line: named one by one, or as what they leave out when that is shorter."""
    left_out = [path for path in fields if path not in set(paths)]
    if not left_out:
        return f"all {len(fields)} fields"
    if len(left_out) < len(paths):
        return f"all {len(fields)} fields but {', '.join(left_out)}"
    return ", ".join(paths)

"""The contract coverage recorder: which parts of the spec a test session exercised.

Off unless ``--thrillpots-report`` installs a ``Recorder`` in ``RECORDER``. The checks in
``validate`` and the assertion helpers are a single ``RECORDER is not None`` test, so a session
without the report pays for nothing else. Fields are counted as the spec's *leaf* fields
(``pots[*].current_value``, ``metadata``): pinning an object pins every leaf below it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from pytest_thrillpots._errors import IdentifyError
from pytest_thrillpots.spec import EVENT_TYPES, identify, iter_fields, spec
from pytest_thrillpots.spec._paths import PathPart, parse_human, to_human

if TYPE_CHECKING:
    from pytest_thrillpots.coverage._report import CoverageReport

PinSource = Literal["matches_spec", "assert_events_equal", "pact"]
PIN_SOURCES: Final[tuple[PinSource, ...]] = ("matches_spec", "assert_events_equal", "pact")
REPORT_FORMAT: Final = "thrillpots-coverage/1"
"""The ``format`` of the JSON report; bumped when a field changes meaning or goes away."""
WIRE_KEY: Final = "thrillpots_coverage"
"""The key of an xdist worker's recorded data in its ``workeroutput``."""

RECORDER: Recorder | None = None
"""The session's recorder while the report is on; None (the default) records nothing."""


def record_pinned(event_type: str, paths: Iterable[str | Sequence[PathPart]]) -> None:
    """Count the fields a Pact contract pins (what its ``fields=`` and pins name) for the report.

    ``paths`` are field paths as people write them (``"win_amount"``,
    ``"community_winners[*].player_id"``; an index counts as ``[*]``). Does nothing when the
    report is off; paths that are not fields of the spec pin nothing.
    """
    if RECORDER is not None:
        RECORDER.pin(event_type, paths, "pact")


def payload_paths(payload: object, prefix: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    """The paths to every value a payload holds that is not itself a non-empty object or array.

    For ``record_pinned(event_type, payload_paths(example))``: the fields an example message
    carries are the fields its contract pins.
    """
    if isinstance(payload, Mapping) and payload:
        for key, value in payload.items():
            yield from payload_paths(value, (*prefix, str(key)))
    elif isinstance(payload, (list, tuple)) and payload:
        for item in payload:
            yield from payload_paths(item, (*prefix, "*"))
    elif prefix:
        yield prefix


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Record nothing inside: for the toolkit's own checks, which are no test exercising the contract.

    (A failure report re-validating what its comparison counted, a factory checking its events.)
    """
    global RECORDER
    recorder, RECORDER = RECORDER, None
    try:
        yield
    finally:
        RECORDER = recorder


@functools.cache
def leaf_fields(event_type: str) -> tuple[tuple[PathPart, ...], ...]:
    """The spec's leaf fields of an event (no listed field below them), in the spec's order."""
    paths = [path for path, _ in iter_fields(spec(event_type))]
    return tuple(p for p in paths if not any(len(q) > len(p) and q[: len(p)] == p for q in paths))


def _spec_prefix(event_type: str, path: str | Sequence[PathPart]) -> tuple[PathPart, ...] | None:
    """The spec field a path names, with indices as ``*``; None when it names no spec field."""
    try:
        parts = parse_human(path) if isinstance(path, str) else list(path)
    except ValueError:
        return None
    node = spec(event_type)
    prefix: list[PathPart] = []
    for part in parts:
        if node.free_form:
            break
        if node.kind == "array" and node.items is not None and (isinstance(part, int) or part == "*"):
            node, step = node.items, "*"
        elif node.kind == "object" and isinstance(part, str) and part in node.fields:
            node, step = node.fields[part], part
        else:
            # Not a listed field: a further key of an open map, or a name the spec lacks.
            return None
        prefix.append(step)
    return tuple(prefix) or None


def leaves_below(event_type: str, paths: Iterable[str | Sequence[PathPart]]) -> set[str]:
    """The leaf fields, as human paths, that pinning (or ignoring) ``paths`` covers."""
    covered: set[str] = set()
    for path in paths:
        covered.update(_leaves_below_one(event_type, path if isinstance(path, str) else tuple(path)))
    return covered


@functools.cache
def _leaves_below_one(event_type: str, path: str | tuple[PathPart, ...]) -> frozenset[str]:
    # Cached: a suite pins the same few paths over and over.
    prefix = _spec_prefix(event_type, path)
    if prefix is None:
        return frozenset()
    # An item of an array of scalars (``allowed_brands[0]``) counts for the array's leaf.
    return frozenset(
        to_human(leaf)
        for leaf in leaf_fields(event_type)
        if leaf[: len(prefix)] == prefix or prefix[: len(leaf)] == leaf
    )


@functools.cache
def _all_leaves(event_type: str) -> frozenset[str]:
    return frozenset(to_human(leaf) for leaf in leaf_fields(event_type))


@dataclass
class EventTally:
    """What the session did with one event type."""

    validated: int = 0
    asserted: int = 0
    tests: set[str] = field(default_factory=set)
    pinned: dict[str, set[str]] = field(default_factory=dict)
    """Leaf field paths by what pinned them (``matches_spec``, ``assert_events_equal``, ``pact``)."""


class Recorder:
    """Counts, per event type, the events validated and asserted and the fields pinned."""

    def __init__(self) -> None:
        self.tallies: dict[str, EventTally] = {name: EventTally() for name in EVENT_TYPES}
        self.unidentified = 0
        """``assert_events_equal`` calls whose payloads are no event type ``identify`` can tell."""
        self.current_test: str | None = None
        """The node id of the running test; None between tests (collection, session set-up)."""
        self.lost: dict[str, tuple[str, ...]] = {}
        """pytest-xdist workers whose data never arrived (they crashed), with the tests each ran."""

    def _tally(self, event_type: str) -> EventTally:
        tally = self.tallies[event_type]
        if self.current_test is not None:
            tally.tests.add(self.current_test)
        return tally

    def count_validated(self, event_type: str) -> None:
        self._tally(event_type).validated += 1

    def count_asserted(self, event_type: str) -> None:
        self._tally(event_type).asserted += 1

    def pin(self, event_type: str, paths: Iterable[str | Sequence[PathPart]], by: PinSource) -> None:
        if event_type in self.tallies:
            self._pin_leaves(event_type, leaves_below(event_type, paths), by)

    def _pin_leaves(self, event_type: str, leaves: Iterable[str], by: PinSource) -> None:
        self._tally(event_type).pinned.setdefault(by, set()).update(leaves)

    def match(self, event_type: str, paths: Iterable[Sequence[PathPart]]) -> None:
        """A ``matches_spec`` comparison: one event asserted, its named fields pinned."""
        self.count_asserted(event_type)
        self.pin(event_type, paths, "matches_spec")

    def compare(self, actual: object, expected: object, ignore: Sequence[str]) -> None:
        """An ``assert_events_equal`` call: every field but the ignored ones is pinned."""
        event_type = _identify_either(expected, actual)
        if event_type is None:
            self.unidentified += 1
            return
        self.count_asserted(event_type)
        self._pin_leaves(event_type, _all_leaves(event_type) - leaves_below(event_type, ignore), "assert_events_equal")

    def to_wire(self) -> dict[str, Any]:
        """Plain data an xdist worker sends to the controller (execnet carries only builtins)."""
        return {
            "unidentified": self.unidentified,
            "events": {
                name: {
                    "validated": tally.validated,
                    "asserted": tally.asserted,
                    "tests": sorted(tally.tests),
                    "pinned": {by: sorted(paths) for by, paths in tally.pinned.items()},
                }
                for name, tally in self.tallies.items()
            },
        }

    def merge(self, wire: Mapping[str, Any]) -> None:
        """Add a worker's ``to_wire()`` data to this recorder."""
        self.unidentified += int(wire.get("unidentified", 0))
        for name, data in wire.get("events", {}).items():
            tally = self.tallies.get(name)
            if tally is None:
                continue
            tally.validated += int(data["validated"])
            tally.asserted += int(data["asserted"])
            tally.tests.update(data["tests"])
            for by, paths in data["pinned"].items():
                tally.pinned.setdefault(by, set()).update(paths)

    def lose_worker(self, worker: str, tests: Iterable[str]) -> None:
        """A worker's data is missing: the report says so, naming the tests whose counts it lacks."""
        self.lost[worker] = tuple(sorted(tests))

    def report(self) -> CoverageReport:
        from pytest_thrillpots.coverage._report import CoverageReport

        return CoverageReport.from_recorder(self)


def _identify_either(*payloads: object) -> str | None:
    for payload in payloads:
        try:
            return identify(payload)
        except IdentifyError:
            continue
    return None


__all__ = [
    "PIN_SOURCES",
    "RECORDER",
    "REPORT_FORMAT",
    "Recorder",
    "leaf_fields",
    "leaves_below",
    "paused",
    "payload_paths",
    "record_pinned",
]

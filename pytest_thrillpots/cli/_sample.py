"""Write realistic, valid sample events from the factories.

One event is written as pretty JSON, several as NDJSON (one event per line); --format
chooses. The same --seed gives the same bytes. Every event written validates against the
spec (strict); a --set that would make one invalid is an error.

  thrillpots sample WinEvent --seed 42
  thrillpots sample WinEvent --count 100 --trait withheld --set seed=7
  thrillpots sample --all --coverage -n 2 --seed 7 --output events.ndjson

--output FILE replaces FILE only once every event is written (a failed run leaves it as it
was), with the mode the old FILE had, or that the umask gives a new file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from pytest_thrillpots._errors import ThrillpotsError
from pytest_thrillpots._seed import parse_seed, random_seed
from pytest_thrillpots.cli._common import EXIT_OK, AtomicFile, BinaryOutput, UsageError, isatty, stdout_buffer
from pytest_thrillpots.spec import EVENT_TYPES
from pytest_thrillpots.spec._paths import PathPart, parse_human

if TYPE_CHECKING:
    from pytest_thrillpots.factories import BoundFactory

_TraitUse = tuple[str, tuple[int, ...], dict[str, int]]
"""A --trait as given: its name, positional and named parameters."""

PROGRESS_FROM = 10_000
"""Draw a progress line (on a terminal) only for runs of at least this many events."""
CHUNK = 1_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", nargs="?", metavar="EVENT", help="the event (or structure) to write, e.g. WinEvent")
    parser.add_argument("--all", action="store_true", help="write every event type, in the spec's order")
    parser.add_argument(
        "--count", "-n", dest="count", type=int, default=1, metavar="N", help="events per type (default: 1)"
    )
    parser.add_argument(
        "--seed", default=None, metavar="S", help="the seed: the same seed writes the same bytes (default: random)"
    )
    parser.add_argument(
        "--trait",
        dest="traits",
        action="append",
        default=[],
        metavar="NAME[:K=V,...]",
        help="apply a trait (repeatable), e.g. withheld or community:n=5",
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="PATH=JSON",
        help="set a field (repeatable): currency_multipliers.base_currency='\"GBP\"' or "
        "community_winners[0].win_amount=10; a value that is not JSON is taken as a string",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="first write each type's coverage events (every nullable field null and set, every enum "
        "value, empty and non-empty arrays); they ignore --trait and --set",
    )
    parser.add_argument(
        "--format", choices=("json", "ndjson"), default=None, help="default: json for one event, else ndjson"
    )
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE (default: standard output)")


def run(args: argparse.Namespace) -> int:

    names = _names(args)
    if args.count < 0:
        raise UsageError(f"--count takes a number of events >= 0, not {args.count}")
    if args.coverage and (args.traits or args.sets):
        raise UsageError("--coverage events take every branch on their own; use them without --trait and --set")
    chosen = _seed_of(args.seed)
    seed = chosen if chosen is not None else random_seed()
    plans = _plans(names, seed, [_parse_trait(t) for t in args.traits], [_parse_set(s) for s in args.sets])
    if args.coverage:
        for plan in plans:
            plan.coverage = plan.factory.coverage()
    total = sum(len(p.coverage) for p in plans) + args.count * len(plans)
    pretty = (args.format or ("json" if total == 1 else "ndjson")) == "json"
    # On a terminal the events themselves show the progress; a progress line would run into them.
    to_terminal = not args.output and isatty(sys.stdout)
    events = _events(plans, args.count, total, show_progress=not to_terminal)
    if args.output:
        with AtomicFile(args.output) as out:
            _write(out, events, pretty=pretty, single=total == 1)
    else:
        stdout = BinaryOutput(stdout_buffer(), "standard output")
        _write(stdout, events, pretty=pretty, single=total == 1)
        stdout.flush()
    if chosen is None:
        print(f"thrillpots: seed {seed} (pass --seed {seed} for the same events)", file=sys.stderr)
    return EXIT_OK


def _names(args: argparse.Namespace) -> list[str]:
    from pytest_thrillpots.factories import FACTORIES, factory_for

    if args.all and args.event:
        raise UsageError(f"name an EVENT or use --all, not both (got {args.event!r} and --all)")
    if args.all:
        return list(EVENT_TYPES)
    if not args.event:
        raise UsageError(f"name an EVENT ({', '.join(FACTORIES)}) or use --all")
    try:
        return [factory_for(args.event).name]
    except ThrillpotsError as exc:
        raise UsageError(str(exc)) from None


def _seed_of(text: str | None) -> int | None:
    """The seed given, or None for a random one."""

    if text is None:
        return None
    try:
        return parse_seed(text)
    except ValueError as exc:
        raise UsageError(f"--seed: {exc}") from None


def _parse_trait(text: str) -> _TraitUse:
    from pytest_thrillpots.factories._traits import parse_trait

    if not any(mark in text for mark in ":()"):
        return text.strip(), (), {}  # a bare name, known or not: the factory lists its traits when not
    try:
        name, args, params = parse_trait(text)
    except ThrillpotsError:
        raise UsageError(f"--trait {text}: write parameters as NAME:KEY=NUMBER, e.g. community:n=5") from None
    return name, args, params


def _parse_set(text: str) -> tuple[str, tuple[PathPart, ...], Any]:

    path, sep, raw = text.partition("=")
    if not sep or not path:
        raise UsageError(f"--set {text}: write it as PATH=JSON, e.g. jackpot_currency='\"GBP\"' or seed=7")
    from pytest_thrillpots.spec._paths import from_keyword

    try:
        parts = from_keyword(path) if "__" in path else tuple(parse_human(path))
    except ValueError as exc:
        raise UsageError(f"--set {text}: {exc}") from None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        value = raw
    return path, parts, value


@dataclass
class _Plan:
    """What to write for one event type."""

    name: str
    factory: BoundFactory
    overrides: dict[str, Any]
    coverage: list[dict[str, Any]] = field(default_factory=list)


def _plans(
    names: list[str],
    seed: int,
    traits: list[_TraitUse],
    sets: list[tuple[str, tuple[PathPart, ...], Any]],
) -> list[_Plan]:
    from pytest_thrillpots.factories import factory_for
    from pytest_thrillpots.factories._engine import check_override
    from pytest_thrillpots.spec._paths import to_keyword

    plans = []
    used_traits: set[str] = set()
    used_sets: dict[str, str] = {}
    for name in names:
        factory = factory_for(name).seeded(seed)
        for trait, args, params in traits:
            if trait in factory.traits or len(names) == 1:
                try:
                    factory = factory.trait(trait, *args, **params)
                except ThrillpotsError as exc:
                    raise UsageError(f"--trait {trait}: {exc}") from None
                used_traits.add(trait)
        overrides: dict[str, Any] = {}
        for text, parts, value in sets:
            try:
                check_override(name, parts, text)
            except ThrillpotsError as exc:
                used_sets.setdefault(text, str(exc))
                if len(names) == 1:
                    raise UsageError(f"--set {text}: {exc}") from None
                continue
            used_sets[text] = ""
            overrides[to_keyword(parts)] = value
        plans.append(_Plan(name, factory, overrides))
    _check_all_used(names, traits, used_traits, used_sets)
    return plans


def _check_all_used(
    names: list[str], traits: list[_TraitUse], used_traits: set[str], used_sets: dict[str, str]
) -> None:
    from pytest_thrillpots.factories._traits import TRAITS

    for trait, *_ in traits:
        if trait not in used_traits:
            offered = "; ".join(f"{n}: {', '.join(t.signature for t in TRAITS[n].values()) or 'none'}" for n in names)
            raise UsageError(f"--trait {trait}: no event type here has it (traits: {offered})")
    for text, problem in used_sets.items():
        if problem:
            raise UsageError(f"--set {text}: no event type here has that field ({problem})")


def _events(plans: list[_Plan], count: int, total: int, *, show_progress: bool) -> Iterator[dict[str, Any]]:
    from pytest_thrillpots.cli._progress import Progress
    from pytest_thrillpots.validation._validate import validate

    progress = Progress("generated", "events", total)
    progress.enabled = progress.enabled and show_progress and total >= PROGRESS_FROM
    for plan in plans:
        chunks = [plan.coverage] if plan.coverage else []
        remaining = count
        while remaining or chunks:
            if chunks:
                events = chunks.pop()
            else:
                events = plan.factory.batch(min(remaining, CHUNK), **plan.overrides)
                remaining -= len(events)
            for event in events:
                if plan.name in EVENT_TYPES:
                    violations = validate(
                        event, plan.name, strict=True, allow_legacy_winners=plan.factory.legacy_winners
                    )
                    if violations:
                        details = "; ".join(str(v) for v in violations[:3])
                        raise UsageError(f"--set makes the {plan.name} invalid: {details}")
                yield event
            progress.advance(len(events))
    progress.done()


def _write(out: BinaryOutput, events: Iterator[dict[str, Any]], *, pretty: bool, single: bool) -> None:
    if pretty and single:
        for event in events:
            out.write(orjson.dumps(event, option=orjson.OPT_INDENT_2) + b"\n")
        return
    if pretty:
        out.write(b"[")
        first = True
        for event in events:
            text = orjson.dumps(event, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
            out.write((b"\n  " if first else b",\n  ") + text)
            first = False
        out.write(b"]\n" if first else b"\n]\n")
        return
    for event in events:
        out.write(orjson.dumps(event) + b"\n")

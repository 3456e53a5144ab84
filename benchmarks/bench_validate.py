"""Benchmark: ``validate()`` on JSON text against its peers, every row side by side in one run.

Streams of NDJSON lines, generated from the package's factories (a seeded, realistic event of each
type) and, for the invalid streams, ``mutations()`` (one defect each, of every kind the spec allows:
a missing field, a wrong type, null, an enum miss, a wrong container, a missing or wrong map key,
the legacy tuple, and in strict mode an unknown field; the kind is drawn evenly from an event's
mutants). Two scenarios: WinEvents only (the largest event), and a mix of the six types in turn.

The rows, each ``thrillpots / peer`` on the same lines:

- one-defect events, every violation: ``validate(line, type, strict=...)`` against
  ``list(validator.iter_errors(orjson.loads(line)))`` of jsonschema-rs (the compiled engine, on the
  same schema files; strict mode adds ``additionalProperties: false`` where ``validate`` reports
  unknown fields);
- valid events: ``validate(line, type)`` against ``orjson.loads(line)`` alone, the parse-only floor;
  the typed msgspec decode that ``validate`` starts with is shown beside it, for scale;
- for reference, the pure-Python ``jsonschema`` (``orjson.loads`` + ``list(iter_errors())``) on the
  one-defect mix, on a slice of the lines (it is far slower; the rate is per event).

Each round runs every contender once on its lines, the pairs of a row next to each other and the
order reversed every other round, timed in this process's CPU time; a row's ratio is the median of
its per-round ratios, so drift and other load on a shared machine hit both sides alike. Only ratios
are printed.

    python benchmarks/bench_validate.py [--events 20000] [--rounds 9] [--profile]

``--profile`` shows instead where validate()'s time goes on the one-defect lines: the failed typed
decode, the parse, the collector's walk, and the rest (dispatch, recording each violation).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson

from pytest_thrillpots import EVENT_TYPES, mutations, validate
from pytest_thrillpots.factories import factory_for
from pytest_thrillpots.validation._engine import engine
from pytest_thrillpots.validation._fastpath import fast_decoder

Line = tuple[bytes, str]
TARGETS = {"one-defect": 1.0, "valid": 0.9}


def valid_lines(types: tuple[str, ...], count: int) -> list[Line]:
    factories = {name: factory_for(name).seeded(2024) for name in types}
    lines = []
    for index in range(count):
        name = types[index % len(types)]
        lines.append((orjson.dumps(factories[name].build()), name))
    return lines


def one_defect_lines(types: tuple[str, ...], count: int, *, strict: bool) -> list[Line]:
    """Each line a valid event with one defect, the kind drawn evenly from the event's mutants."""
    rng = random.Random(7)
    factories = {name: factory_for(name).seeded(2024) for name in types}
    counts = {name: sum(1 for _ in mutations(factories[name].build(), name, strict=strict)) for name in types}
    lines = []
    for index in range(count):
        name = types[index % len(types)]
        pick = rng.randrange(counts[name])
        mutant = next(itertools.islice(mutations(factories[name].build(), name, strict=strict), pick, None), None)
        if mutant is None:  # this event has fewer mutants (shorter arrays): take its last kind
            *_, mutant = mutations(factories[name].build(), name, strict=strict)
        lines.append((orjson.dumps(mutant.payload), name))
    return lines


def ours(strict: bool) -> Callable[[list[Line]], int]:
    def run(lines: list[Line]) -> int:
        return sum(len(validate(line, name, strict=strict)) for line, name in lines)

    return run


def jsonschema_rs(strict: bool) -> Callable[[list[Line]], int]:
    validators = {name: engine(name, strict, False) for name in EVENT_TYPES}
    loads = orjson.loads

    def run(lines: list[Line]) -> int:
        return sum(len(list(validators[name].iter_errors(loads(line)))) for line, name in lines)

    return run


def jsonschema_reference(strict: bool) -> Callable[[list[Line]], int]:
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from pytest_thrillpots.spec import raw_schemas
    from pytest_thrillpots.validation._engine import strict_schema

    schemas = {name: strict_schema(s) if strict else s for name, s in raw_schemas().items()}
    registry: Any = Registry().with_resources(
        (schema["$id"], DRAFT202012.create_resource(schema)) for schema in schemas.values()
    )
    validators = {name: Draft202012Validator(schemas[name], registry=registry) for name in EVENT_TYPES}

    def run(lines: list[Line]) -> int:
        return sum(len(list(validators[name].iter_errors(orjson.loads(line)))) for line, name in lines)

    return run


def parse_floor(lines: list[Line]) -> int:
    loads = orjson.loads
    return sum(loads(line) is not None for line, _ in lines)


def typed_decode(lines: list[Line]) -> int:
    """The first step of validate() alone: the typed msgspec decoder it starts with."""
    decoders = {name: fast_decoder(name, False) for name in EVENT_TYPES}
    count = 0
    for line, name in lines:
        fast = decoders[name]
        assert fast is not None
        decoded = fast.decode(line)
        count += fast.keys_present is None or fast.keys_present(decoded)
    return count


def profile(name: str, lines: list[Line], strict: bool, rounds: int) -> None:
    """Where validate()'s time goes on one-defect lines, as shares, and the floors of this design."""
    import msgspec

    from pytest_thrillpots.validation._codegen import collector
    from pytest_thrillpots.validation._validate import _parse

    decoders = {name: fast_decoder(name, strict) for name in EVENT_TYPES}
    collectors = {name: collector(name, strict, True) for name in EVENT_TYPES}
    parsed = [(_parse(line), name) for line, name in lines]

    def decode(batch: list[Line]) -> int:
        for line, name in batch:
            try:  # noqa: SIM105 - contextlib.suppress would add its own cost to what is measured
                decoders[name].decode(line)  # type: ignore[union-attr]
            except msgspec.ValidationError:
                pass
        return 0

    def parse(batch: list[Line]) -> int:
        return sum(_parse(line) is not None for line, _ in batch)

    def walk(_: list[Line]) -> int:
        return sum(len(collectors[name](value)) for value, name in parsed)  # type: ignore[misc]

    steps = {"typed decode (fails)": decode, "parse": parse, "collector walk": walk}
    times: dict[str, list[float]] = {step: [] for step in [*steps, "validate", "jsonschema-rs"]}
    peer = jsonschema_rs(strict)
    for _ in range(rounds):
        for step, run in [*steps.items(), ("validate", ours(strict)), ("jsonschema-rs", peer)]:
            times[step].append(cpu_time(run, lines))
    median = {step: statistics.median(values) for step, values in times.items()}
    total = median["validate"]
    rest = total - sum(median[step] for step in steps)
    shares = ", ".join(f"{step} {median[step] / total:.0%}" for step in steps) + f", the rest {rest / total:.0%}"
    floor = median["jsonschema-rs"] / (median["typed decode (fails)"] + median["parse"])
    print(
        f"{name}: {shares}; with a free walk: {floor:.2f}x; parse alone: {median['jsonschema-rs'] / median['parse']:.2f}x"
    )


def cpu_time(run: Callable[[list[Line]], int], lines: list[Line]) -> float:
    start = time.process_time()
    run(lines)
    return time.process_time() - start


Row = tuple[str, list[Line], Callable[[list[Line]], int], Callable[[list[Line]], int], float | None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000, help="lines per stream (default 20000)")
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds; medians are reported (default 9)")
    parser.add_argument("--reference-events", type=int, default=600, help="lines for pure-Python jsonschema")
    parser.add_argument("--only", default="", help="run only the rows whose name contains this text")
    parser.add_argument("--profile", action="store_true", help="where the time of one-defect lines goes, instead")
    args = parser.parse_args(argv)

    if args.profile:
        print("one-defect lines: the share of validate()'s time each step takes, and jsonschema-rs / the steps")
        for scenario, types in {"WinEvent": ("WinEvent",), "mix": EVENT_TYPES}.items():
            for strict in (True, False):
                lines = one_defect_lines(types, args.events, strict=strict)
                profile(f"{scenario} {'strict' if strict else 'default'}", lines, strict, args.rounds)
        return 0

    scenarios = {"WinEvent": ("WinEvent",), "mix": EVENT_TYPES}
    rows: list[Row] = []
    for scenario, types in scenarios.items():
        for strict in (True, False):
            mode = "strict" if strict else "default"
            lines = one_defect_lines(types, args.events, strict=strict)
            for line, name in lines:  # every line really is invalid, for both
                if not validate(line, name, strict=strict) or engine(name, strict, False).is_valid(orjson.loads(line)):
                    raise SystemExit(f"benchmark broken: a one-defect {name} line is valid: {line!r}")
            rows.append(
                (
                    f"one-defect {scenario} {mode}: validate / jsonschema-rs",
                    lines,
                    ours(strict),
                    jsonschema_rs(strict),
                    1.0,
                )
            )
    for scenario, types in scenarios.items():
        lines = valid_lines(types, args.events)
        if any(validate(line, name) for line, name in lines):
            raise SystemExit("benchmark broken: a valid line has violations")
        rows.append((f"valid {scenario}: validate / orjson.loads", lines, ours(False), parse_floor, 0.9))
        rows.append((f"valid {scenario}: msgspec typed decode / orjson.loads", lines, typed_decode, parse_floor, None))
    reference_lines = one_defect_lines(EVENT_TYPES, args.reference_events, strict=True)
    rows.append(
        ("one-defect mix strict: validate / jsonschema", reference_lines, ours(True), jsonschema_reference(True), None)
    )
    rows = [row for row in rows if args.only in row[0]]

    for _, lines, mine, peer, _ in rows:  # warm-up: compiled validators, generated code, caches
        mine(lines[:500])
        peer(lines[:500])
    ratios: dict[str, list[float]] = {row[0]: [] for row in rows}
    for round_number in range(args.rounds):
        for name, lines, mine, peer, _ in rows if round_number % 2 == 0 else reversed(rows):
            pair = (mine, peer) if round_number % 2 == 0 else (peer, mine)
            first, second = (cpu_time(run, lines) for run in pair)
            mine_time, peer_time = (first, second) if round_number % 2 == 0 else (second, first)
            ratios[name].append(peer_time / mine_time)  # > 1: validate() is faster

    print(f"{args.events} lines per stream, {args.rounds} rounds; ratio = peer time / thrillpots time\n")
    print(f"{'row':<62} {'median':>7} {'range':>13}  target")
    met = True
    for name, _, _, _, target in rows:
        values = ratios[name]
        median = statistics.median(values)
        verdict = "" if target is None else f">= {target:.1f}x {'met' if median >= target else 'MISSED'}"
        met &= target is None or median >= target
        print(f"{name:<62} {median:>6.2f}x {min(values):>5.2f}-{max(values):<5.2f}  {verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

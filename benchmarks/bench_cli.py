"""Benchmark: `thrillpots validate` on about 100,000 mixed events, and `--jobs 2` against `--jobs 1`.

The capture is what `thrillpots sample --all` writes (the six event types, in a shuffled order)
with 1% of the events made invalid (one field of the wrong type). Each contender runs as the
command, in a child process, interleaved round by round; each result is the median of the
rounds.

- ``this / before``: the CPU time (user + system, of the child) of this checkout's command
  against the same command at ``--before`` (a git revision; its package is unpacked to a
  temporary directory). CPU time, so other load on a shared machine does not skew it.
- ``--jobs 1 / --jobs 2``: wall time, which is what more processes buy, on the capture four times
  over (about 400,000 events, 190 MB): more processes do nothing for the start-up (about 0.2 s),
  so on 100,000 events that fixed part alone would cap the ratio near 1.6x. A shared machine may
  not have two idle cores, so the same run measures that too: ``machine`` is how much faster
  two processes finish two equal pure-Python loops than one process finishes them one after
  the other (2.0 on two idle cores). The ``--jobs`` ratio can be no better than that.

Every contender runs from compiled bytecode, as an installed wheel does (pip writes the
``.pyc`` files at install): the package and the ``--before`` copy are compiled first, so a
machine with ``PYTHONDONTWRITEBYTECODE`` set does not charge the command for compiling itself
on every run, which the peer's two compiled extension modules never pay.

``--profile`` instead times, in this process, the steps of the command's way through the same
capture, as shares of its whole check (``check_lines`` on every chunk): cutting the chunks into
lines, the steps of the short way (counting quotes, the typed decode, the generated quote
counter), and the full way for the lines the short way is unsure of; and the command's start
(``--help``) as a share of its whole run. Each step is timed alone on the same lines, the median
of the rounds.

    python benchmarks/bench_cli.py [--events 100000] [--rounds 5] [--before REV] [--profile]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"jobs 1 / jobs 2 (wall)": 1.7, "peer / this (cpu)": 1.5}

PEER = """
import json, pathlib, sys
import jsonschema_rs, orjson
schemas = {p.name: json.loads(p.read_text()) for p in pathlib.Path(sys.argv[1]).glob("*.schema.json")}
registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
events = {s["title"]: s for s in schemas.values() if s["title"].endswith("Event")}
validators = {n: jsonschema_rs.Draft202012Validator(s, registry=registry) for n, s in events.items()}
keys = {n: set(s["properties"]) for n, s in events.items()}
bad = 0
for number, line in enumerate(open(sys.argv[2], "rb"), 1):
    event = orjson.loads(line)
    name = max(keys, key=lambda n: len(keys[n] & event.keys()))
    for error in validators[name].iter_errors(event):
        bad += 1
        print(f"{number}: {error.message}")
sys.exit(1 if bad else 0)
"""
"""The 12-line script a user could write (issue 10): orjson, the event's keys to pick a schema, jsonschema-rs."""


def capture(path: Path, events: int, seed: int = 7) -> None:
    per_type = -(-events // 6)
    written = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "sample", "--all", "-n", str(per_type), "--seed", str(seed)],
        capture_output=True,
        check=True,
        cwd=REPO,
    ).stdout.splitlines()
    rng = random.Random(seed)
    rng.shuffle(written)
    lines = []
    for index, line in enumerate(written[:events]):
        if index % 100 == 0:
            event = orjson.loads(line)
            key = rng.choice(sorted(event))
            event[key] = 12 if isinstance(event[key], str) else "broken"
            line = orjson.dumps(event)
        lines.append(line)
    path.write_bytes(b"\n".join(lines) + b"\n")


def unpack(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", revision, "pytest_thrillpots", "contracts"], capture_output=True, check=True, cwd=REPO
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run(where: Path, *args: str, command: list[str] | None = None) -> tuple[float, float, int]:
    """CPU seconds and wall seconds of one `thrillpots validate` run from ``where``, and its exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(
        [*(command or [sys.executable, "-m", "pytest_thrillpots", "validate"]), *args],
        cwd=where,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, completed.returncode


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def machine_parallelism(n: int = 8_000_000) -> float:
    """How much faster two processes do two equal loops than one process (2.0: two idle cores)."""
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [1000, 1000])  # started
        start = time.perf_counter()
        pool.map(_spin, [n], chunksize=1)
        pool.map(_spin, [n], chunksize=1)
        one = time.perf_counter() - start
        start = time.perf_counter()
        pool.map(_spin, [n, n], chunksize=1)
        two = time.perf_counter() - start
    return one / two


def _quotes(line: bytes) -> int:
    return line.count(b'"')


def profile(path: Path, rounds: int) -> None:
    """The shares of the command's check that each step of its way through ``path`` takes."""
    from pytest_thrillpots.spec import identification
    from pytest_thrillpots.validation._fastpath import fast_decoder
    from pytest_thrillpots.validation._lines import line_check, quote_counter
    from pytest_thrillpots.validation._records import Checks, check_lines

    data = path.read_bytes()
    chunks, start = [], 0
    while start < len(data):
        end = data.find(b"\n", start + (1 << 20))
        end = len(data) if end < 0 else end + 1
        chunks.append(data[start:end])
        start = end
    lines = data.split(b"\n")[:-1]
    check = line_check(None)
    assert check is not None
    unsure = [line for line in lines if check(line) is None]
    typed = [
        (fast_decoder(name, True), quote_counter(name), line)
        for line in lines
        if check(line) is not None and (name := identification(orjson.loads(line)).event_type)
    ]
    decoded = [(counter, fast.decode(line)) for fast, counter, line in typed if fast is not None]
    unsure_data = b"\n".join(unsure) + b"\n"
    decoders = [(fast.decode, line) for fast, _, line in typed if fast is not None]

    def each(function: Any, items: list[Any]) -> None:
        for item in items:  # nothing kept: as in the command, each result is dropped at once
            function(item)

    def each_pair(items: list[tuple[Any, Any]]) -> None:
        for function, item in items:
            function(item)

    steps = {
        "cutting chunks into lines": lambda: each(bytes.split, chunks),
        "counting quotes": lambda: each(_quotes, lines),
        "typed decode (msgspec)": lambda: each_pair(decoders),
        "generated quote counter": lambda: each_pair(decoded),
        f"the full way, {len(unsure)} unsure lines": lambda: check_lines(unsure_data, 1, Checks()),
        "for scale: orjson.loads of every line": lambda: each(orjson.loads, lines),
    }
    whole: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(rounds):
        began = time.process_time()
        for chunk in chunks:
            check_lines(chunk, 1, Checks())
        whole.append(time.process_time() - began)
        for name, step in steps.items():
            began = time.process_time()
            step()
            times[name].append(time.process_time() - began)
    total = statistics.median(whole)
    print(f"{len(lines)} mixed events, {rounds} rounds, medians: each step as a share of check_lines on all of them")
    for name, values in times.items():
        print(f"  {name:42s} {statistics.median(values) / total:6.1%}")
    started, ran = [], []
    for _ in range(rounds):
        started.append(run(REPO, "--help")[0])
        ran.append(run(REPO, str(path))[0])
    share = statistics.median(started) / statistics.median(ran)
    print(f"  {'the start of the command, of its whole run':42s} {share:6.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", default=None, metavar="REV", help="a git revision to compare with")
    parser.add_argument("--profile", action="store_true", help="the shares of the command's steps instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "mixed.ndjson"
        capture(path, args.events)
        if args.profile:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "pytest_thrillpots")], check=True)
            profile(path, args.rounds)
            return 0
        big = Path(scratch) / "mixed-x4.ndjson"
        big.write_bytes(path.read_bytes() * 4)
        old = unpack(args.before, Path(scratch) / "before") if args.before else None
        for where in (REPO, *([old] if old else [])):
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(where / "pytest_thrillpots")], check=True)
        times: dict[str, list[float]] = {}
        machine: list[float] = []
        for _ in range(args.rounds):
            for name, where, extra, capture_path in [
                ("this", REPO, [], path),
                *([("before", old, [], path)] if old else []),
                ("jobs 1", REPO, ["--jobs", "1"], big),
                ("jobs 2", REPO, ["--jobs", "2"], big),
                ("peer", REPO, [str(REPO / "contracts" / "schemas")], path),
            ]:
                command = [sys.executable, "-c", PEER] if name == "peer" else None
                cpu, wall, code = run(where, *extra, str(capture_path), command=command)
                assert code == 1, f"{name}: exit status {code}, expected 1 (1% of the events are invalid)"
                times.setdefault(f"{name} cpu", []).append(cpu)
                times.setdefault(f"{name} wall", []).append(wall)
            machine.append(machine_parallelism())
    median = {name: statistics.median(values) for name, values in times.items()}
    ratios = {
        "peer / this (cpu)": median["peer cpu"] / median["this cpu"],
        "jobs 1 / jobs 2 (wall)": median["jobs 1 wall"] / median["jobs 2 wall"],
    }
    if old:
        ratios["before / this (cpu)"] = median["before cpu"] / median["this cpu"]
    print(f"{args.events} mixed events (6 types, 1% invalid; x4 for --jobs), {args.rounds} interleaved rounds, medians")
    for name, ratio in ratios.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"   (target >= {target}x: {'met' if ratio >= target else 'missed'})"
        print(f"  {name:26s} {ratio:5.2f}x{verdict}")
    print(f"  {'machine: 2 loops, 2 procs':26s} {statistics.median(machine):5.2f}x   (2.00x on two idle cores)")
    share = ratios["jobs 1 / jobs 2 (wall)"] / statistics.median(machine)
    print(f"  {'--jobs 2 of what it may be':26s} {share:6.1%}   (the jobs ratio over the machine's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

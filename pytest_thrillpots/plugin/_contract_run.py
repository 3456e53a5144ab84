"""Whether a session ran every contract test, and each passed: only such a run may rewrite a pact.

A pact file is the whole of what a consumer reads. A run that ran only some of the contract
tests (the tests using ``thrillpots_pact``) would write a pact without the others'
interactions, and the producer would be free to break them. So ``ContractRun`` gathers the
facts of a session and names, in words, each reason it is not complete:

- the command line left tests out: test paths or node ids that are not the whole suite, ``--lf``
  with failures on record, ``--ignore``; ``-k``, ``-m``, ``--deselect`` or ``--sw`` deselecting
  a contract test;
- a test module failed to collect, or was skipped as a whole (its tests may be contract tests);
- a contract test failed, errored, was skipped (``xfail`` too), or did not run (``-x``, an
  interrupted run);
- a pytest-xdist worker crashed.

Under pytest-xdist the workers collect and the controller sees every test's report: the workers
send which contract tests they collected and deselected (``collection_wire``), and the
controller records the outcomes.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

CONTRACT_FIXTURE = "thrillpots_pact"
IGNORE_OPTIONS = ("--ignore", "--ignore-glob")
SELECTION_OPTIONS = (
    ("keyword", "-k"),
    ("markexpr", "-m"),
    ("deselect", "--deselect"),
    ("lf", "--lf"),
    ("stepwise", "--sw"),
)
"""The options that deselect tests (option dest, as people write it)."""
SHOWN = 3
"""How many test ids a reason names before it says how many more."""

Outcome = Literal["passed", "failed", "skipped"]
UNFINISHED = {
    "failed": ("failed", "failed"),
    "skipped": ("was skipped", "were skipped"),
    "did not run": ("did not run", "did not run"),
}
"""How a reason says a contract test did not pass: for one test, and for several."""


def is_contract_test(item: pytest.Item) -> bool:
    """A test that uses the ``thrillpots_pact`` fixture (directly or through another fixture)."""
    return CONTRACT_FIXTURE in getattr(item, "fixturenames", ())


def _some(names: Iterable[str]) -> str:
    ordered = sorted(names)
    shown = ", ".join(ordered[:SHOWN])
    return shown if len(ordered) <= SHOWN else f"{shown} and {len(ordered) - SHOWN} more"


def _tests(count: int) -> str:
    return f"{count} contract test{'s' if count != 1 else ''} {'was' if count == 1 else 'were'}"


@dataclass
class ContractRun:
    """The facts of one session that decide whether its contract tests ran completely and green."""

    collected: set[str] = field(default_factory=set)
    """The contract tests collected to run (after deselection)."""
    deselected: set[str] = field(default_factory=set)
    """The contract tests that ``-k``, ``-m`` and the like deselected."""
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    """Every test's outcome so far, by node id (what is a contract test is known at the end)."""
    narrowed: list[str] = field(default_factory=list)
    """Why the command line left tests out, in words."""
    selection: tuple[str, ...] = ()
    """The deselecting options given (``-k``, ``-m``...), to name them."""
    collection_problems: list[str] = field(default_factory=list)
    """A module that failed to collect, or was skipped whole, in words."""
    lost_workers: list[str] = field(default_factory=list)
    """The pytest-xdist workers that crashed before sending their data."""

    def record(self, nodeid: str, when: str, outcome: str) -> None:
        """One report of a test (set-up, call, teardown): any failure or skip is the test's outcome."""
        known = self.outcomes.get(nodeid)
        if outcome == "failed":
            self.outcomes[nodeid] = "failed"
        elif outcome == "skipped":
            if known != "failed":
                self.outcomes[nodeid] = "skipped"
        elif outcome == "passed" and when == "call" and known is None:
            self.outcomes[nodeid] = "passed"

    def record_collection(self, nodeid: str, outcome: str) -> None:
        if outcome == "failed":
            self.collection_problems.append(f"{nodeid or 'a conftest.py'} failed to collect")
        elif outcome == "skipped":
            self.collection_problems.append(f"{nodeid or 'a directory'} was skipped whole at collection")

    def collection_wire(self) -> dict[str, Any]:
        """What a worker sends the controller: the contract tests it collected and deselected."""
        return {"collected": sorted(self.collected), "deselected": sorted(self.deselected)}

    def merge_collection(self, wire: Mapping[str, Any]) -> None:
        self.collected.update(wire["collected"])
        self.deselected.update(wire["deselected"])

    @property
    def has_contract_tests(self) -> bool:
        return bool(self.collected or self.deselected)

    def passed(self) -> set[str]:
        """The contract tests that passed."""
        return {nodeid for nodeid in self.collected if self.outcomes.get(nodeid) == "passed"}

    def reasons(self) -> list[str]:
        """Why this run is not a complete, green run of every contract test; empty when it is."""
        reasons = list(self.narrowed)
        if self.deselected:
            options = f" ({', '.join(self.selection)})" if self.selection else ""
            reasons.append(f"{_tests(len(self.deselected))} deselected{options}")
        reasons.extend(self.collection_problems)
        unfinished: dict[str, list[str]] = {}
        for nodeid in self.collected:
            outcome = self.outcomes.get(nodeid, "did not run")
            if outcome != "passed":
                unfinished.setdefault(outcome, []).append(nodeid)
        for outcome, (one, several) in UNFINISHED.items():
            names = unfinished.get(outcome, [])
            if len(names) == 1:
                reasons.append(f"{names[0]} {one}")
            elif names:
                reasons.append(f"{len(names)} contract tests {several} ({_some(names)})")
        reasons.extend(f"pytest-xdist worker {name} crashed" for name in self.lost_workers)
        return reasons


def command_line_narrowing(config: pytest.Config) -> list[str]:
    """What this run's command line left out of the suite, in words; empty for the whole suite.

    Called at the start of the session (``--lf`` is judged by the failures on record then).
    """
    reasons = []
    paths = _narrowed_paths(config)
    if paths:
        reasons.append(paths)
    ignored = sorted(
        {arg.split("=", 1)[0] for arg in config.invocation_params.args if arg.split("=", 1)[0] in IGNORE_OPTIONS}
    )
    if ignored:
        reasons.append(f"{' and '.join(ignored)} left paths out")
    last_failed = config.pluginmanager.get_plugin("lfplugin")
    if config.getoption("lf", False) and getattr(last_failed, "lastfailed", None):
        reasons.append("--lf ran only the tests that failed last time")
    return reasons


def selection_options(config: pytest.Config) -> tuple[str, ...]:
    return tuple(flag for dest, flag in SELECTION_OPTIONS if config.getoption(dest, None))


def _narrowed_paths(config: pytest.Config) -> str | None:
    """Why the test paths pytest collects are not the whole suite, or None when they are.

    The whole suite is what ``pytest`` collects when run from the rootdir with no arguments: the
    ``testpaths`` (when they match), else the rootdir. The run covers it when each of those lies
    inside a path it was given (a node id, ``file.py::test``, covers nothing whole).
    """
    source = config.args_source
    if source is pytest.Config.ArgsSource.TESTPATHS:
        return None
    rootpath = config.rootpath
    roots = _suite_roots(config)
    invocation = config.invocation_params.dir
    given = []
    for arg in config.args:
        path, separator, _ = arg.partition("::")
        if not separator:
            given.append(Path(invocation, path).resolve())
    if all(any(path == root or path in root.parents for path in given) for root in roots):
        return None
    if source is pytest.Config.ArgsSource.INVOCATION_DIR:
        try:
            where = f"{invocation.relative_to(rootpath)}/"
        except ValueError:
            where = str(invocation)
        return (
            f"pytest ran in {where}, which holds only part of the suite of {rootpath} (run pytest there, or give "
            f"{where} a pytest.ini of its own)"
        )
    return f"the run was narrowed to {_some(config.args)}"


def _suite_roots(config: pytest.Config) -> list[Path]:
    rootpath = config.rootpath
    testpaths = [] if config.getoption("pyargs", False) else config.getini("testpaths")
    roots = [
        rootpath / found
        for pattern in testpaths
        for found in sorted(glob.iglob(pattern, root_dir=rootpath, recursive=True))
    ]
    return [path.resolve() for path in roots] or [rootpath.resolve()]

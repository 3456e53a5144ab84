"""The one channel between pytest-xdist's controller and its workers, for every area of the plugin.

Settings go down in ``workerinput`` (the session seed). Recorded data comes up two ways, both as
JSON text, which execnet carries whatever the data holds:

- per session, in ``workeroutput`` (contract coverage, which tests a worker collected): sent at
  the worker's session end, so a worker that crashed sends nothing, and ``from_worker`` then says
  so with ``None``: the caller must report the gap rather than merge silently around it;
- per test, on the test's own report (``attach`` / ``attached``: the interactions a contract test
  delivered): xdist forwards each report as the test ends, so what a finished test recorded
  reaches the controller even when its worker crashes later, and the controller can still turn
  that test's report into a failure (two tests defining one interaction differently).
"""

from __future__ import annotations

import json
from typing import Any

import pytest


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def worker_name(node: Any) -> str:
    """The worker's id as xdist shows it (``gw0``)."""
    return str(
        getattr(getattr(node, "gateway", None), "id", None) or getattr(node, "workerinput", {}).get("workerid", "?")
    )


def to_workers(node: Any, key: str, value: Any) -> None:
    """On the controller, in ``pytest_configure_node``: give each worker ``value`` under ``key``."""
    node.workerinput[key] = json.dumps(value)


def from_controller(config: pytest.Config, key: str) -> Any | None:
    """On a worker: what the controller gave under ``key``; None on the controller or when not given."""
    worker_input: dict[str, Any] | None = getattr(config, "workerinput", None)
    if worker_input is None or key not in worker_input:
        return None
    return json.loads(worker_input[key])


def to_controller(config: pytest.Config, key: str, value: Any) -> None:
    """On a worker, in ``pytest_sessionfinish``: send ``value`` up under ``key``."""
    config.workeroutput[key] = json.dumps(value)  # type: ignore[attr-defined]


def from_worker(node: Any, key: str) -> Any | None:
    """On the controller, in ``pytest_testnodedown``: what the worker sent under ``key``, else None."""
    data = getattr(node, "workeroutput", {}).get(key)
    return None if data is None else json.loads(data)


def attach(report: pytest.TestReport, key: str, value: Any) -> None:
    """In ``pytest_runtest_makereport``: carry ``value`` on the test's report, to the controller under xdist.

    pytest serializes a report's extra attributes with it, and gives them back as attributes.
    """
    setattr(report, key, json.dumps(value))


def attached(report: pytest.TestReport, key: str) -> Any | None:
    """In ``pytest_runtest_logreport``: what the test's report carries under ``key``, else None."""
    data = getattr(report, key, None)
    return None if data is None else json.loads(data)


def reporting_worker(report: pytest.TestReport) -> str | None:
    """On the controller: the id of the worker that ran the report's test; None without xdist."""
    node = getattr(report, "node", None)
    return None if node is None else worker_name(node)


def fail_for_lost_workers(session: pytest.Session, lost: list[str], consequence: str) -> str | None:
    """On the controller: a run that lost workers' data fails, and the line that says why (None: none lost).

    A worker that crashes after its tests (in a fixture's or the session's end) fails no test,
    and xdist would exit 0: a green run whose pact was never written, or whose report lacks counts.
    """
    if not lost:
        return None
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    names = list(dict.fromkeys(lost))
    workers = f"pytest-xdist worker{'s' if len(names) > 1 else ''} {', '.join(names)}"
    return f"{workers} crashed before reporting back, so {consequence}: the run fails"

"""The one channel between pytest-xdist's controller and its workers, for every area of the plugin.

Settings go down in ``workerinput`` (the session seed), recorded data comes up in
``workeroutput`` (pacts, contract coverage) as JSON text, which execnet carries whatever the data
holds. A worker that crashed sends nothing: ``from_worker`` then says so with ``None``, and the
caller must report the gap rather than merge silently around it.
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

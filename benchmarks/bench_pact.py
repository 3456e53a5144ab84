"""What verifying the example pacts costs: one verifier run for all, one per pact, pact-python's own servers.

Measured side by side in one run: rounds interleave the variants, and each result is a ratio of
medians, so the machine's speed cancels out. The target (all four consumers' pacts in at most
2 s of wall time) is checked on the same medians. Run: ``python benchmarks/bench_pact.py``.

- ``all``: ``verify_pacts(PRODUCER, sources=contracts/pacts)``, one Verifier run;
- ``each``: one ``verify_pacts`` per pact file (what a per-consumer CI job does);
- ``stock``: one Verifier run for all pacts with pact-python's own message and state helper
  servers (``message_handler`` + ``state_handler``), the way its documentation writes it.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

from pytest_thrillpots import verify_pacts
from pytest_thrillpots.pact._sources import add_routes

REPO = Path(__file__).resolve().parent.parent
PACTS = REPO / "contracts" / "pacts"
sys.path.insert(0, str(REPO / "examples" / "producer"))

from thrillpots_producer.pact_provider import PRODUCER, STATES  # noqa: E402

ROUNDS = 5
TARGET_SECONDS = 2.0


def run_all() -> None:
    verify_pacts(PRODUCER, sources=PACTS, states=STATES)


def run_each() -> None:
    for pact in sorted(PACTS.glob("*.json")):
        verify_pacts(PRODUCER, sources=pact, states=STATES)


def run_stock() -> None:
    from pact import Verifier

    active: dict[str, Any] = {}
    routes: dict[str, dict[str, set[str]]] = {}
    for path in PACTS.glob("*.json"):  # the handler gets only the description: route by the pacts' metadata
        add_routes(routes, json.loads(path.read_text()), "thrillpots")

    def message(name: str, metadata: dict[str, Any] | None) -> dict[str, Any]:
        (event_type,) = routes[name]
        states = {s["name"]: s.get("params") or {} for s in (metadata or {}).get("providerStates", [])}
        event = PRODUCER[event_type](name, states)
        return {
            "contents": json.dumps(event).encode(),
            "metadata": {"event_type": event_type},
            "content_type": "application/json",
        }

    def state(state: str, action: str, parameters: dict[str, Any] | None) -> None:
        handler = STATES.get(state)
        if handler is None:
            return
        if action == "setup":
            active[state] = handler(parameters or {})
            next(active[state])
        else:
            next(active.pop(state), None)

    verifier = Verifier("thrillpots").message_handler(message).state_handler(state, teardown=True)
    verifier.add_source(PACTS).verify()


def main() -> None:
    variants = {"all": run_all, "each": run_each, "stock": run_stock}
    run_all()  # imports and the Pact core's start-up, outside the timing
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, run in variants.items():
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)
    median = {name: statistics.median(values) for name, values in timings.items()}
    count = len(list(PACTS.glob("*.json")))
    print(f"medians of {ROUNDS} interleaved rounds, {count} pacts")
    print(f"one verifier run per pact / one run for all: {median['each'] / median['all']:.1f}")
    print(f"pact-python's helper servers / ours (one run for all): {median['stock'] / median['all']:.1f}")
    met = "met" if median["all"] <= TARGET_SECONDS else "MISSED"
    print(f"all {count} pacts in one run / the {TARGET_SECONDS:.0f} s target: {median['all'] / TARGET_SECONDS:.3f} ({met})")


if __name__ == "__main__":
    main()

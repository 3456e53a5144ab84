"""What the contract coverage report costs validate(), off and on.

Measured side by side in one run: rounds interleave the variants, and each result is a ratio of
medians, so the machine's speed cancels out. Run: ``python benchmarks/bench_coverage.py``.
"""

from __future__ import annotations

import statistics
import timeit

from pytest_thrillpots import _coverage, assert_events_equal, validate

EVENT = {
    "instance_id": "i-1",
    "gameround_id": "g-1",
    "tx_credit_id": "t-1",
    "failed_payouts": [
        {"player_id": f"p-{i}", "brand_id": "b-1", "currency": "EUR", "win_amount": 10.5} for i in range(5)
    ],
}
ROUNDS = 61
CALLS = 5_000


NAMESPACE = {"EVENT": EVENT, "_coverage": _coverage, "assert_events_equal": assert_events_equal, "validate": validate}


def per_call(statement: str) -> float:
    return timeit.timeit(statement, number=CALLS, globals=NAMESPACE) / CALLS


def main() -> None:
    validate(EVENT, "CommunityPayoutErrorEvent")  # compile the validator outside the timing
    timings: dict[str, list[float]] = {name: [] for name in ("off", "check", "on", "equal off", "equal on")}
    for _ in range(ROUNDS):
        _coverage.RECORDER = None
        timings["off"].append(per_call('validate(EVENT, "CommunityPayoutErrorEvent")'))
        # The whole price of the report being off: the test validate() makes before anything else.
        timings["check"].append(per_call("_coverage.RECORDER is not None"))
        timings["equal off"].append(per_call("assert_events_equal(EVENT, EVENT)"))
        _coverage.RECORDER = _coverage.Recorder()
        timings["on"].append(per_call('validate(EVENT, "CommunityPayoutErrorEvent")'))
        timings["equal on"].append(per_call("assert_events_equal(EVENT, EVENT)"))
        _coverage.RECORDER = None
    median = {name: statistics.median(values) for name, values in timings.items()}
    print(f"medians of {ROUNDS} interleaved rounds of {CALLS} calls each")
    print(f"the report-off check alone / validate(): {median['check'] / median['off']:.3f}")
    print(f"validate(), report on / off: {median['on'] / median['off']:.2f}")
    print(f"assert_events_equal() of equal events, report on / off: {median['equal on'] / median['equal off']:.2f}")


if __name__ == "__main__":
    main()

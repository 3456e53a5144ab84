"""The rule that lets a pact be rewritten: every contract test ran, and each passed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots.plugin._contract_run import ContractRun

PHASES = ("setup", "call", "teardown")
OUTCOMES = st.sampled_from(["passed", "failed", "skipped"])
RUNS = st.dictionaries(
    st.sampled_from([f"test_{name}.py::test_{name}" for name in "abcdefg"]),
    # each test's reports: the phases it reached, with their outcomes (none when it never ran)
    st.lists(OUTCOMES, max_size=3),
    max_size=6,
)


def _run(tests: dict[str, list[str]]) -> ContractRun:
    run = ContractRun(collected=set(tests))
    for nodeid, outcomes in tests.items():
        for when, outcome in zip(PHASES, outcomes, strict=False):
            run.record(nodeid, when, outcome)
    return run


def _green(outcomes: list[str]) -> bool:
    return len(outcomes) >= 2 and set(outcomes) == {"passed"}


@settings(max_examples=300)
@given(tests=RUNS)
def test_a_run_is_complete_exactly_when_every_contract_test_passed_each_phase(tests: dict[str, list[str]]) -> None:
    run = _run(tests)
    assert (run.reasons() == []) == all(_green(outcomes) for outcomes in tests.values())
    assert run.passed() == {nodeid for nodeid, outcomes in tests.items() if _green(outcomes)}


@settings(max_examples=100)
@given(
    tests=RUNS,
    narrowed=st.lists(st.just("the run was narrowed to test_a.py"), max_size=1),
    deselected=st.sets(st.just("test_z.py::test_z"), max_size=1),
    lost=st.lists(st.just("gw1"), max_size=1),
)
def test_any_narrowing_deselection_or_lost_worker_makes_a_run_incomplete(
    tests: dict[str, list[str]], narrowed: list[str], deselected: set[str], lost: list[str]
) -> None:
    run = _run(tests)
    run.narrowed, run.deselected, run.lost_workers = narrowed, deselected, lost
    green = all(_green(outcomes) for outcomes in tests.values())
    assert (run.reasons() == []) == (green and not (narrowed or deselected or lost))


def test_the_reasons_name_the_tests_and_what_happened_to_them() -> None:
    run = _run(
        {
            "t.py::test_ok": ["passed", "passed", "passed"],
            "t.py::test_failed": ["passed", "failed", "passed"],
            "t.py::test_teardown": ["passed", "passed", "failed"],
            "t.py::test_skipped": ["skipped"],
            "t.py::test_xfailed": ["passed", "skipped", "passed"],
            "t.py::test_a": [],
            "t.py::test_b": [],
            "t.py::test_c": [],
            "t.py::test_d": [],
        }
    )
    run.narrowed = ["the run was narrowed to t.py"]
    run.deselected = {"t.py::test_e"}
    run.selection = ("-k", "-m")
    run.record_collection("u.py", "failed")
    run.record_collection("v.py", "skipped")
    run.lost_workers = ["gw3"]
    assert run.reasons() == [
        "the run was narrowed to t.py",
        "1 contract test was deselected (-k, -m)",
        "u.py failed to collect",
        "v.py was skipped whole at collection",
        "2 contract tests failed (t.py::test_failed, t.py::test_teardown)",
        "2 contract tests were skipped (t.py::test_skipped, t.py::test_xfailed)",
        "4 contract tests did not run (t.py::test_a, t.py::test_b, t.py::test_c and 1 more)",
        "pytest-xdist worker gw3 crashed",
    ]


def test_the_workers_collections_merge_on_the_controller() -> None:
    worker = ContractRun(collected={"t.py::test_a"}, deselected={"t.py::test_b"})
    controller = ContractRun()
    controller.merge_collection(worker.collection_wire())
    controller.merge_collection(worker.collection_wire())  # every worker collects the same tests
    assert (controller.collected, controller.deselected) == ({"t.py::test_a"}, {"t.py::test_b"})

"""The example consumers and the reference producer, run as their teams run them.

The four consumers' test suites run (in parallel, each in its own pytest process, as each team's
CI would) and write their pacts to a temporary directory: the files must be byte for byte the
ones committed under contracts/pacts (no drift). Then the producer's verification suite runs
against the committed pacts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _pact_support import CONSUMERS, EXAMPLES, PACTS, PRODUCER_DIR, REPO

# Each test runs the example projects' own pytest sessions.
pytestmark = pytest.mark.slow

PROVIDER = "thrillpots"


def _pytest(target: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", str(target), "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="module")
def regenerated_pacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pacts")
    runs = {name: _pytest(EXAMPLES / "consumers" / name, f"--thrillpots-pact-dir={directory}") for name in CONSUMERS}
    for name, run in runs.items():
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 0, f"the {name} example consumer's tests failed:\n{output}"
        assert f"thrillpots: wrote pact {directory / f'{name}-{PROVIDER}.json'}" in output, output
    return directory


def test_every_consumer_writes_its_pact(regenerated_pacts: Path) -> None:
    assert sorted(p.name for p in regenerated_pacts.iterdir()) == [f"{name}-{PROVIDER}.json" for name in CONSUMERS]


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_the_committed_pact_is_what_the_consumer_writes(regenerated_pacts: Path, consumer: str) -> None:
    name = f"{consumer}-{PROVIDER}.json"
    committed = PACTS / name
    assert committed.is_file(), f"contracts/pacts/{name} is missing: run python -m pytest examples/consumers/{consumer}"
    assert (regenerated_pacts / name).read_bytes() == committed.read_bytes(), (
        f"contracts/pacts/{name} drifted from what examples/consumers/{consumer} writes: "
        f"run python -m pytest examples/consumers/{consumer} and commit the new pact"
    )


def test_the_reference_producer_verifies_against_every_committed_pact() -> None:
    run = _pytest(PRODUCER_DIR)
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 0, output
    assert "2 passed" in output, output

"""The reports of `thrillpots diff` and `check-pacts` go through the one output: a write error is one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "argv",
    [["diff", "contracts/schemas", "contracts/schemas"], ["check-pacts", "contracts/pacts"]],
    ids=["diff", "check-pacts"],
)
def test_a_full_disk_is_one_line_naming_the_output(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "pytest_thrillpots", *argv], cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert (result.returncode, result.stderr) == (
        2,
        "thrillpots: error: cannot write standard output: No space left on device\n",
    )

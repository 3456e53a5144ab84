"""`thrillpots export`: the document written whole or not at all; write errors name the output."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_thrillpots.cli import main
from pytest_thrillpots.export._asyncapi import asyncapi_yaml

THRILLPOTS = [sys.executable, "-m", "pytest_thrillpots"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_document_replaces_the_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "asyncapi.yaml"
    target.write_text("old")
    target.chmod(0o640)
    assert main(["export", "asyncapi", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == asyncapi_yaml()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["asyncapi.yaml"]


def test_a_directory_that_cannot_take_the_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "asyncapi", "-o", str(tmp_path / "missing" / "asyncapi.yaml")]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: --output {tmp_path / 'missing' / 'asyncapi.yaml'}: cannot write there "
        "(No such file or directory)\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_a_write_error_not_a_traceback() -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*THRILLPOTS, "export", "asyncapi"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert (result.returncode, result.stderr) == (
        2,
        "thrillpots: error: cannot write standard output: No space left on device\n",
    )


def test_a_closed_pipe_ends_it_quietly() -> None:
    process = subprocess.Popen([*THRILLPOTS, "export", "asyncapi"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"#")
    process.stdout.close()
    assert (process.wait(timeout=60), process.stderr.read()) == (0, b"")

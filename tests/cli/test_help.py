"""Every command's --help fits the terminal it is shown in."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import docgen as _docgen
import pytest

from pytest_thrillpots.cli import build_parser
from pytest_thrillpots.cli._common import HelpFormatter


def _helps(monkeypatch: pytest.MonkeyPatch, columns: int) -> dict[str, str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    return {parser.prog: parser.format_help() for parser in _docgen._commands(build_parser())}


@pytest.mark.parametrize("columns", [80, 100])
def test_every_help_line_fits_the_terminal(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    too_long = [
        f"{prog}: {line}"
        for prog, text in _helps(monkeypatch, columns).items()
        for line in text.splitlines()
        if len(line) > columns
    ]
    assert too_long == []


def test_on_a_narrow_terminal_only_command_examples_run_past_it(monkeypatch: pytest.MonkeyPatch) -> None:
    too_long = [
        line
        for text in _helps(monkeypatch, 60).values()
        for line in text.splitlines()
        if len(line) > 60 and not line.lstrip().startswith("thrillpots ")
    ]
    assert too_long == []


def test_descriptions_wrap_by_paragraph_keep_indents_and_keep_commands_whole() -> None:
    parser = argparse.ArgumentParser(
        prog="demo",
        description=(
            "First paragraph, long enough to wrap at forty columns.\n"
            "\n"
            "  thrillpots sample WinEvent --seed 42 --count 100 --format ndjson\n"
            "thrillpots export schemas DIR\n"
            "    the JSON Schema files, byte for byte, into DIR, created if missing.\n"
        ),
        formatter_class=lambda prog: HelpFormatter(prog, width=40),
        add_help=False,
    )
    assert parser.format_help() == (
        "usage: demo\n"
        "\n"
        "First paragraph, long enough to wrap at\n"
        "forty columns.\n"
        "\n"
        "  thrillpots sample WinEvent --seed 42 --count 100 --format ndjson\n"
        "thrillpots export schemas DIR\n"
        "    the JSON Schema files, byte for\n"
        "    byte, into DIR, created if missing.\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_that_cannot_be_written_says_so(option: str) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "pytest_thrillpots", option], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert (result.returncode, result.stderr) == (
        2,
        "thrillpots: error: cannot write standard output: No space left on device\n",
    )

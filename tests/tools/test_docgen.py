"""docs/cli.md is generated from the commands' --help and must not drift from it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import docgen as _docgen
import pytest

from pytest_thrillpots.cli import SUBCOMMANDS


@pytest.fixture(scope="module")
def rendered() -> str:
    return _docgen.render()


def test_the_cli_page_says_what_the_help_says(rendered: str) -> None:
    current = _docgen.PAGE.read_text(encoding="utf-8")
    assert current == rendered, f"docs/cli.md is out of date with the commands' --help: run `{_docgen.REGENERATE}`"


def test_every_command_and_the_plugin_options_have_a_section(rendered: str) -> None:
    headings = [line[3:] for line in rendered.splitlines() if line.startswith("## ")]
    for name, _module, _summary in SUBCOMMANDS:
        assert f"thrillpots {name}" in headings
    assert headings[0] == "thrillpots"
    assert headings[-2:] == ["pytest options", "pytest ini settings"]
    assert "--thrillpots-report=[json:PATH]" in rendered


def test_the_help_is_rendered_the_same_whatever_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = _docgen.cli_sections()
    monkeypatch.setenv("COLUMNS", "200")
    assert _docgen.cli_sections() == narrow
    assert os.environ["COLUMNS"] == "200"  # given back as it was


def test_check_fails_on_a_stale_page_and_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "cli.md"
    page.write_text("# Command line reference\n\nstale\n", encoding="utf-8")
    monkeypatch.setattr(_docgen, "PAGE", page)
    assert _docgen.main(["--check"]) == 1
    captured = capsys.readouterr()
    assert "-stale" in captured.out
    assert captured.err == (
        "docs/cli.md is out of date with the commands' --help: run `python tools/docgen.py`\n"
    )
    assert _docgen.main([]) == 0
    assert _docgen.main(["--check"]) == 0


def test_the_page_has_the_option_layout_of_python_3_13_on_every_python(
    rendered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """argparse lists `--output FILE, -o FILE` before 3.13 and `--output, -o FILE` since: the page, one way."""
    assert "  --output, -o FILE  write to FILE instead of standard output\n" in rendered
    stable = _docgen.cli_sections()
    assert "--output FILE, -o FILE" not in "".join(stable)
    monkeypatch.setattr(_docgen, "_stable_layout", lambda parser: None)
    native = _docgen.cli_sections()  # this Python's own argparse layout
    if sys.version_info >= (3, 13):
        assert native == stable
    else:
        assert native != stable
        assert "--output FILE, -o FILE" in "".join(native)

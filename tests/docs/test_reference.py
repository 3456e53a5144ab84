"""docs/fixtures.md names every fixture and marker the plugin registers, and nothing else."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "fixtures.md"
_SECTION = re.compile(r"^-+ fixtures defined from (?P<module>\S+) -+$")
_FIXTURE = re.compile(r"^(?P<name>\w+)(?: \[\w+ scope\])? -- ")


def registered_fixtures(output: list[str]) -> set[str]:
    """The fixtures ``pytest --fixtures`` lists under the plugin's own modules."""
    found: set[str] = set()
    module = ""
    for line in output:
        section = _SECTION.match(line)
        if section:
            module = section["module"]
            continue
        fixture = _FIXTURE.match(line)
        if fixture and module.startswith("pytest_thrillpots"):
            found.add(fixture["name"])
    return found


def registered_markers(output: list[str]) -> set[str]:
    return {m[1] for line in output if (m := re.match(r"@pytest\.mark\.(thrillpots\w*)\(", line))}


@pytest.fixture(scope="module")
def help_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    """``pytest --fixtures`` and ``pytest --markers`` in an empty project, as a user sees them."""
    empty = tmp_path_factory.mktemp("empty")
    env = {**os.environ, "PYTEST_ADDOPTS": "", "COLUMNS": "200"}

    def run(flag: str) -> list[str]:
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", flag, "-p", "no:randomly"],
            cwd=empty,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout.splitlines()

    return run("--fixtures"), run("--markers")


def test_the_parsers_find_what_they_look_for() -> None:
    fixtures = [
        "------------- fixtures defined from pytest_thrillpots.plugin._pact -------------",
        "thrillpots_pact -- ../pytest_thrillpots/_plugin_pact.py:108",
        "    The consumer's expectations.",
        "---------------------- fixtures defined from xdist.plugin ----------------------",
        "worker_id [session scope] -- .../xdist/plugin.py:391",
    ]
    assert registered_fixtures(fixtures) == {"thrillpots_pact"}
    markers = ["@pytest.mark.thrillpots(*, seed=None): options", "@pytest.mark.skip(reason=None): skip"]
    assert registered_markers(markers) == {"thrillpots"}


def test_every_fixture_is_documented(help_output: tuple[list[str], list[str]]) -> None:
    fixtures = registered_fixtures(help_output[0])
    assert "thrillpots_pact" in fixtures  # the listing was read at all
    page = PAGE.read_text(encoding="utf-8")
    missing = sorted(name for name in fixtures if f"`{name}`" not in page)
    assert not missing, f"docs/fixtures.md does not mention the fixtures {missing}"


def test_every_marker_has_a_heading(help_output: tuple[list[str], list[str]]) -> None:
    markers = registered_markers(help_output[1])
    assert "thrillpots" in markers and "thrillpots_pact" not in markers  # one marker, for every area
    headings = set(re.findall(r"^### `@pytest\.mark\.(\w+)`$", PAGE.read_text(encoding="utf-8"), re.M))
    assert headings == markers


def test_every_fixture_heading_is_a_real_fixture(help_output: tuple[list[str], list[str]]) -> None:
    headings = set(re.findall(r"^### `(\w+)`$", PAGE.read_text(encoding="utf-8"), re.M))
    assert headings
    assert headings <= registered_fixtures(help_output[0])


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    repo = PAGE.parent.parent
    readme = (repo / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^```console\n(.*?)\n```$", readme, re.M | re.S)
    ci = (repo / ".ci" / "run").read_text(encoding="utf-8")
    mirrored = re.search(r"# README-TEST-COMMAND-BEGIN\n(.*?)\n# README-TEST-COMMAND-END", ci, re.S)
    assert mirrored is not None, ".ci/run lost its README-TEST-COMMAND markers"
    assert mirrored[1] in commands, "the README's test command and the one .ci/run runs differ"

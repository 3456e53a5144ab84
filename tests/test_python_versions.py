"""The supported Pythons are stated once per place, and every place says the same (issue 13).

noxfile.py's PYTHONS is the list; requires-python, the classifiers, the ruff and mypy targets,
the two versions .ci/run tests, and the docs follow it.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _nox_pythons() -> list[str]:
    """``PYTHONS`` from noxfile.py, read without importing nox (the test extra does not have it)."""
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["PYTHONS"]:
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [str(v) for v in value]
    raise AssertionError("noxfile.py has no PYTHONS list")


PYTHONS = _nox_pythons()
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_versions_are_consecutive_minor_releases_of_python_3() -> None:
    minors = [int(v.split(".")[1]) for v in PYTHONS]
    assert all(v.startswith("3.") for v in PYTHONS)
    assert minors == list(range(minors[0], minors[0] + len(minors)))


def test_requires_python_starts_at_the_oldest() -> None:
    assert PYPROJECT["project"]["requires-python"] == f">={PYTHONS[0]}"


def test_one_classifier_per_supported_version() -> None:
    classifiers = PYPROJECT["project"]["classifiers"]
    versions = [
        c.rsplit(" :: ", 1)[1] for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions == PYTHONS
    assert "Programming Language :: Python :: 3 :: Only" in classifiers


def test_no_dependency_depends_on_the_python_version() -> None:
    """Every supported Python gets every dependency (pact-python was once left out on 3.10)."""
    project = PYPROJECT["project"]
    requirements = [
        *project["dependencies"],
        *(r for extra in project["optional-dependencies"].values() for r in extra),
    ]
    assert [r for r in requirements if "python_version" in r or "python_full_version" in r] == []


def test_ruff_and_mypy_check_for_the_oldest() -> None:
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + PYTHONS[0].replace(".", "")
    assert PYPROJECT["tool"]["mypy"]["python_version"] == PYTHONS[0]


def test_ci_runs_the_oldest_and_the_newest() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.findall(r"^OLDEST=(\S+)$", ci, re.M) == [PYTHONS[0]]
    assert re.findall(r"^NEWEST=(\S+)$", ci, re.M) == [PYTHONS[-1]]


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ("README.md", f"Python {', '.join(PYTHONS[:-1])} or {PYTHONS[-1]}"),
        ("docs/installation.md", f"Python {', '.join(PYTHONS[:-1])} and {PYTHONS[-1]}"),
        ("docs/getting-started-consumer.md", f"Python {PYTHONS[0]} or later"),
    ],
)
def test_the_docs_name_the_supported_versions(page: str, says: str) -> None:
    text = (REPO / page).read_text(encoding="utf-8")
    assert says in " ".join(text.split())
    unsupported = f"3.{int(PYTHONS[0].split('.')[1]) - 1}"
    mentions = [line for line in text.splitlines() if re.search(rf"\b{re.escape(unsupported)}\b", line)]
    assert all("not supported" in line for line in mentions), mentions

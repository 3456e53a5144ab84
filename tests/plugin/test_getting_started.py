"""Each getting-started guide, followed as it is written: from an empty directory, in a fresh venv.

Every block of the page is taken in order, as a reader would: a file block is written; a test
file (``<!-- run: pytest -->``) is written and run, and must pass; one that shows a failure
(``<!-- run: pytest-fails -->``) must fail; each ``$ command`` of a console block runs in a
shell and must print what the page shows. The guide then ends green: ``python -m pytest -q``
in the directory passes with no pact left over (``rm -rf pacts`` first), or, where pacts must
be written before they are verified, the commands in the order the page shows. Blocks the page marks ``<!-- run: skip -->`` are not run; the one
that matters is ``pip install pytest-thrillpots``, which the fresh venv stands in for.

The venv is made without pip and reuses this interpreter's site-packages through a ``.pth``
file that calls ``site.addsitedir`` (so the editable install's own ``.pth`` works in it too):
installing the package and its dependencies for real would need the network, or a wheelhouse
of every dependency, and minutes per run. The venv is still fresh where the guides can tell: a
new interpreter prefix, its own ``bin/`` first on ``PATH`` with ``python`` and the
``thrillpots`` script (written from the installed distribution's entry point, as pip writes
it), no ``PYTHONPATH``, and a project directory with nothing in it but what the page makes.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
GUIDES = {
    "getting-started-consumer.md": "python -m pytest -q",
    # verify_pacts reads the pacts the consumers' sessions wrote: the page shows that order
    "getting-started-producer.md": "python -m pytest -q crm && python -m pytest -q",
}
"""Each guide, and the command that runs its whole suite from scratch (after ``rm -rf pacts``)."""


def _docs_examples() -> ModuleType:
    """tests/docs/test_examples.py, for its reader of the pages' blocks."""
    spec = importlib.util.spec_from_file_location("_docs_examples", REPO / "tests" / "docs" / "test_examples.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.get(spec.name)
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclass looks its module up there
        spec.loader.exec_module(module)
    return module


def fresh_venv(where: Path) -> Path:
    """A venv with no pip, this interpreter's packages, and the ``thrillpots`` script; its ``bin/``."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    bindir = where / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    reused = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(site_packages, "_reuse_the_test_environment.pth").write_text(
        "".join(f"import site; site.addsitedir({path!r})\n" for path in reused)
    )
    for entry in importlib.metadata.distribution("pytest-thrillpots").entry_points:
        if entry.group == "console_scripts":
            script = bindir / entry.name
            script.write_text(
                f"#!{python}\nimport sys\nfrom {entry.module} import {entry.attr}\nsys.exit({entry.attr}())\n"
            )
            script.chmod(0o755)
    return bindir


def _environment(bindir: Path) -> dict[str, str]:
    current_bin = str(Path(sys.executable).parent)
    path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep) if entry != current_bin]
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    env.update(
        PATH=os.pathsep.join([str(bindir), *path]),
        VIRTUAL_ENV=str(bindir.parent),
        PACT_DO_NOT_TRACK="true",
        NO_COLOR="1",
        COLUMNS="100",
    )
    return env


def _shell(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize(("guide", "whole_suite"), GUIDES.items())
def test_the_guide_followed_from_an_empty_directory_in_a_fresh_venv_ends_green(
    guide: str, whole_suite: str, tmp_path: Path
) -> None:
    examples = _docs_examples()
    bindir = fresh_venv(tmp_path / "venv")
    env = _environment(bindir)
    project = tmp_path / "project"
    project.mkdir()
    where_python_is = _shell("python -c 'import sys, pytest_thrillpots; print(sys.prefix)'", project, env)
    assert where_python_is.stdout.strip() == str(tmp_path / "venv"), where_python_is

    for block in examples.blocks(REPO / "docs" / guide):
        where = f"{guide}:{block.line}"
        if block.directive == "skip":
            continue
        if block.directive in ("file", "pytest", "pytest-fails"):
            target = project / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body + "\n")
        if block.directive in ("pytest", "pytest-fails"):
            run = _shell(f"python -m pytest -q {block.title}", project, env)
            expected = 0 if block.directive == "pytest" else 1
            assert run.returncode == expected, f"{where}: exit status {run.returncode}:\n{run.stdout}{run.stderr}"
        elif block.directive == "shell":
            for command, wanted in _commands(block.body):
                run = _shell(command, project, env)
                output = (run.stdout + run.stderr).splitlines()
                assert run.returncode == 0, f"{where}: `{command}` exited {run.returncode}:\n" + "\n".join(output)
                # The docs' own rule for shown output: real lines, up to durations, seeds and the directory.
                problem = examples.shown_output_problem(wanted, output, project)
                assert problem is None, f"{where}: `{command}`: {problem}"

    # The guide ends green: the whole suite the reader now has passes, from no pacts at all.
    assert f"$ {whole_suite}" in (REPO / "docs" / guide).read_text(encoding="utf-8")
    final = _shell(f"rm -rf pacts && {whole_suite}", project, env)
    assert final.returncode == 0, final.stdout + final.stderr


def _commands(body: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands and line.strip():
            commands[-1][1].append(line)  # "..." too: it marks left-out lines, as in the docs tests
    return commands


def test_a_fresh_venv_runs_its_own_python_with_this_checkouts_package(tmp_path: Path) -> None:
    bindir = fresh_venv(tmp_path / "venv")
    env = _environment(bindir)
    run = _shell(
        "python -c 'import sys, pytest_thrillpots; print(sys.prefix); print(pytest_thrillpots.__file__)'", tmp_path, env
    )
    prefix, package = run.stdout.split()
    assert prefix == str(tmp_path / "venv")
    assert Path(package).parent == REPO / "pytest_thrillpots"
    assert _shell("thrillpots --version", tmp_path, env).returncode == 0

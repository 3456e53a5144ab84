"""The test suite on every supported Python: ``nox`` (all of them) or ``nox -s tests-3.13`` (one).

The supported versions are ``PYTHONS``, the same list as ``requires-python`` and the
classifiers in ``pyproject.toml`` (``tests/test_python_versions.py`` checks they agree).
A supported Python that is not on this machine is an error, never a skipped session.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nox

PYTHONS = ["3.11", "3.12", "3.13"]

nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = True  # a missing Python fails the run instead of a false green
nox.options.download_python = "never"  # use this machine's interpreters only


def _pyenv_interpreters_on_path() -> None:
    """Put each supported Python that pyenv has installed at the front of ``PATH``.

    pyenv's shims run only the versions pyenv has selected (``pyenv global``, ``PYENV_VERSION``),
    so ``python3.13`` fails where 3.13 is installed but not selected. With the installed
    versions' own ``bin`` folders on ``PATH`` nox finds them all; the newest patch release of
    each wins.
    """
    versions = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if not versions.is_dir():
        return
    folders = []
    for python in PYTHONS:
        pattern = re.compile(rf"{re.escape(python)}\.(\d+)")  # 3.13.0, not 3.13.0t or 3.13-dev
        installed = [(int(match[1]), path) for path in versions.iterdir() if (match := pattern.fullmatch(path.name))]
        if installed:
            folders.append(str(max(installed)[1] / "bin"))
    os.environ["PATH"] = os.pathsep.join([*folders, os.environ.get("PATH", "")])


_pyenv_interpreters_on_path()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole test suite, with the README's command; the test extras are all it needs."""
    session.env["PACT_DO_NOT_TRACK"] = "true"
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-n", "2", *session.posargs)

"""The distribution: what the built wheel holds, its entry points, the README's commands, and
the install routes docs/installation.md gives (each one installed into a fresh venv here)."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "contracts" / "schemas"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from this checkout with the build backend the project declares (hatchling)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("pytest_thrillpots-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a directory of its own, apart from the editable checkout."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", str(wheel), "--no-deps", "-q", "--target", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def test_the_wheel_ships_the_schemas_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            Path(name).name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("pytest_thrillpots/schemas/")
        }
    in_repo = {path.name: path.read_bytes() for path in SCHEMAS.glob("*.json")}
    assert len(in_repo) == 10
    assert shipped == in_repo


def test_no_second_copy_of_the_schemas_lives_in_the_package_source() -> None:
    """The wheel's copy is made at build time from contracts/schemas, never edited by hand."""
    assert not (REPO / "pytest_thrillpots" / "schemas").exists()


def test_the_installed_package_reads_its_own_schemas(installed: Path) -> None:
    code = (
        "import pytest_thrillpots.spec as s, pathlib, sys; d = s.schema_dir(); "
        "print(d); print(sorted(p.name for p in d.glob('*.json')) == sorted(p.name for p in pathlib.Path(sys.argv[1]).glob('*.json')))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(installed)!r}); " + code, str(SCHEMAS)],
        capture_output=True,
        text=True,
        check=True,
    )
    location, same = result.stdout.splitlines()
    assert Path(location) == installed / "pytest_thrillpots" / "schemas"
    assert same == "True"
    for path in SCHEMAS.glob("*.json"):
        assert (installed / "pytest_thrillpots" / "schemas" / path.name).read_bytes() == path.read_bytes()


def test_the_wheel_declares_the_plugin_and_the_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
        entry_points = configparser.ConfigParser()
        entry_points.read_string(archive.read(name).decode())
        names = archive.namelist()
    assert entry_points["pytest11"]["thrillpots"] == "pytest_thrillpots.plugin"
    assert entry_points["console_scripts"]["thrillpots"] == "pytest_thrillpots.cli:main"
    assert "pytest_thrillpots/py.typed" in names


def test_the_wheel_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(name).decode()
    assert "Name: pytest-thrillpots" in metadata
    assert "Requires-Python: >=3.11" in metadata
    requirements = re.findall(r"^Requires-Dist: ([\w-]+)", metadata, flags=re.M)
    for needed in ("pytest", "pact-python", "faker", "deepdiff", "jsonschema-rs", "orjson", "msgspec"):
        assert needed in requirements


def test_python_dash_m_runs_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: thrillpots")
    assert "validate" in result.stdout
    version = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "--version"], capture_output=True, text=True, check=True
    )
    import pytest_thrillpots

    assert version.stdout.strip() == f"thrillpots {pytest_thrillpots.__version__}"


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```console\n(.+?)\n```", readme)


def test_the_readme_gives_exactly_two_commands_and_ci_runs_the_test_one_verbatim() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    between = ci.split("# README-TEST-COMMAND-BEGIN\n")[1].split("# README-TEST-COMMAND-END")[0]
    assert between.strip() == commands[1]


def test_the_readmes_main_command_validates_the_shipped_sample() -> None:
    install, run = _readme_commands()[0].split(" && ")
    assert install == "pip install ."
    argv = shlex.split(run)
    assert argv[:2] == ["thrillpots", "validate"]
    sample = REPO / argv[-1]
    if not sample.exists():
        pytest.skip(f"{argv[-1]} is not there yet: it is generated from the factories")
    result = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", *argv[1:]], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.splitlines()[-1]
    assert re.fullmatch(r"checked (\d+) events: \1 valid, 0 invalid, 0 unparseable", summary), summary
    assert int(summary.split()[1]) >= 6


# The distributions as `python -m build` makes them, and the install routes of docs/installation.md.
# Offline: the build backend and the package's dependencies come from the running environment.


@pytest.fixture(scope="module")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build``: the sdist, and the wheel built from it (no isolation: hatchling is installed)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.slow
def test_the_sdist_and_the_wheel_pass_twine_check(distributions: Path) -> None:
    built = sorted(path.name for path in distributions.iterdir())
    assert len(built) == 2 and built[0].endswith(".whl") and built[1].endswith(".tar.gz"), built
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *sorted(map(str, distributions.iterdir()))],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


@pytest.mark.slow
def test_the_long_description_is_the_readme_in_markdown(distributions: Path) -> None:
    (wheel,) = distributions.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(name).decode()
    headers, _, body = metadata.partition("\n\n")
    assert "Description-Content-Type: text/markdown" in headers
    assert body.strip() == (REPO / "README.md").read_text(encoding="utf-8").strip()
    classifiers = re.findall(r"^Classifier: (.+)$", headers, flags=re.M)
    assert "Framework :: Pytest" in classifiers and "Typing :: Typed" in classifiers
    assert "License-Expression: MIT" in headers


@pytest.mark.slow
def test_the_sdist_holds_what_a_wheel_is_built_from(distributions: Path) -> None:
    (sdist,) = distributions.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("pyproject.toml", "README.md", "LICENSE", "pytest_thrillpots/__init__.py"):
        assert needed in names
    assert {f"contracts/schemas/{path.name}" for path in SCHEMAS.glob("*.json")} <= names


def _fresh_venv(path: Path) -> Path:
    """A new venv, without pip, that sees the running environment's packages after its own.

    Its own site-packages comes first on ``sys.path``, so what is installed into it is what is
    imported; the running environment's site-packages, appended by a ``.pth`` file, provides the
    dependencies (and hatchling) without the network. The running environment's editable install
    of this checkout is not active there: ``.pth`` files are read only in the venv's own site.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, capture_output=True)
    python = path / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(site, "_running_environment.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    return python


def _pip_install(python: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--no-build-isolation", "-q", *args],
        capture_output=True,
        text=True,
        check=False,
        env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def a_git_tag(tmp_path: Path) -> str:
    """A clone of this repository with the release tag ``v<version>`` on its HEAD, as a git URL."""
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("the git route needs git and a git checkout")
    import pytest_thrillpots

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, capture_output=True)
    subprocess.run(
        ["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
         "tag", "-f", f"v{pytest_thrillpots.__version__}"],
        check=True,
        capture_output=True,
    )
    return f"pytest-thrillpots @ git+{clone.as_uri()}@v{pytest_thrillpots.__version__}"


@pytest.mark.slow
@pytest.mark.parametrize("route", ["wheel", "sdist", "checkout", "git tag"])
def test_each_install_route_of_the_installation_page_works(
    route: str, distributions: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    python = _fresh_venv(tmp_path / "venv")
    if route == "wheel":
        _pip_install(python, str(next(distributions.glob("*.whl"))))
    elif route == "sdist":
        _pip_install(python, str(next(distributions.glob("*.tar.gz"))))
    elif route == "checkout":
        _pip_install(python, str(REPO))
    else:
        _pip_install(python, request.getfixturevalue("a_git_tag"))
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}

    def run(*argv: str) -> str:
        result = subprocess.run(argv, cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{argv}: {result.stdout}{result.stderr}"
        return result.stdout

    import pytest_thrillpots

    where = run(str(python), "-c", "import pytest_thrillpots; print(pytest_thrillpots.__file__)").strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), where
    command = tmp_path / "venv" / "bin" / "thrillpots"
    assert run(str(command), "--version").strip() == f"thrillpots {pytest_thrillpots.__version__}"
    summary = run(str(command), "validate", str(REPO / "contracts" / "examples" / "events.ndjson")).splitlines()[-1]
    assert re.fullmatch(r"checked (\d+) events: \1 valid, 0 invalid, 0 unparseable", summary), summary
    assert "@pytest.mark.thrillpots(" in run(str(python), "-m", "pytest", "--markers", "-p", "no:randomly")


def test_the_installation_page_gives_the_routes_that_are_tested_here() -> None:
    page = (REPO / "docs" / "installation.md").read_text(encoding="utf-8")
    for command in (
        'pip install "pytest-thrillpots @ git+https://',
        "python -m build",
        "pip wheel --no-deps -w dist .",
        "pip install dist/pytest_thrillpots-",
        "pip install .",
        "pip install pytest-thrillpots",
    ):
        assert command in page, command

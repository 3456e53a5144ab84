"""The distribution: what the built wheel holds, its entry points, and the README's commands."""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
import sys
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

"""The package's shape: one room per concern, and every string that names a module points somewhere.

Strings that name modules (the subcommand and plugin tables, the lazy-export tables, module-name
checks, schema paths, pyproject's build settings) are invisible to import checks and would break
silently on a move; each is checked here. So are the layout rules the project keeps.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
import tomllib
from pathlib import Path

import pytest

import pytest_thrillpots
from pytest_thrillpots import pact, plugin
from pytest_thrillpots.cli import SUBCOMMANDS

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "pytest_thrillpots"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LIBRARY = ("spec", "validation", "factories", "pact", "evolution", "export", "coverage")
"""The library's folders: none of them imports the plugin or the command line."""
MAX_MODULE_LINES = 450
MAX_ROOT_MODULES = 10


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """The package's modules that ``module`` imports, at top level or inside functions."""
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            base = node.module
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                imported.add(candidate if candidate in MODULES else base)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    return {name for name in imported if name in MODULES and name != module}


def _top_level_imports(path: Path) -> set[str]:
    """Like ``_imports`` but only what runs at import time (not inside functions or TYPE_CHECKING)."""
    imported: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                imported.add(candidate if candidate in MODULES else node.module)
    return {name for name in imported if name in MODULES}


@pytest.mark.parametrize("name, module_name, _summary", SUBCOMMANDS)
def test_every_subcommand_names_a_module_with_its_two_functions(name: str, module_name: str, _summary: str) -> None:
    module = importlib.import_module(module_name)
    assert callable(module.add_arguments) and callable(module.run), name


@pytest.mark.parametrize("module_name", plugin.PLUGIN_MODULES)
def test_every_plugin_area_names_a_module(module_name: str) -> None:
    assert importlib.import_module(module_name).__name__ == module_name


@pytest.mark.parametrize("package", [pytest_thrillpots, pact], ids=lambda p: p.__name__)
def test_every_lazy_export_names_a_module_that_defines_it(package: object) -> None:
    exports: dict[str, str] = package._EXPORTS  # type: ignore[attr-defined]
    for name, module_name in exports.items():
        module = importlib.import_module(module_name, package.__name__)  # type: ignore[attr-defined]
        assert hasattr(module, name), f"{name} is not in {module.__name__}"


def test_the_spec_matcher_check_names_the_module_that_defines_it() -> None:
    from pytest_thrillpots._assertions import SpecMatcher

    source = (PACKAGE / "plugin" / "__init__.py").read_text(encoding="utf-8")
    (named,) = re.findall(r'kind\.__module__ == "([\w.]+)"', source)
    assert named == SpecMatcher.__module__


def test_the_entry_points_name_what_exists() -> None:
    scripts = PYPROJECT["project"]["scripts"]
    entry_points = PYPROJECT["project"]["entry-points"]
    targets = [*scripts.values(), *entry_points["pytest11"].values()]
    targets += entry_points["pytest_randomly.random_seeder"].values()
    for target in targets:
        module_name, _, attribute = target.partition(":")
        module = importlib.import_module(module_name)
        assert not attribute or callable(getattr(module, attribute)), target


def test_the_build_settings_name_what_exists() -> None:
    hatch = PYPROJECT["tool"]["hatch"]
    version_file = REPO / hatch["version"]["path"]
    assert re.search(r'^__version__ = "[^"]+"$', version_file.read_text(encoding="utf-8"), re.M)
    for source, target in hatch["build"]["targets"]["wheel"]["force-include"].items():
        assert (REPO / source).is_dir(), source
        assert target == "pytest_thrillpots/schemas"
    from pytest_thrillpots.spec import schema_dir

    assert schema_dir() == REPO / "contracts" / "schemas"


def test_no_module_at_the_root_is_named_for_a_folder() -> None:
    root = [path.name for path in PACKAGE.glob("*.py")]
    assert not [name for name in root if name.startswith(("_cli_", "_plugin_"))]
    assert len(root) <= MAX_ROOT_MODULES, sorted(root)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_longer_than_the_limit(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines: split it by concern"


def test_the_library_never_imports_the_plugin_or_the_command_line() -> None:
    offenders = []
    for module, path in MODULES.items():
        if module.split(".")[1:2] and module.split(".")[1] in LIBRARY:
            for imported in _imports(module, path):
                if imported.startswith(("pytest_thrillpots.plugin", "pytest_thrillpots.cli")):
                    offenders.append(f"{module} -> {imported}")
    assert offenders == []


def test_the_spec_imports_nothing_of_the_package_but_errors_and_itself() -> None:
    for module, path in MODULES.items():
        if module.startswith("pytest_thrillpots.spec"):
            others = {m for m in _imports(module, path) if not m.startswith("pytest_thrillpots.spec")}
            assert others <= {"pytest_thrillpots._errors"}, module


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of ``graph`` as the modules along it, or [] when there is none."""
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str]:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt, [*trail, nxt])):
                return found
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_at_import_time() -> None:
    graph = {module: _top_level_imports(path) - {module} for module, path in MODULES.items()}
    # A package's __init__ importing its own modules is how packages work, not a cycle.
    for module in graph:
        graph[module] = {m for m in graph[module] if not module.startswith(m + ".")}
    assert _find_cycle(graph) == []


@pytest.mark.slow
def test_every_module_imports_on_its_own() -> None:
    """Each module in a fresh interpreter: an import that works only after another module is a hidden cycle."""
    import subprocess

    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    for module in sorted(MODULES):
        if module.endswith("__main__"):
            continue
        result = subprocess.run([sys.executable, "-c", code, module], capture_output=True, text=True)
        assert result.returncode == 0, f"{module}: {result.stderr.strip().splitlines()[-1:]}"

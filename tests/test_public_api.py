"""The public API: every name in an explicit `__all__`, each importable, none loaded before use."""

from __future__ import annotations

import subprocess
import sys

import pytest_thrillpots


def test_all_lists_exactly_the_lazy_exports() -> None:
    assert set(pytest_thrillpots.__all__) == {"__version__", *pytest_thrillpots._EXPORTS}
    assert len(pytest_thrillpots.__all__) == len(set(pytest_thrillpots.__all__))


def test_every_public_name_resolves() -> None:
    for name in pytest_thrillpots.__all__:
        assert getattr(pytest_thrillpots, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        pytest_thrillpots.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'pytest_thrillpots' has no attribute 'no_such_name'"
    else:  # pragma: no cover
        raise AssertionError("no AttributeError")


def test_importing_the_package_loads_no_heavy_module() -> None:
    code = (
        "import sys, pytest_thrillpots, pytest_thrillpots.plugin\n"
        "heavy = [m for m in ('faker', 'deepdiff', 'pact', 'hypothesis', 'jsonschema_rs', 'msgspec', 'yaml')"
        " if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

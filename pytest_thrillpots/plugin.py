"""The pytest plugin (entry point ``pytest11: thrillpots``).

Thin on purpose: pytest imports this module in every repo that installs the package, so it
imports nothing heavy at start-up. Each area of the plugin (factories and seeds, Pact, the
coverage report) lives in its own light ``_plugin_*`` module: its options are added here, and
the module itself is registered as a plugin for its fixtures and hooks. Heavy libraries are
imported inside fixtures and hooks, when a test uses them.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

import pytest

PLUGIN_MODULES: tuple[str, ...] = ()
"""The private plugin modules, each with an optional ``add_options(parser)``."""


def _areas() -> list[ModuleType]:
    return [importlib.import_module(name) for name in PLUGIN_MODULES]


def pytest_addoption(parser: pytest.Parser) -> None:
    for module in _areas():
        add_options = getattr(module, "add_options", None)
        if add_options is not None:
            add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    for module in _areas():
        if not config.pluginmanager.is_registered(module):
            config.pluginmanager.register(module, f"thrillpots{module.__name__.rsplit('.', 1)[-1]}")


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: object, right: object) -> list[str] | None:
    assertions = sys.modules.get("pytest_thrillpots._assertions")
    if assertions is None or op != "==":
        # No matcher can exist before the module that defines it was imported.
        return None
    matcher_type = assertions.SpecMatcher
    if isinstance(right, matcher_type):
        matcher, other = right, left
    elif isinstance(left, matcher_type):
        matcher, other = left, right
    else:
        return None
    lines: list[str] = matcher.explain(other, colour=_wants_colour(config))
    return lines


def _wants_colour(config: pytest.Config) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return bool(config.get_terminal_writer().hasmarkup)
    except Exception:  # pragma: no cover - a config without a terminal writer
        return False

"""The pytest plugin (entry point ``pytest11: thrillpots``).

Thin on purpose: pytest imports this module in every repo that installs the package, so it
imports nothing heavy at start-up. Each area of the plugin (factories and seeds, Pact, the
coverage report) lives in its own light module (``PLUGIN_MODULES``): its options are added
here, and the module itself is registered as a plugin for its fixtures and hooks. Heavy
libraries are imported inside fixtures and hooks, when a test uses them. ``_xdist`` is the one
channel between pytest-xdist's controller and its workers; ``_contract_run`` decides whether a
run may rewrite a pact.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import TYPE_CHECKING, TypeGuard

import pytest

if TYPE_CHECKING:
    from pytest_thrillpots._assertions import SpecMatcher

PLUGIN_MODULES: tuple[str, ...] = (
    "pytest_thrillpots.plugin._report",
    "pytest_thrillpots.plugin._pact",
    "pytest_thrillpots.plugin._factories",
)
"""The private plugin modules, each with an optional ``add_options(parser)`` and ``preparse_args(args)``."""


def _areas() -> list[ModuleType]:
    return [importlib.import_module(name) for name in PLUGIN_MODULES]


def pytest_addoption(parser: pytest.Parser) -> None:
    for module in _areas():
        add_options = getattr(module, "add_options", None)
        if add_options is not None:
            add_options(parser)


def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    # The last chance to adjust the command line before pytest parses it for good.
    for module in _areas():
        preparse_args = getattr(module, "preparse_args", None)
        if preparse_args is not None:
            preparse_args(args)


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    for module in _areas():
        if not config.pluginmanager.is_registered(module):
            config.pluginmanager.register(module, f"thrillpots{module.__name__.rsplit('.', 1)[-1]}")


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: object, right: object) -> list[str] | None:
    if op != "==":
        return None
    # Told by the class's name, not by isinstance against sys.modules: that test needs no import,
    # and it holds when the module was imported twice (a reload, pytester's in-process runs).
    if _is_spec_matcher(right):
        matcher, other = right, left
    elif _is_spec_matcher(left):
        matcher, other = left, right
    else:
        return None
    return matcher.explain(other, colour=_wants_colour(config))


def _is_spec_matcher(value: object) -> TypeGuard[SpecMatcher]:
    kind = type(value)
    return kind.__name__ == "SpecMatcher" and kind.__module__ == "pytest_thrillpots._assertions"


def _wants_colour(config: pytest.Config) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return bool(config.get_terminal_writer().hasmarkup)
    except Exception:  # pragma: no cover - a config without a terminal writer
        return False

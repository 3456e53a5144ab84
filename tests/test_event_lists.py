"""Every per-event list equals EVENT_TYPES, so adding an event to the spec shows everything to add.

The fixtures, the hub's methods, the strategies, the factories and the traits are each written
once per event; this test names what is missing or left over when the spec's list changes.
"""

from __future__ import annotations

import re

import pytest

import pytest_thrillpots
from pytest_thrillpots import strategies
from pytest_thrillpots.factories import FACTORIES
from pytest_thrillpots.factories._hub import ThrillpotsHub
from pytest_thrillpots.factories._traits import TRAITS
from pytest_thrillpots.plugin import _factories as plugin_factories
from pytest_thrillpots.spec import EVENT_TYPES, STRUCTURE_TYPES


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_one_fixture_per_event() -> None:
    fixtures = {
        name
        for name, value in vars(plugin_factories).items()
        if getattr(value, "_fixture_function_marker", None) is not None
        or type(value).__name__ == "FixtureFunctionDefinition"
    }
    assert fixtures - {"thrillpots"} == {snake(name) for name in EVENT_TYPES}


def test_one_hub_method_per_event() -> None:
    methods = {name for name in vars(ThrillpotsHub) if name.endswith("_event")}
    assert methods == {snake(name) for name in EVENT_TYPES}


def test_one_strategy_per_event() -> None:
    per_event = {name for name in vars(strategies) if name.endswith("_events") and callable(getattr(strategies, name))}
    assert per_event == {f"{snake(name)}s" for name in EVENT_TYPES}


def test_one_factory_per_event_and_structure() -> None:
    assert list(FACTORIES) == [*EVENT_TYPES, *STRUCTURE_TYPES]
    public = {name.removesuffix("Factory") for name in pytest_thrillpots.__all__ if name.endswith("EventFactory")}
    assert public == set(EVENT_TYPES)


def test_traits_are_kept_for_every_event_and_structure() -> None:
    assert set(TRAITS) == {*EVENT_TYPES, *STRUCTURE_TYPES}


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_event_has_a_fixture_a_method_and_a_strategy_that_build_it(
    event_type: str, request: pytest.FixtureRequest
) -> None:
    from pytest_thrillpots import identify

    event = request.getfixturevalue(snake(event_type))
    assert identify(event) == event_type
    assert identify(getattr(ThrillpotsHub(1), snake(event_type))()) == event_type
    assert callable(getattr(strategies, f"{snake(event_type)}s"))

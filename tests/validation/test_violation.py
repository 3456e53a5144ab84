"""`Violation`, the public record of one broken rule: the same to users whether built eagerly or
recorded by the validator and worded on first read."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import orjson
import pytest
from _validation_samples import valid_event

from pytest_thrillpots import Violation, validate
from pytest_thrillpots.validation._violation import FIELDS

FIELDS_OF = ("path", "rule", "expected", "actual", "message")


def recorded() -> Violation:
    """A violation as validate() returns it: recorded, its words not yet built."""
    event = valid_event("JackpotUpdateEvent")
    event["pots"][1]["is_progressive"] = "no"
    (violation,) = validate(orjson.dumps(event), "JackpotUpdateEvent")
    return violation


EAGER = Violation("/pots/1/is_progressive", "type", "boolean", 'string "no"', 'expected boolean, got string "no"')


def test_a_recorded_violation_equals_the_same_violation_built_by_hand() -> None:
    assert recorded() == EAGER
    assert recorded() == EAGER
    assert recorded() != dataclasses.replace(EAGER, message="other")
    assert hash(recorded()) == hash(EAGER)
    assert len({recorded(), EAGER}) == 1


def test_attributes_str_field_and_repr_read_the_same() -> None:
    violation = recorded()
    assert tuple(getattr(violation, name) for name in FIELDS_OF) == tuple(getattr(EAGER, name) for name in FIELDS_OF)
    assert violation.field == "pots[1].is_progressive"
    assert str(violation) == 'pots[1].is_progressive: expected boolean, got string "no" [type]'
    assert (
        repr(recorded())
        == repr(EAGER)
        == (
            "Violation(path='/pots/1/is_progressive', rule='type', expected='boolean', actual='string \"no\"', "
            "message='expected boolean, got string \"no\"')"
        )
    )


@pytest.mark.parametrize("name", [*FIELDS_OF, "field"])
@pytest.mark.parametrize("make", [recorded, lambda: EAGER], ids=["recorded", "eager"])
def test_no_field_can_be_changed_or_removed(make: object, name: str) -> None:
    violation = make()  # type: ignore[operator]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(violation, name, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(violation, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.anything_new = 1


@pytest.mark.parametrize("make", [recorded, lambda: EAGER], ids=["recorded", "eager"])
def test_it_is_a_dataclass_to_the_dataclasses_module(make: object) -> None:
    violation = make()  # type: ignore[operator]
    assert dataclasses.is_dataclass(violation)
    assert [field.name for field in dataclasses.fields(violation)] == list(FIELDS_OF) == list(FIELDS)
    assert dataclasses.asdict(violation) == dict(zip(FIELDS_OF, dataclasses.astuple(EAGER), strict=True))
    assert dataclasses.replace(violation, path="/x").path == "/x"
    assert dataclasses.replace(violation) == EAGER


@pytest.mark.parametrize("make", [recorded, lambda: EAGER], ids=["recorded", "eager"])
def test_it_pickles_copies_and_matches_by_position(make: object) -> None:
    violation = make()  # type: ignore[operator]
    assert pickle.loads(pickle.dumps(violation)) == EAGER
    assert copy.copy(violation) == copy.deepcopy(violation) == EAGER
    match violation:
        case Violation(path, "type", expected):
            assert (path, expected) == ("/pots/1/is_progressive", "boolean")
        case _:
            pytest.fail("no match")


def test_it_takes_keywords_and_positions_and_needs_all_five() -> None:
    assert Violation(path="/a", rule="missing", expected="string", actual="missing", message="m") == Violation(
        "/a", "missing", "string", "missing", "m"
    )
    with pytest.raises(TypeError):
        Violation("/a", "missing")  # type: ignore[call-arg]


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'Violation' object has no attribute 'pointer'"):
        recorded().pointer  # type: ignore[attr-defined]  # noqa: B018

"""mutations(): every single-defect mutant of a valid event, each detected by validate()."""

from __future__ import annotations

import pytest

from pytest_thrillpots import (
    EVENT_TYPES,
    InvalidEventError,
    Mutation,
    WinEventFactory,
    factory_for,
    mutations,
    validate,
)
from pytest_thrillpots.spec import iter_fields, spec


def _events(name: str) -> list[dict]:
    factory = factory_for(name)
    return [*factory.coverage(), *factory.seeded(21).batch(5)]


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_every_mutant_is_detected_with_its_path_and_rule(name: str) -> None:
    total = 0
    for event in _events(name):
        for strict in (False, True):
            for payload, expected in mutations(event, name, strict=strict):
                violations = validate(payload, name, strict=strict)
                assert expected.found_in(violations), f"{expected} not in {[str(v) for v in violations]}"
                total += 1
    assert total > 100


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_mutants_reach_every_field_and_every_applicable_rule(name: str) -> None:
    found = list(mutations(factory_for(name).seeded(2).build(), name, strict=True))
    pointers = {(m.expected.path, m.expected.rule) for m in found}
    for parts, node in iter_fields(spec(name)):
        pointer = "".join(f"/{0 if p == '*' else p}" for p in parts)
        assert (pointer, "missing") in pointers
        assert (pointer, "type") in pointers
        if not node.nullable:
            assert (pointer, "null") in pointers
        if node.enum is not None:
            assert (pointer, "enum") in pointers
    assert ("", "not_object") in pointers
    assert ("/unexpected_field", "unknown_field") in pointers
    assert len({m.id for m in found}) == len(found)


def test_mutants_cover_array_items_the_multipliers_map_and_legacy_winners() -> None:
    event = factory_for("RaffleWinEvent").seeded(2).trait("no_winners").build()
    found = {(m.expected.path, m.expected.rule) for m in mutations(event, "RaffleWinEvent")}
    assert ("/winners/0/win_amount", "type") in found
    assert ("/currency_multipliers/multipliers/XXX", "type") in found
    assert ("/winners/0", "legacy_tuple") in found
    assert ("/allowed_brands/0", "type") not in found


def test_a_mutation_is_a_payload_and_its_expected_violation() -> None:
    first = next(m for m in mutations(WinEventFactory.seeded(1).build(), "WinEvent") if m.expected.rule == "missing")
    assert isinstance(first, Mutation)
    payload, expected = first
    assert "brand_id" not in payload
    assert (expected.path, expected.field, str(expected), first.id) == (
        "/brand_id", "brand_id", "brand_id: field removed [missing]", "missing-brand_id"
    )


def test_tolerant_mode_leaves_out_unknown_fields() -> None:
    event = WinEventFactory.seeded(1).build()
    assert not [m for m in mutations(event, "WinEvent", strict=False) if m.expected.rule == "unknown_field"]
    for payload, expected in mutations(event, "WinEvent", strict=False):
        assert expected.found_in(validate(payload, "WinEvent"))


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_by_default_mutants_are_defects_for_a_tolerant_reader(name: str) -> None:
    # Like validate(), mutations() is tolerant by default: an unknown field is no defect for a
    # consumer (additive changes), so every default mutant is caught by the default validate().
    event = factory_for(name).seeded(3).build()
    assert list(mutations(event, name)) == list(mutations(event, name, strict=False))
    for payload, expected in mutations(event, name):
        assert expected.rule != "unknown_field"
        assert expected.found_in(validate(payload, name)), expected


def test_the_input_event_is_not_changed() -> None:
    event = WinEventFactory.seeded(1).build()
    before = repr(event)
    list(mutations(event, "WinEvent"))
    assert repr(event) == before


def test_an_invalid_event_is_refused() -> None:
    with pytest.raises(InvalidEventError, match=r"mutations\(\) needs a valid WinEvent.*timestamp"):
        list(mutations(WinEventFactory.seeded(1).build(timestamp="x"), "WinEvent"))


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_ten_thousand_seeded_events_have_no_violations(name: str) -> None:
    assert [e for e in factory_for(name).seeded(99).batch(10_000) if validate(e, name, strict=True)] == []


def test_consumers_can_parametrize_with_mutations() -> None:
    cases = [pytest.param(*m, id=m.id) for m in mutations(WinEventFactory.seeded(1).build(), "WinEvent")]
    assert cases[0].id == "not_object-<event>"

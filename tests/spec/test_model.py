"""The spec as data: the schema files, their model (`spec()`), field paths and `identify()`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _validation_samples import at, concrete, valid_event

import pytest_thrillpots
from pytest_thrillpots import EVENT_TYPES, STRUCTURE_TYPES, IdentifyError, UnknownEventTypeError, identify
from pytest_thrillpots._errors import UnknownFieldError
from pytest_thrillpots.spec import field_paths, iter_fields, raw_schemas, resolve_field_path, spec

REPO = Path(__file__).resolve().parents[2]
SEED = Path("/work/shared/seed/thrillpots-events.txt")
SEED_TYPES = {"String": "string", "Number": "number", "bool": "boolean", "Boolean": "boolean"}


def seed_sections() -> dict[str, str]:
    text = SEED.read_text(encoding="utf-8")
    parts = re.split(r"^Event: (\w+)\s*$", text, flags=re.M)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    # The last event's section runs into the structure references.
    sections["RafflePayoutErrorEvent"] = sections["RafflePayoutErrorEvent"].split("Structure References")[0]
    return sections


def seed_scalars(section: str) -> list[tuple[str, str]]:
    """Every ``"name": Type`` pair of a seed section whose type is a scalar."""
    return [
        (name, SEED_TYPES[kind]) for name, kind in re.findall(r'"(\w+)":\s*(String|Number|bool|Boolean)\b', section)
    ]


def test_event_types_are_the_six_in_the_seeds_order() -> None:
    if SEED.exists():
        assert tuple(re.findall(r"^Event: (\w+)", SEED.read_text(encoding="utf-8"), flags=re.M)) == EVENT_TYPES
    assert pytest_thrillpots.EVENT_TYPES == (
        "JackpotUpdateEvent",
        "WinEvent",
        "RaffleWinEvent",
        "OptInEvent",
        "CommunityPayoutErrorEvent",
        "RafflePayoutErrorEvent",
    )
    assert STRUCTURE_TYPES == ("PotTicker", "CurrencyValue", "PayoutRecord", "CurrencyMultipliers")


def test_one_schema_file_per_event_and_structure() -> None:
    files = sorted(p.name for p in (REPO / "contracts" / "schemas").glob("*.json"))
    assert files == sorted(f"{name}.schema.json" for name in (*EVENT_TYPES, *STRUCTURE_TYPES))
    for name, schema in raw_schemas().items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"https://thrillpots.example/schemas/{name}.schema.json"
        assert schema["title"] == name


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not in this checkout")
@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_field_the_seed_lists_is_in_the_spec_with_the_seeds_type(event_type: str) -> None:
    pairs = seed_scalars(seed_sections()[event_type])
    assert pairs, "the seed section lists no fields"
    kinds_by_name: dict[str, set[str]] = {}
    for parts, node in iter_fields(spec(event_type)):
        kinds_by_name.setdefault(str(parts[-1]), set()).add(node.kind)
    for name, kind in pairs:
        assert kind in kinds_by_name.get(name, set()), f"{event_type}.{name}: the seed says {kind}"


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not in this checkout")
@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_samples_follow_the_seed(event_type: str) -> None:
    """The hand-written samples carry every field the seed names (they are the tests' ground truth)."""
    event = valid_event(event_type)
    names: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            names.update(value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(event)
    assert {name for name, _ in seed_scalars(seed_sections()[event_type])} <= names


@pytest.mark.parametrize("name", [*EVENT_TYPES, *STRUCTURE_TYPES])
def test_every_listed_field_is_required_and_described(name: str) -> None:
    """Decision 1: every listed field is required; every field carries the seed's description."""

    def check(schema: dict[str, object], where: str) -> None:
        properties = schema.get("properties")
        if isinstance(properties, dict):
            assert schema.get("required") == list(properties), f"{where}: every listed field is required"
            for field, sub in properties.items():
                assert isinstance(sub, dict)
                assert sub.get("description"), f"{where}.{field} has no description"
                check(sub, f"{where}.{field}")

    check(dict(raw_schemas()[name]), name)


def test_only_the_three_seed_nullable_fields_accept_null() -> None:
    """Decision 1: only timestamp_start, timestamp_end and metadata may be null."""
    nullable = {
        f"{event_type}.{'.'.join(map(str, parts))}"
        for event_type in EVENT_TYPES
        for parts, node in iter_fields(spec(event_type))
        if node.nullable
    }
    assert nullable == {
        "JackpotUpdateEvent.timestamp_start",
        "JackpotUpdateEvent.timestamp_end",
        "WinEvent.metadata",
    }


def test_jackpot_type_is_an_enum_of_jackpot_and_raffle() -> None:
    node = spec("JackpotUpdateEvent").fields["jackpot_type"]
    assert (node.kind, node.enum, node.describe()) == ("string", ("Jackpot", "Raffle"), '"Jackpot" or "Raffle"')


def test_metadata_is_a_free_form_object_or_null() -> None:
    node = spec("WinEvent").fields["metadata"]
    assert (node.kind, node.nullable, node.free_form, node.listed_fully) == ("object", True, True, False)


def test_multipliers_is_an_open_map_of_numbers_with_five_listed_currencies() -> None:
    multipliers = spec("CurrencyMultipliers").fields["multipliers"]
    assert list(multipliers.fields) == ["EUR", "GBP", "ZAR", "NZD", "SEK"]
    assert multipliers.extra_values is not None and multipliers.extra_values.kind == "number"
    assert not multipliers.listed_fully
    assert multipliers.child("USD") is multipliers.extra_values


def test_the_fully_listed_objects_are_events_and_the_four_structures() -> None:
    """Decision 7: strict mode reports unknown fields on exactly these objects."""
    for name in (*EVENT_TYPES, *STRUCTURE_TYPES):
        assert spec(name).listed_fully, name
    assert spec("WinEvent").fields["community_winners"].items is not None
    assert spec("WinEvent").fields["community_winners"].items.structure == "PayoutRecord"


def test_the_legacy_winner_tuple_is_defined_beside_the_canonical_form() -> None:
    raffle = raw_schemas()["RaffleWinEvent"]
    assert raffle["properties"]["winners"]["items"] == {"$ref": "PayoutRecord.schema.json"}
    legacy = raffle["$defs"]["LegacyWinnerTuple"]
    assert [item.get("type", item.get("$ref")) for item in legacy["prefixItems"]] == [
        "string",
        "CurrencyValue.schema.json",
    ]
    assert legacy["items"] is False


def test_describe_words_types_in_the_specs_terms() -> None:
    win = spec("WinEvent")
    assert win.describe() == "WinEvent object"
    assert win.fields["community_winners"].describe() == "array of PayoutRecord objects"
    assert win.fields["games_in_jackpot"].describe() == "array of strings"
    assert win.fields["metadata"].describe() == "object or null"
    assert win.fields["currency_multipliers"].describe() == "CurrencyMultipliers object"
    assert spec("JackpotUpdateEvent").fields["timestamp_start"].describe() == "number or null"
    assert spec("JackpotUpdateEvent").fields["pots"].items.describe() == "PotTicker object"  # type: ignore[union-attr]


def test_spec_of_an_unknown_name_names_the_six_types() -> None:
    with pytest.raises(UnknownEventTypeError) as raised:
        spec("WinEvents")
    assert str(raised.value) == (
        "unknown event type 'WinEvents': use one of JackpotUpdateEvent, WinEvent, RaffleWinEvent, OptInEvent, "
        "CommunityPayoutErrorEvent, RafflePayoutErrorEvent. Did you mean 'WinEvent' or 'RaffleWinEvent' or 'OptInEvent'?"
    )
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_field_path_exists_in_a_valid_sample(event_type: str) -> None:
    event = valid_event(event_type)
    for parts, _ in iter_fields(spec(event_type)):
        at(event, concrete(parts))  # raises KeyError/IndexError when the path does not exist


def test_field_paths_are_human_paths_in_the_specs_order() -> None:
    assert field_paths("CommunityPayoutErrorEvent") == [
        "instance_id",
        "gameround_id",
        "tx_credit_id",
        "failed_payouts",
        "failed_payouts[*].player_id",
        "failed_payouts[*].brand_id",
        "failed_payouts[*].currency",
        "failed_payouts[*].win_amount",
    ]
    assert "currency_multipliers.multipliers.SEK" in field_paths("WinEvent")
    assert "pots[*].is_progressive" in field_paths("JackpotUpdateEvent")


def test_resolve_field_path_accepts_indexes_wildcards_and_paths_inside_metadata() -> None:
    assert resolve_field_path("JackpotUpdateEvent", "pots[1].is_progressive") == ["pots", 1, "is_progressive"]
    assert resolve_field_path("WinEvent", "community_winners[*].win_amount") == ["community_winners", "*", "win_amount"]
    assert resolve_field_path("WinEvent", "metadata.anything.goes") == ["metadata", "anything", "goes"]
    assert resolve_field_path("WinEvent", "currency_multipliers.multipliers.USD") == [
        "currency_multipliers",
        "multipliers",
        "USD",
    ]


def test_resolve_field_path_names_close_matches_and_every_field() -> None:
    with pytest.raises(UnknownFieldError) as raised:
        resolve_field_path("RafflePayoutErrorEvent", "failed_payout[*].win_amount")
    assert str(raised.value) == (
        "RafflePayoutErrorEvent has no field 'failed_payout[*].win_amount' (failed_payout is not in the spec). "
        "Did you mean 'failed_payouts[*].win_amount' or 'failed_payouts[*].currency' or "
        "'failed_payouts[*].brand_id'? Its fields are: instance_id, failed_payouts, failed_payouts[*].player_id, "
        "failed_payouts[*].brand_id, failed_payouts[*].currency, failed_payouts[*].win_amount."
    )


def test_resolve_field_path_rejects_unreadable_paths() -> None:
    with pytest.raises(UnknownFieldError, match=r"cannot read field path 'pots\[x\]' at character 5"):
        resolve_field_path("JackpotUpdateEvent", "pots[x]")


# Decision 8: identify().


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_identify_tells_every_event_type_from_its_fields(event_type: str) -> None:
    assert identify(valid_event(event_type)) == event_type


def test_identify_ignores_unknown_fields() -> None:
    assert identify({**valid_event("OptInEvent"), "new_field": 1}) == "OptInEvent"


def test_identify_picks_the_most_specific_type_when_one_includes_the_other() -> None:
    """CommunityPayoutErrorEvent carries every field of RafflePayoutErrorEvent, and more."""
    community = valid_event("CommunityPayoutErrorEvent")
    assert set(valid_event("RafflePayoutErrorEvent")) < set(community)
    assert identify(community) == "CommunityPayoutErrorEvent"
    assert identify({"instance_id": "i", "failed_payouts": []}) == "RafflePayoutErrorEvent"
    # gameround_id is only CommunityPayoutErrorEvent's: a broken one of those, not a RafflePayoutErrorEvent.
    with pytest.raises(IdentifyError) as raised:
        identify({"instance_id": "i", "failed_payouts": [], "gameround_id": "g"})
    assert str(raised.value).endswith("(closest: CommunityPayoutErrorEvent lacks tx_credit_id)")


def test_identify_picks_the_type_that_lists_more_keys_when_two_types_have_all_theirs() -> None:
    both = {**valid_event("RaffleWinEvent"), **valid_event("WinEvent")}
    assert identify(both) == "WinEvent"  # 14 of the 15 keys are WinEvent's, 8 RaffleWinEvent's


def test_identify_names_the_closest_types_and_what_they_lack() -> None:
    partial = valid_event("OptInEvent")
    del partial["opted_in"], partial["last_updated"]
    with pytest.raises(IdentifyError) as raised:
        identify(partial)
    assert str(raised.value) == (
        "cannot identify the event type: no event type has all of its fields here "
        "(closest: OptInEvent lacks opted_in, last_updated)"
    )


def test_identify_names_the_six_types_when_no_field_matches() -> None:
    with pytest.raises(IdentifyError) as raised:
        identify({"type": "WinEvent"})
    assert str(raised.value) == (
        "cannot identify the event type: the payload has none of the fields of JackpotUpdateEvent, WinEvent, "
        "RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, RafflePayoutErrorEvent"
    )


@pytest.mark.parametrize("payload", [[], '"WinEvent"', b"[1]", 1, None, True])
def test_identify_rejects_what_is_not_an_object(payload: object) -> None:
    with pytest.raises(IdentifyError, match=r"cannot identify the event type of a \w+: an event is a JSON object"):
        identify(payload)


def test_identify_error_is_a_value_error_and_a_thrillpots_error() -> None:
    assert issubclass(IdentifyError, ValueError)
    assert issubclass(IdentifyError, pytest_thrillpots.ThrillpotsError)


def test_schemas_are_valid_json_schema_2020_12() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for schema in raw_schemas().values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_files_are_the_loaded_ones() -> None:
    for name, schema in raw_schemas().items():
        on_disk = json.loads((REPO / "contracts" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert on_disk == schema

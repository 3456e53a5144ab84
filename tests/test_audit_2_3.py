"""Gaps found auditing issues 2 and 3 against the code, each pinned by a test that failed before its fix."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from pytest_thrillpots import (
    Factory,
    IdentifyError,
    OptInEventFactory,
    RaffleWinEventFactory,
    UnknownTraitError,
    WinEventFactory,
    identify,
    matches_spec,
    validate,
)
from pytest_thrillpots.cli import main
from pytest_thrillpots.factories._traits import parse_trait

# --- Traits as their signature reads: community(n) -----------------------------------------------


def test_a_trait_parameter_may_be_given_by_position() -> None:
    assert len(WinEventFactory.seeded(1).trait("community", 5).build()["community_winners"]) == 5
    assert (
        WinEventFactory.seeded(1).trait("community", 5).build()
        == WinEventFactory.seeded(1).trait("community", n=5).build()
    )


@pytest.mark.parametrize("written", ["community(n=4)", "community(4)", "community:n=4", "community:4"])
def test_a_trait_may_be_written_as_its_signature_reads(written: str) -> None:
    assert WinEventFactory.seeded(1).trait(written).build() == WinEventFactory.seeded(1).trait("community", n=4).build()


def test_the_signature_in_an_error_message_is_accepted_as_written() -> None:
    # The unknown-trait message lists "community(n=3)": that text must work as a trait.
    signature = WinEventFactory.traits["community"].signature
    assert len(WinEventFactory.trait(signature).build()["community_winners"]) == 3


def test_a_factorys_repr_rebuilds_it() -> None:
    factory = WinEventFactory.seeded(3).trait("community", 2)
    assert repr(factory) == "WinEventFactory.seeded(3).trait('community(n=2)')"
    assert factory.build() == WinEventFactory.seeded(3).trait("community(n=2)").build()


@pytest.mark.parametrize(
    ("args", "params", "message"),
    [
        (("community", 1, 2), {}, "WinEvent trait 'community(n=3)' takes n, not 2 value(s): 1, 2"),
        (("withheld", 1), {}, "WinEvent trait 'withheld' takes no parameters, not 1 value(s): 1"),
        (("community", 1), {"n": 2}, "WinEvent trait 'community(n=3)': n given twice"),
    ],
)
def test_wrong_positional_trait_parameters_are_clear_errors(
    args: tuple[object, ...], params: dict[str, int], message: str
) -> None:
    with pytest.raises(UnknownTraitError) as raised:
        WinEventFactory.trait(*args, **params)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_unreadable_trait_text_still_lists_the_traits() -> None:
    with pytest.raises(UnknownTraitError, match=r"WinEvent has no trait 'with-held'\. Did you mean 'withheld'\?"):
        WinEventFactory.trait("with-held")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("withheld", ("withheld", (), {})),
        ("community(5)", ("community", (5,), {})),
        ("community( n = 5 )", ("community", (), {"n": 5})),
        ("community:n=5", ("community", (), {"n": 5})),
        ("community:5", ("community", (5,), {})),
    ],
)
def test_parse_trait(text: str, parsed: tuple[str, tuple[int, ...], dict[str, int]]) -> None:
    assert parse_trait(text) == parsed


@pytest.mark.parametrize("text", ["community(n=3", "community(x)", "community(n=1, 2)", "3"])
def test_parse_trait_rejects_what_it_cannot_read(text: str) -> None:
    with pytest.raises(UnknownTraitError, match="cannot read the trait"):
        parse_trait(text)


@pytest.mark.parametrize("written", ["community(4)", "community(n=4)", "community:4"])
def test_sample_takes_a_trait_as_its_signature_reads(capsysbinary: pytest.CaptureFixture[bytes], written: str) -> None:
    code = main(["sample", "WinEvent", "--seed", "1", "--trait", written, "--format", "ndjson"])
    out, _ = capsysbinary.readouterr()
    assert code == 0
    assert orjson.loads(out) == WinEventFactory.seeded(1).trait("community", n=4).build()


# --- An override changes its own field, not the draws after it ------------------------------------


@pytest.mark.parametrize(
    ("factory", "overrides"),
    [
        (WinEventFactory, {"timestamp": 1_750_000_000_000}),
        (RaffleWinEventFactory, {"timestamp": 1_750_000_000_000}),
        (OptInEventFactory, {"last_updated": 1_750_000_000_000}),
        (WinEventFactory, {"player_id": "p-1", "seed": 7}),
    ],
    ids=repr,
)
def test_an_override_changes_only_its_field(factory: type[Factory], overrides: dict[str, object]) -> None:
    for seed in range(5):
        plain = factory.seeded(seed).build()
        assert factory.seeded(seed).build(**overrides) == {**plain, **overrides}


# --- Strict mode names CurrencyValue inside a legacy winner tuple -----------------------------------


def test_an_unknown_field_in_a_legacy_tuples_amount_names_currency_value() -> None:
    event = RaffleWinEventFactory.seeded(1).trait("legacy_winners").build()
    event["winners"][0][1]["rate"] = 1
    for payload in (event, orjson.dumps(event)):
        assert [str(v) for v in validate(payload, "RaffleWinEvent", strict=True, allow_legacy_winners=True)] == [
            "winners[0][1].rate: unknown field, not listed in the CurrencyValue spec (strict mode), got number 1"
            " [unknown_field]"
        ]


# --- matches_spec takes a payload as validate() does: parsed JSON or JSON text ---------------------


def test_matches_spec_equals_json_text_of_a_matching_event() -> None:
    win = WinEventFactory.seeded(1).build(player_id="p-1")
    matcher = matches_spec("WinEvent", player_id="p-1")
    assert orjson.dumps(win) == matcher
    assert orjson.dumps(win).decode() == matcher
    assert orjson.dumps({**win, "player_id": "p-2"}) != matcher
    assert matcher != b"{"


def test_matches_spec_explains_json_text() -> None:
    win = WinEventFactory.seeded(1).build(player_id="p-2")
    assert matches_spec("WinEvent", player_id="p-1").explain(orjson.dumps(win)) == [
        "payload does not match matches_spec('WinEvent', player_id='p-1')",
        "field differences:",
        "  player_id",
        '    - expected: "p-1"',
        '    + actual:   "p-2"',
    ]
    assert matches_spec("WinEvent").explain(b"{") == [
        "payload does not match matches_spec('WinEvent')",
        "spec violations:",
        "  <event>: not valid JSON: unexpected end of data at line 1 column 2 [json]",
    ]


# --- Nesting deeper than the engine converts (about 255 levels) ------------------------------------


def _nested(depth: int) -> dict[str, object]:
    root: dict[str, object] = {}
    level = root
    for _ in range(depth):
        inner: dict[str, object] = {}
        level["a"] = inner
        level = inner
    return root


@pytest.mark.parametrize("depth", [300, 1000])
def test_deep_metadata_is_valid_as_a_dict_and_as_text(depth: int) -> None:
    win = {**WinEventFactory.seeded(1).build(), "metadata": _nested(depth)}
    assert validate(win, "WinEvent", strict=True) == []
    text = '{"a":' * depth + "{}" + "}" * depth
    raw = orjson.dumps({**win, "metadata": "@"}).replace(b'"@"', text.encode())
    assert validate(raw, "WinEvent", strict=True) == []
    assert validate(raw, "WinEvent", semantic=True) == []


def test_deep_nesting_where_the_spec_wants_a_string_is_one_type_violation() -> None:
    win = {**WinEventFactory.seeded(1).build(), "games_in_jackpot": [_nested(500)]}
    assert [(v.path, v.rule) for v in validate(win, "WinEvent")] == [("/games_in_jackpot/0", "type")]


def test_validate_cli_reads_deep_metadata_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    win = WinEventFactory.seeded(1).build()
    deep = '{"a":' * 300 + "1" + "}" * 300
    line = orjson.dumps({**win, "metadata": "@"}).replace(b'"@"', deep.encode())
    broken = orjson.dumps({**win, "metadata": "@", "timestamp": "x"}).replace(b'"@"', deep.encode())
    path = tmp_path / "deep.ndjson"
    path.write_bytes(line + b"\n" + broken + b"\n")
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert (code, out) == (
        1,
        f'{path}:2: timestamp: expected number, got string "x" [type]\n'
        "checked 2 events: 1 valid, 1 invalid, 0 unparseable\n",
    )


# --- identify() takes a payload as validate() does: parsed JSON or JSON text ----------------------


def test_identify_reads_json_text() -> None:
    event = OptInEventFactory.seeded(1).build()
    assert identify(orjson.dumps(event)) == "OptInEvent"
    assert identify(orjson.dumps(event).decode()) == "OptInEvent"
    with pytest.raises(IdentifyError, match=r"the payload is not valid JSON \(unexpected end of data"):
        identify(b"{")
    with pytest.raises(IdentifyError, match="cannot identify the event type of a list: an event is a JSON object"):
        identify(b"[]")

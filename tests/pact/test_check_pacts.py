"""check-pacts: every message interaction of a pact against the spec, without a producer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots.cli import main
from pytest_thrillpots.pact import derive
from pytest_thrillpots.pact._check import check_document, check_pacts
from pytest_thrillpots.spec import EVENT_TYPES, spec

from .._pact_support import PACTS

PACTJS = Path(__file__).parent / "pactjs" / "pacts"


def _pact(*interactions: dict[str, Any]) -> dict[str, Any]:
    return {"consumer": {"name": "c"}, "provider": {"name": "thrillpots"}, "interactions": list(interactions)}


def _message(content: Any, rules: dict[str, Any] | None = None, event_type: str | None = "WinEvent") -> dict[str, Any]:
    return {
        "type": "Asynchronous/Messages",
        "description": "m",
        "contents": {"content": content, "contentType": "application/json", "encoded": False},
        "matchingRules": {"body": {path: _rule(m) for path, m in (rules or {}).items()}},
        "metadata": {"event_type": event_type} if event_type else {},
    }


def _rule(matchers: Any) -> dict[str, Any]:
    """One matcher, a list of matchers (AND), or ``("OR", [...])``, as a pact's rule."""
    if isinstance(matchers, tuple):
        return {"combine": matchers[0], "matchers": matchers[1]}
    return {"combine": "AND", "matchers": [matchers] if isinstance(matchers, dict) else matchers}


def _findings(content: Any, rules: dict[str, Any] | None = None, event_type: str = "WinEvent") -> list[str]:
    (check,) = check_document(_pact(_message(content, rules, event_type)))
    return [f"{f.severity}: {f}" for f in check.findings]


def test_a_pact_js_pact_asking_for_what_the_spec_never_promised_is_refused_path_by_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["check-pacts", str(PACTJS / "pactjs_reporting-thrillpots.json")])
    out = capsys.readouterr().out
    assert code == 1
    no_event = "no event can pass"
    assert out == "\n".join(
        [
            f"{PACTJS / 'pactjs_reporting-thrillpots.json'} (pactjs_reporting -> thrillpots, specification 4.0)",
            "  FAILS 'a jackpot update for the daily report' (JackpotUpdateEvent)",
            f'          error: jackpot_type: the pact pins "Lottery", but the spec has "Jackpot" or "Raffle" here: {no_event} [pinned_value]',
            f"          error: pots[*].current_value: the pact expects a string, but the spec has a number here: {no_event} [matcher_type]",
            "          warning: timestamp_end: the spec allows any number and the pact expects an integer: it fails when the producer sends 2.5 [narrower_type]",
            "          warning: timestamp_end: the spec lets it be null and the pact expects an integer: it fails when the producer sends null [nullable]",
            "  FAILS 'an opt-in for the daily report' (OptInEvent)",
            f"          error: contribution_count: the pact expects a string matching regex ^\\d+$, but the spec has a number here: {no_event} [matcher_type]",
            f"          error: last_updated: the pact expects a date and time in the format yyyy-MM-dd'T'HH:mm:ss, but the spec has a number here: {no_event} [matcher_type]",
            "          error: loyalty_tier: the spec has no such field: no event carries it [unknown_field]",
            f'          error: opted_in: the pact pins "yes", but the spec has a boolean here: {no_event} [pinned_value]',
            f"          error: player_brand_id: the pact expects null, but the spec has a string here: {no_event} [null]",
            f"          error: player_id: the pact expects an integer, but the spec has a string here: {no_event} [matcher_type]",
            f"          error: preferred_contribution_value: the pact expects a string, but the spec has a number here: {no_event} [matcher_type]",
            "2 of 2 interactions in 1 pact cannot be satisfied by any event the spec allows (9 errors, 2 warnings)",
            "",
        ]
    )  # fmt: skip


def test_a_pact_js_pact_the_producer_honours_passes_with_its_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-pacts", str(PACTJS / "pactjs_lobby-thrillpots.json"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["satisfiable"] is True
    assert report["counts"] == {"interactions": 6, "unsatisfiable": 0, "errors": 0, "warnings": 10, "empty_pacts": 0}
    (pact,) = report["pacts"]
    win = next(i for i in pact["interactions"] if i["description"] == "a win with its community winners")
    assert win["findings"] == [
        {
            "severity": "warning",
            "path": "metadata",
            "code": "nullable",
            "message": "the spec lets it be null and the pact expects an object: it fails when the producer sends null",
        },
        {
            "severity": "warning",
            "path": "seed",
            "code": "narrower_type",
            "message": "the spec allows any number and the pact expects an integer: it fails when the producer sends 2.5",
        },
    ]


def test_a_v3_message_without_an_event_type_is_taken_as_the_event_its_contents_fit() -> None:
    report = check_pacts([PACTJS / "pactjs_legacy-thrillpots.json"])
    check = report.interactions[0]
    assert (check.description, check.event_type, check.satisfiable) == (
        "a failed community payout, without an event type",
        "CommunityPayoutErrorEvent",
        True,
    )
    assert [str(f) for f in check.findings] == [
        "no event_type in its message metadata: taken as CommunityPayoutErrorEvent, the event its contents fit. "
        'Producers route a message by that metadata: add {"event_type": "CommunityPayoutErrorEvent"} [event_type]'
    ]


def test_contents_that_fit_no_event_are_checked_as_the_closest_one() -> None:
    (check,) = check_document(_pact(_message({"player_id": 7, "tier": "gold"}, event_type=None)))
    assert not check.satisfiable
    assert str(check.findings[0]) == (
        "no event_type in its message metadata, and its contents fit no event: checked as WinEvent, the closest "
        "[event_type]"
    )


def test_an_event_type_the_spec_lacks_is_named_with_the_close_match() -> None:
    assert _findings({"player_id": "p"}, event_type="WinEvnt") == [
        "error: its event_type metadata \"WinEvnt\" names no ThrillPots event. Did you mean 'WinEvent' or "
        "'RaffleWinEvent'? (the events "
        "are JackpotUpdateEvent, WinEvent, RaffleWinEvent, OptInEvent, CommunityPayoutErrorEvent, "
        "RafflePayoutErrorEvent) [event_type]"
    ]


def test_the_plugins_committed_pacts_ask_for_nothing_the_spec_does_not_promise(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-pacts", str(PACTS)]) == 0
    assert capsys.readouterr().out.endswith("all 9 interactions in 4 pacts can be satisfied by events the spec allows\n")


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(EVENT_TYPES), st.data())
def test_every_interaction_the_plugin_derives_passes_the_check_without_findings(event_type: str, data: st.DataObject) -> None:
    names = list(spec(event_type).fields)
    fields = data.draw(st.one_of(st.none(), st.lists(st.sampled_from(names), min_size=1, unique=True)))
    for interaction in derive(event_type, "an event", fields=fields, seed_words=[str(fields)]):
        document = _pact(
            {
                "type": "Asynchronous/Messages",
                "description": interaction.description,
                "contents": {"content": interaction.body, "contentType": "application/json", "encoded": False},
                "matchingRules": {"body": dict(interaction.rules)},
                "metadata": interaction.metadata,
                "providerStates": [{"name": n, "params": dict(p)} for n, p in interaction.states],
            }
        )
        (check,) = check_document(document)
        assert check.findings == (), [str(f) for f in check.findings]


NO = "no event can pass"


@pytest.mark.parametrize(
    ("content", "rules", "expected"),
    [
        # equality, and a path without a rule (equality too)
        ({"brand_id": "b"}, {"$.brand_id": {"match": "equality"}}, []),
        ({"seed": "7"}, {}, [f'error: seed: the pact pins "7", but the spec has a number here: {NO} [pinned_value]']),
        # type: the example's JSON type
        ({"seed": 7}, {"$.seed": {"match": "type"}}, []),
        ({"seed": "7"}, {"$.seed": {"match": "type"}}, [f"error: seed: the pact expects a string, but the spec has a number here: {NO} [matcher_type]"]),
        # type with min and max on an array
        ({"games_in_jackpot": ["g"]}, {"$.games_in_jackpot": {"match": "type", "min": 1, "max": 3}}, []),
        ({"games_in_jackpot": ["g"]}, {"$.games_in_jackpot": {"match": "type", "min": 3, "max": 1}},
         ["error: games_in_jackpot: the pact asks for at least 3 and at most 1 items: no array has both [size]"]),
        # number, integer, decimal
        ({"seed": 7}, {"$.seed": {"match": "number"}}, []),
        ({"player_id": 7}, {"$.player_id": {"match": "number"}}, [f"error: player_id: the pact expects a number, but the spec has a string here: {NO} [matcher_type]"]),
        ({"seed": 7}, {"$.seed": {"match": "integer"}}, ["warning: seed: the spec allows any number and the pact expects an integer: it fails when the producer sends 2.5 [narrower_type]"]),
        ({"seed": 7.5}, {"$.seed": {"match": "decimal"}}, ["warning: seed: the spec allows any number and the pact expects a decimal: it fails when the producer sends a whole number such as 2 (most JSON writers drop the .0) [narrower_type]"]),
        ({"player_id": 7}, {"$.player_id": {"match": "integer"}}, [f"error: player_id: the pact expects an integer, but the spec has a string here: {NO} [matcher_type]"]),
        # boolean
        ({"win_withheld": True}, {"$.win_withheld": {"match": "boolean"}}, []),
        ({"seed": True}, {"$.seed": {"match": "boolean"}}, [f"error: seed: the pact expects a boolean, but the spec has a number here: {NO} [matcher_type]"]),
        # regex, include, semver: text matchers
        ({"player_id": "p-1"}, {"$.player_id": {"match": "regex", "regex": "^p-"}}, []),
        ({"seed": "7"}, {"$.seed": {"match": "regex", "regex": "^\\d+$"}}, [f"error: seed: the pact expects a string matching regex ^\\d+$, but the spec has a number here: {NO} [matcher_type]"]),
        ({"player_id": "x"}, {"$.player_id": {"match": "regex", "regex": "^p-"}}, ['error: player_id: the pact\'s own example "x" is not a string matching regex ^p- [example]']),
        ({"player_id": "player-1"}, {"$.player_id": {"match": "include", "value": "player"}}, []),
        ({"seed": 7}, {"$.seed": {"match": "include", "value": "7"}}, [f'error: seed: the pact expects a string including "7", but the spec has a number here: {NO} [matcher_type]']),
        ({"player_id": "1.2.3"}, {"$.player_id": {"match": "semver"}}, []),
        ({"seed": "1.2.3"}, {"$.seed": {"match": "semver"}}, [f"error: seed: the pact expects a semantic version (1.2.3), but the spec has a number here: {NO} [matcher_type]"]),
        # date, time, datetime, timestamp
        ({"player_id": "2026-03-01"}, {"$.player_id": {"match": "date", "format": "yyyy-MM-dd"}}, []),
        ({"player_id": "20:00"}, {"$.player_id": {"match": "time", "format": "HH:mm"}}, []),
        ({"timestamp": "2026-03-01T20:00:00"}, {"$.timestamp": {"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ss"}},
         [f"error: timestamp: the pact expects a date and time in the format yyyy-MM-dd'T'HH:mm:ss, but the spec has a number here: {NO} [matcher_type]"]),
        ({"timestamp": "2026-03-01T20:00:00"}, {"$.timestamp": {"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss"}},
         [f"error: timestamp: the pact expects a date and time in the format yyyy-MM-dd'T'HH:mm:ss, but the spec has a number here: {NO} [matcher_type]"]),
        # null
        ({"metadata": None}, {"$.metadata": {"match": "null"}}, []),
        ({"seed": None}, {"$.seed": {"match": "null"}}, [f"error: seed: the pact expects null, but the spec has a number here: {NO} [null]"]),
        # notEmpty, contentType
        ({"player_id": "p"}, {"$.player_id": {"match": "notEmpty"}}, []),
        ({"metadata": {"a": 1}}, {"$.metadata": {"match": "notEmpty"}}, ["warning: metadata: the spec lets it be null and the pact expects a non-empty value: it fails when the producer sends null [nullable]"]),
        ({"player_id": "{}"}, {"$.player_id": {"match": "contentType", "value": "application/json"}}, []),
        ({"seed": 1}, {"$.seed": {"match": "contentType", "value": "application/json"}}, [f"error: seed: the pact expects a string of content type application/json, but the spec has a number here: {NO} [matcher_type]"]),
        # eachKey, eachValue, values on objects
        ({"currency_multipliers": {"multipliers": {"EUR": 1}}},
         {"$.currency_multipliers.multipliers": {"match": "eachKey", "rules": [{"match": "regex", "regex": "^[A-Z]{3}$"}]}}, []),
        ({"currency_multipliers": {"multipliers": {"EUR": 1}}},
         {"$.currency_multipliers.multipliers": {"match": "eachKey", "rules": [{"match": "regex", "regex": "^[a-z]+$"}]}},
         [f'error: currency_multipliers.multipliers: the pact expects every key to be a string matching regex ^[a-z]+$, but the spec always sends "EUR", "GBP", "ZAR", "NZD", "SEK": {NO} [each_key]']),
        ({"currency_multipliers": {"multipliers": {"EUR": 1}}},
         {"$.currency_multipliers.multipliers": {"match": "eachValue", "rules": [{"match": "number"}]}}, []),
        ({"currency_multipliers": {"multipliers": {"EUR": "1"}}},
         {"$.currency_multipliers.multipliers": {"match": "eachValue", "rules": [{"match": "type"}]}},
         [f"error: currency_multipliers.multipliers: the pact expects every value to be a string, but the spec has a number at EUR: {NO} [each_value]"]),
        ({"currency_multipliers": {"multipliers": {"EUR": 1}}},
         {"$.currency_multipliers.multipliers": {"match": "eachValue", "rules": [{"match": "boolean"}]}},
         [f"error: currency_multipliers.multipliers: the pact expects every value to be a boolean, but the spec has a number at EUR: {NO} [each_value]"]),
        ({"currency_multipliers": {"multipliers": {"EUR": 1}}}, {"$.currency_multipliers.multipliers": {"match": "values"}}, []),
        ({"player_id": {"a": 1}}, {"$.player_id": {"match": "values"}}, [f"error: player_id: the pact expects an object, but the spec has a string here: {NO} [matcher_type]"]),
        # arrayContains and its variants
        ({"games_in_jackpot": ["g"]}, {"$.games_in_jackpot": {"match": "arrayContains", "variants": [{"index": 0, "rules": {}}]}}, []),
        ({"games_in_jackpot": [7]}, {"$.games_in_jackpot": {"match": "arrayContains", "variants": [{"index": 0, "rules": {}}]}},
         [f"error: games_in_jackpot[*]: arrayContains variant 0: the pact pins 7, but the spec has a string here: {NO} [pinned_value]"]),
        # combine: OR lets null through, AND of contradicting types passes nothing
        ({"metadata": {}}, {"$.metadata": ("OR", [{"match": "type"}, {"match": "null"}])}, []),
        ({"seed": 7}, {"$.seed": ("OR", [{"match": "boolean"}, {"match": "null"}])},
         [f"error: seed: the pact expects a boolean or null, but the spec has a number here: {NO} [matcher_type]"]),
        ({"seed": 7}, {"$.seed": [{"match": "number"}, {"match": "boolean"}]},
         [f"error: seed: the pact expects a number and a boolean, but the spec has a number here: {NO} [matcher_type]"]),
        # matchers a message cannot have
        ({"seed": 200}, {"$.seed": {"match": "statusCode", "status": "success"}}, ["error: seed: statusCode matches HTTP response statuses: a message has none [unknown_matcher]"]),
        ({"seed": 200}, {"$.seed": {"match": "fuzzy"}}, ["error: seed: the Pact specification has no 'fuzzy' matcher: a verifier fails the interaction on it [unknown_matcher]"]),
        # fields the spec lacks, in the contents and in the rules
        ({"community_winners": [{"rank": 1}]}, {}, ["error: community_winners[*].rank: the spec has no such field: no event carries it [unknown_field]"]),
        ({"metadata": {"campaign": 7}}, {}, ["warning: metadata: the spec lets it be null and the pact expects the pinned value {\"campaign\": 7}: it fails when the producer sends null [nullable]"]),
        ({"seed": 1}, {"$.seed": {"match": "number"}, "$.jackpot_tier": {"match": "type"}},
         ["warning: jackpot_tier: the rule of $.jackpot_tier is for a field WinEvent does not have: it matches nothing ThrillPots sends [unknown_field]"]),
    ],
)  # fmt: skip
def test_every_matcher_kind_is_judged_against_the_spec(content: Any, rules: dict[str, Any], expected: list[str]) -> None:
    assert _findings(content, rules) == expected


def test_an_http_interaction_can_never_be_satisfied_by_a_message() -> None:
    (check,) = check_document(_pact({"type": "Synchronous/HTTP", "description": "a status", "request": {}}))
    assert [str(f) for f in check.findings] == [
        "a Synchronous/HTTP interaction: ThrillPots publishes asynchronous messages only, so nothing it sends can "
        "satisfy it [not_message]"
    ]


def test_contents_that_are_not_json_cannot_be_an_event() -> None:
    message = {**_message(None), "contents": {"content": "AAE=", "contentType": "application/octet-stream", "encoded": "base64"}}
    (check,) = check_document(_pact(message))
    assert [str(f) for f in check.findings] == [
        "its contents are application/octet-stream, not JSON: every ThrillPots event is a JSON object [not_json]"
    ]


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({"bad-thrillpots.json": '{"consumer": '}, ["{tmp}"],
         "the pact file {tmp}/bad-thrillpots.json is not JSON: Expecting value: line 1 column 14 (char 13)"),
        ({"list.json": "[]"}, ["{tmp}/list.json"], "{tmp}/list.json is not a pact: a pact is a JSON object, not an array"),
        ({"deep.json": "[" * 100_000 + "]" * 100_000}, ["{tmp}/deep.json"],
         "the pact file {tmp}/deep.json nests arrays and objects more deeply than a JSON reader follows: no pact does"),
        ({"c-other.json": json.dumps({**_pact(), "provider": {"name": "other"}})}, ["{tmp}/c-other.json"],
         "{tmp}/c-other.json is a pact with provider 'other', not 'thrillpots': check it with --provider other"),
        ({"c-other.json": json.dumps({**_pact(), "provider": {"name": "other"}})}, ["{tmp}"],
         "no pact for provider 'thrillpots' in the sources given (skipped: {tmp}/c-other.json: a pact with provider 'other', not 'thrillpots')"),
        ({}, ["{tmp}/nowhere"], "pact source '{tmp}/nowhere' is neither a pact file nor a directory of pact files: nothing is there yet. "
         "A consumer's contract tests write its pact when their pytest session ends, so a verification in that same "
         "session cannot read it: run the consumers' tests first, then the verification (or pass sources=[...] "
         "naming the pacts)"),
        ({}, ["https://broker.example/pacts/1"], "https://broker.example/pacts/1: check-pacts reads pact files and directories; download the pact first"),
    ],
)  # fmt: skip
def test_a_source_that_cannot_be_checked_is_a_usage_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], args: list[str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert main(["check-pacts", *(a.format(tmp=tmp_path) for a in args)]) == 2
    assert capsys.readouterr().err == f"thrillpots: error: {message.format(tmp=tmp_path)}\n"


def test_pacts_of_other_providers_in_a_directory_are_skipped_and_said_so(tmp_path: Path) -> None:
    (tmp_path / "c-other.json").write_text(json.dumps({**_pact(), "provider": {"name": "other"}}))
    (tmp_path / "c-thrillpots.json").write_text(json.dumps(_pact(_message({"seed": 1}))))
    report = check_pacts([tmp_path])
    assert report.skipped == (f"{tmp_path}/c-other.json: a pact with provider 'other', not 'thrillpots'",)
    assert report.text().splitlines()[-2:] == [
        f"skipped {tmp_path}/c-other.json: a pact with provider 'other', not 'thrillpots'",
        "all 1 interaction in 1 pact can be satisfied by events the spec allows",
    ]


@pytest.mark.parametrize(
    "interaction",
    [
        {"type": "Asynchronous/Messages", "description": "m", "metadata": {"event_type": "WinEvent"}},
        _message(None),
        _message(""),
    ],
    ids=["no contents", "null content", "empty content"],
)
def test_a_message_without_contents_is_refused_as_the_verifier_would_pass_anything(interaction: dict[str, Any]) -> None:
    # Not "pins null": the verifier compares nothing, so verify_pacts fails it for that reason.
    (check,) = check_document(_pact(interaction))
    assert (check.event_type, [f"{f.severity}: {f}" for f in check.findings]) == (
        "WinEvent",
        [
            "error: its pact has no message contents: the verifier compares nothing then, and would pass any "
            "message. The consumer's pact says the body it expects (thrillpots_pact.expects() writes it) "
            "[no_contents]"
        ],
    )


def test_a_pact_holding_no_interactions_is_said_and_alone_is_no_green(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "crm-thrillpots.json").write_text(json.dumps({**_pact(), "consumer": {"name": "crm"}}))
    assert main(["check-pacts", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: no interaction for provider 'thrillpots' in the sources given: "
        f"{tmp_path}/crm-thrillpots.json (crm -> thrillpots) holds no interactions\n"
    )
    (tmp_path / "c-thrillpots.json").write_text(json.dumps(_pact(_message({"seed": 1}))))
    report = check_pacts([tmp_path])
    assert report.text().splitlines() == [
        f"{tmp_path}/c-thrillpots.json (c -> thrillpots)",
        "  ok    'm' (WinEvent)",
        f"{tmp_path}/crm-thrillpots.json (crm -> thrillpots)",
        "  warning: it holds no interactions: nothing of crm's is checked",
        "all 1 interaction in 2 pacts can be satisfied by events the spec allows (1 pact with no interactions)",
    ]
    assert report.to_dict()["counts"]["empty_pacts"] == 1


@pytest.mark.parametrize(
    ("metadata", "content_type", "expected"),
    [
        ({"event_type": "WinEvent", "topic": "jackpots"}, "application/json",
         ["error: message metadata 'topic': ThrillPots messages carry only the event_type and contentType metadata, "
          "so no message can pass [metadata]"]),
        ({"event_type": "WinEvent", "contentType": "application/json;charset=utf-8"}, "application/json",
         ['error: message metadata \'contentType\': the pact expects "application/json;charset=utf-8", but ThrillPots '
          'messages say "application/json" (the verifier compares it exactly), so no message can pass [metadata]']),
        ({"event_type": "WinEvent"}, "application/vnd.thrillpots+json",
         ["error: its contents are application/vnd.thrillpots+json, but ThrillPots messages are application/json, so "
          "no message can pass [content_type]"]),
        ({"event_type": "WinEvent", "contentType": "application/json"}, "Application/JSON", []),
    ],
)  # fmt: skip
def test_message_metadata_thrillpots_never_sends_cannot_be_satisfied(
    metadata: dict[str, Any], content_type: str, expected: list[str]
) -> None:
    # The verifier compares the metadata too: check-pacts calling these satisfiable was a false green.
    message = _message({"player_id": "p-1"})
    message["metadata"] = metadata
    message["contents"]["contentType"] = content_type
    (check,) = check_document(_pact(message))
    assert (check.event_type, [f"{f.severity}: {f}" for f in check.findings]) == ("WinEvent", expected)

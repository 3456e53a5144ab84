"""Reading pact documents: message interactions and their matching rules, whoever wrote the pact."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_thrillpots.pact import (
    Matcher,
    MatchingRule,
    PactFileError,
    ProviderState,
    message_interactions,
    read_pact,
)
from pytest_thrillpots.pact._matching import _json_path
from pytest_thrillpots.pact._reading import WILDCARD, parse_rule_path

from .._pact_support import PACTS

PACTJS = Path(__file__).parent / "pactjs" / "pacts"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _v4(*interactions: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "wallet"},
        "provider": {"name": "thrillpots"},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def _message(content: Any, rules: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": "Asynchronous/Messages",
        "description": "a win",
        "contents": {"content": content, "contentType": "application/json", "encoded": False},
        "matchingRules": {"body": rules or {}},
        "metadata": {"event_type": "WinEvent"},
        **extra,
    }


def test_a_pact_js_v4_message_pact_is_read_with_its_rules_states_and_event_types() -> None:
    pact = read_pact(_load(PACTJS / "pactjs_lobby-thrillpots.json"))
    assert (pact.consumer, pact.provider, pact.specification, pact.others) == ("pactjs_lobby", "thrillpots", "4.0", ())
    raffle = next(m for m in pact.messages if m.description == "a raffle draw")
    assert raffle.event_type == "RaffleWinEvent"
    assert raffle.provider_states == (ProviderState("a raffle was drawn", {"winners": 1}),)
    assert raffle.contents["winners"] == [{"player_id": "player-1", "win_amount": 25.5}]
    assert raffle.rules["$.currency_multipliers.multipliers"] == MatchingRule(
        ("currency_multipliers", "multipliers"),
        "$.currency_multipliers.multipliers",
        (
            Matcher(
                "eachKey",
                {"rules": [{"match": "regex", "regex": "^[A-Z]{3}$"}], "value": '{"EUR":1,"GBP":0.86}'},
            ),
        ),
    )
    assert raffle.rules["$.winners[*].win_amount"].path == ("winners", WILDCARD, "win_amount")


def test_a_pact_js_v3_message_pact_is_read_and_a_message_may_lack_an_event_type() -> None:
    pact = read_pact(_load(PACTJS / "pactjs_legacy-thrillpots.json"))
    assert pact.specification == "3.0.0"
    assert [(m.description, m.event_type, m.content_type) for m in pact.messages] == [
        ("a failed community payout, without an event type", None, "application/json"),
        ("an opt-in, in a V3 pact", "OptInEvent", "application/json"),
    ]
    assert pact.messages[1].contents == {"contribution_count": 2, "opted_in": True, "player_id": "player-5"}
    assert pact.messages[1].rules["$.contribution_count"].matchers == (Matcher("integer"),)


def test_the_plugins_own_pacts_read_as_the_interactions_it_wrote() -> None:
    found = [
        (m.consumer, m.description, m.event_type)
        for p in sorted(PACTS.glob("*.json"))
        for m in message_interactions(_load(p))
    ]
    assert len(found) == 9
    assert ("crm", "a player opts in", "OptInEvent") in found


def test_the_best_rule_for_a_path_is_its_own_else_the_closest_one_above_it() -> None:
    (message,) = message_interactions(
        _v4(
            _message(
                {"pots": [{"id": "p", "current_value": 1}]},
                {
                    "$": {"matchers": [{"match": "type"}]},
                    "$.pots": {"matchers": [{"match": "type", "min": 1}]},
                    "$.pots[*].id": {"matchers": [{"match": "regex", "regex": "^p"}]},
                    "$.*[0].id": {"matchers": [{"match": "equality"}]},
                },
            )
        )
    )
    assert message.rule_at(("pots", 0, "id")).text == "$.pots[*].id"  # type: ignore[union-attr]
    assert message.rule_at(("pots", 0, "current_value")).text == "$.pots"  # type: ignore[union-attr]
    assert message.rule_at(("pots",)).text == "$.pots"  # type: ignore[union-attr]
    assert message.rule_at(("status",)).text == "$"  # type: ignore[union-attr]
    assert message.rule_at(()).text == "$"  # type: ignore[union-attr]


def test_a_body_without_rules_has_no_rule_anywhere() -> None:
    (message,) = message_interactions(_v4(_message({"player_id": "p"})))
    assert message.rule_at(("player_id",)) is None


@pytest.mark.parametrize(
    ("contents", "expected"),
    [
        ({"content": base64.b64encode(b'{"a": 1}').decode(), "contentType": "application/json", "encoded": "base64"},
         {"a": 1}),
        ({"content": '{"a": [1]}', "contentType": "application/json", "encoded": "JSON"}, {"a": [1]}),
        ({"content": base64.b64encode(b"\x00\x01").decode(), "contentType": "application/octet-stream",
          "encoded": "base64"}, b"\x00\x01"),
    ],
)  # fmt: skip
def test_encoded_contents_are_decoded(contents: dict[str, Any], expected: Any) -> None:
    (message,) = message_interactions(_v4({**_message(None), "contents": contents}))
    assert message.contents == expected
    assert message.is_json == isinstance(expected, dict)


def test_interactions_that_are_not_messages_are_kept_apart() -> None:
    http = {"type": "Synchronous/HTTP", "description": "a status", "request": {}, "response": {}}
    pact = read_pact(_v4(http, _message({})))
    assert [(o.description, o.kind, o.index) for o in pact.others] == [("a status", "Synchronous/HTTP", 0)]
    assert [(m.description, m.index) for m in pact.messages] == [("a win", 1)]
    v3_http = {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [{"description": "d", "request": {}}],
    }
    assert [o.kind for o in read_pact(v3_http).others] == ["HTTP"]


def test_v2_flat_rules_and_bare_matchers_are_read() -> None:
    message = _message({"player_id": "p", "pots": []})
    message["matchingRules"] = {"$.body.player_id": {"match": "type"}, "$.body.pots": {"min": 1}}
    (read,) = message_interactions(_v4(message))
    assert {text: rule.matchers for text, rule in read.rules.items()} == {
        "$.player_id": (Matcher("type"),),
        "$.pots": (Matcher("type", {"min": 1}),),
    }


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "x.json is not a pact: a pact is a JSON object, not an array"),
        ({"provider": {"name": "p"}, "interactions": []}, 'x.json is not a pact: it names no consumer ({"consumer": {"name": ...}})'),
        ({"consumer": {"name": "c"}, "provider": {"name": "p"}}, "x.json is not a pact: it has neither 'interactions' (V4) nor 'messages' (V3)"),
        (_v4(_message({}, {"$.a b": {"matchers": [{"match": "type"}]}})),
         "x.json, interactions[0] ('a win'): cannot read the matching rule path '$.a b': unexpected ' ' at character 4"),
        (_v4(_message({}, {"$.a": {"matchers": [{"regexp": "x"}]}})),
         'x.json, interactions[0] (\'a win\'): a matcher of $.a has no \'match\' (its kind): {"regexp": "x"}'),
        (_v4(_message({}, {"$.a": {"combine": "XOR", "matchers": [{"match": "type"}]}})),
         "x.json, interactions[0] ('a win'): the rule of $.a combines its matchers by 'XOR', not AND or OR"),
        (_v4({**_message({}), "contents": {"content": "{", "encoded": "JSON"}}),
         "x.json, interactions[0] ('a win'): its contents are marked JSON but are not: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        (_v4({"type": "Asynchronous/Messages", "contents": {}}), "x.json, interactions[0] has no description (a string)"),
    ],
)  # fmt: skip
def test_a_document_that_is_not_a_readable_pact_is_refused_saying_where(document: Any, message: str) -> None:
    with pytest.raises(PactFileError) as error:
        read_pact(document, source="x.json")
    assert str(error.value) == message


_KEY = st.text(st.characters(blacklist_characters="\\", blacklist_categories=("Cs",)), min_size=1, max_size=8)


@given(st.lists(st.one_of(_KEY, st.just(WILDCARD)), max_size=5))
def test_every_rule_path_the_plugin_writes_reads_back_as_its_parts(parts: list[str]) -> None:
    assert parse_rule_path(_json_path(parts)) == tuple(parts)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("$", ()),
        ("$.pots[*].current_value", ("pots", WILDCARD, "current_value")),
        ("$.pots[0].id", ("pots", 0, "id")),
        ("$['odd key'].x", ("odd key", "x")),
        ('$["dq"].*', ("dq", WILDCARD)),
        ("$.a-b:c", ("a-b:c",)),
    ],
)
def test_rule_paths_in_the_forms_implementations_write(text: str, parts: tuple[Any, ...]) -> None:
    assert parse_rule_path(text) == parts


_V3_MESSAGE = {"description": "a v3 win", "contents": {"player_id": "p-1"}, "metadata": {"event_type": "WinEvent"}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        # The Pact verifier reads a V4 pact's interactions only: it would verify none of these messages.
        ({"consumer": {"name": "crm"}, "provider": {"name": "thrillpots"}, "messages": [_V3_MESSAGE],
          "metadata": {"pactSpecification": {"version": "4.0"}}},
         "x.json lists V3 'messages' but declares Pact specification 4.0: the Pact verifier reads only the "
         "'interactions' of a V4 pact, so none of its messages would be verified (declare 3.0.0, or write V4 "
         "interactions)"),
        ({**_v4(_message({})), "messages": [_V3_MESSAGE]},
         "x.json lists both 'interactions' (V4) and 'messages' (V3): the Pact verifier reads only one of them, so "
         "the others would never be verified (a pact holds one list)"),
        # ... and a V3 pact's interactions as HTTP requests and responses.
        ({**_v4(_message({})), "metadata": {"pactSpecification": {"version": "3.0.0"}}},
         "x.json, interactions[0] ('a win') is a V4 Asynchronous/Messages interaction but the pact declares Pact "
         "specification 3.0.0: the Pact verifier reads a V3 pact's interactions as HTTP requests, so this message "
         "would never be verified as one (declare 4.0)"),
    ],
)  # fmt: skip
def test_a_pact_whose_lists_the_verifier_would_not_read_as_messages_is_refused(document: Any, message: str) -> None:
    with pytest.raises(PactFileError) as error:
        read_pact(document, source="x.json")
    assert str(error.value) == message


def test_a_v3_message_pact_without_a_declared_specification_is_read() -> None:
    document = {"consumer": {"name": "c"}, "provider": {"name": "thrillpots"}, "messages": [_V3_MESSAGE]}
    assert [m.description for m in read_pact(document).messages] == ["a v3 win"]


def test_a_v3_message_spelling_its_metadata_metadata_with_a_capital_d_is_read() -> None:
    """pact-jvm writes V3 messages' "metaData"; the verifier reads it, so its event type counts."""
    document = {
        "consumer": {"name": "wallet"},
        "provider": {"name": "thrillpots"},
        "messages": [
            {
                "description": "an opt-in",
                "contents": {"instance_id": "i-1", "failed_payouts": []},
                "metaData": {"event_type": "OptInEvent", "contentType": "application/json"},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    (message,) = read_pact(document).messages
    assert (message.event_type, message.content_type) == ("OptInEvent", "application/json")

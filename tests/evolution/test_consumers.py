"""Reading what consumers read from their pacts: V3 and V4 message pacts, files, URLs, the broker."""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_thrillpots import ContractSourceError, PactBroker
from pytest_thrillpots.evolution._consumers import reaches, read_pacts
from pytest_thrillpots.spec._paths import to_human

REPO = Path(__file__).resolve().parents[2]
PACTS = REPO / "contracts" / "pacts"

OPT_IN = {
    "instance_id": "i-1",
    "player_id": "plr_1",
    "ext_player_id": "ext-1",
    "player_brand_id": "brand-1",
    "preferred_contribution_value": 1.0,
    "contribution_count": 2,
    "contribution_value": 2.0,
    "opted_in": True,
    "last_updated": 1700000000000,
}


def v4_pact(consumer: str, *interactions: dict[str, Any], provider: str = "thrillpots") -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def v4_message(
    description: str,
    content: Any,
    rules: dict[str, Any] | None = None,
    event_type: str | None = "OptInEvent",
    **contents: Any,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "Asynchronous/Messages",
        "description": description,
        "contents": {"content": content, "contentType": "application/json", "encoded": False, **contents},
        "matchingRules": {"body": {path: {"combine": "AND", "matchers": [{"match": "type"}]} for path in rules or {}}},
    }
    if event_type is not None:
        message["metadata"] = {"contentType": "application/json", "event_type": event_type}
    return message


def write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document, encoding="utf-8")
    return path


def reads_of(tmp_path: Path, *documents: Any) -> list[tuple[str, str, str, list[str]]]:
    paths = [write(tmp_path, f"pact{i}.json", d) for i, d in enumerate(documents)]
    found = read_pacts([str(p) for p in paths])
    return [(i.consumer, i.description, i.event, sorted(to_human(p) for p in i.reads)) for i in found.interactions]


# --- paths -------------------------------------------------------------------------------------


def rule_reads(tmp_path: Path, path: str) -> list[str]:
    """What a consumer reads, from a pact whose one interaction has one rule at ``path`` (and no contents)."""
    message = {"description": "x", "contents": {}, "metadata": {"event_type": "OptInEvent"}}
    message["matchingRules"] = {"body": {path: {"matchers": [{"match": "type"}]}}}
    pact = {"consumer": {"name": "crm"}, "provider": {"name": "thrillpots"}, "messages": [message]}
    ((_, _, _, reads),) = reads_of(tmp_path, pact)
    return [read for read in reads if read != "<event>"]


@pytest.mark.parametrize(
    ("path", "read"),
    [
        ("$.player_id", "player_id"),
        ("$.pots[*].current_value", "pots[*].current_value"),
        ("$.pots[0].current_value", "pots[*].current_value"),
        ("$.winners", "winners"),
        ("$['odd key'].x", '["odd key"].x'),
        ("$.multipliers.*", "multipliers[*]"),
        ("$[*]", "[*]"),
    ],
)
def test_matching_rule_paths_are_read_as_paths_of_the_event(tmp_path: Path, path: str, read: str) -> None:
    assert rule_reads(tmp_path, path) == [read]


@pytest.mark.parametrize(
    "path", ["$..player_id", "$.pots[?(@.id)]", "player_id", "$.pots[0:2]", "$.a b", "$.pots[", "$['x]"]
)
def test_a_matching_rule_path_that_cannot_be_placed_is_an_error(tmp_path: Path, path: str) -> None:
    with pytest.raises(ContractSourceError, match=r"cannot read the matching rule path") as error:
        rule_reads(tmp_path, path)
    assert repr(path) in str(error.value)


PARTS = st.lists(st.sampled_from(["a", "b", "c", "*", 0, 1]), max_size=5).map(tuple)


@given(path=PARTS, below=PARTS)
def test_a_change_reaches_every_read_inside_it_and_around_it(path: tuple[Any, ...], below: tuple[Any, ...]) -> None:
    assert reaches(path, path + below)
    assert reaches(path + below, path)


@given(path=PARTS, below=PARTS, other=PARTS)
def test_a_change_misses_a_read_that_parts_from_it_at_a_key(
    path: tuple[Any, ...], below: tuple[Any, ...], other: tuple[Any, ...]
) -> None:
    assert not reaches((*path, "a", *below), (*path, "b", *other))
    assert not reaches((*path, 0, *below), (*path, 1, *other))  # tuple positions
    assert reaches((*path, "*", *below), (*path, "b"))  # any item or further key


# --- pact documents ----------------------------------------------------------------------------


def test_a_v4_pact_reads_its_contents_leaves_and_its_matching_rules(tmp_path: Path) -> None:
    message = v4_message(
        "an opt-in",
        {"player_id": "p", "pots": [{"id": "x"}, {"id": "y"}], "tags": [], "m": {}},
        {"$.pots": 1, "$.a.b": 1},
    )
    assert reads_of(tmp_path, v4_pact("crm", message)) == [
        ("crm", "an opt-in", "OptInEvent", ["a.b", "m", "player_id", "pots", "pots[*].id", "tags"])
    ]


def test_a_v3_message_pact_reads_the_same(tmp_path: Path) -> None:
    pact = {
        "consumer": {"name": "crm"},
        "provider": {"name": "thrillpots"},
        "messages": [
            {
                "description": "an opt-in",
                "contents": {"player_id": "p", "opted_in": True},
                "matchingRules": {"body": {"$.player_id": {"matchers": [{"match": "type"}]}}},
                "metadata": {"contentType": "application/json", "event_type": "OptInEvent"},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    assert reads_of(tmp_path, pact) == [("crm", "an opt-in", "OptInEvent", ["opted_in", "player_id"])]


def test_v4_bare_contents_and_rules_under_content(tmp_path: Path) -> None:
    message = {
        "type": "Asynchronous/Messages",
        "description": "bare",
        "contents": {"player_id": "p"},
        "matchingRules": {"content": {"$.opted_in": {"matchers": [{"match": "type"}]}}},
        "metadata": {"event_type": "OptInEvent"},
    }
    assert reads_of(tmp_path, v4_pact("crm", message)) == [("crm", "bare", "OptInEvent", ["opted_in", "player_id"])]


@pytest.mark.parametrize(
    ("encoded", "content"),
    [
        ("JSON", json.dumps({"player_id": "p"})),
        ("base64", base64.b64encode(json.dumps({"player_id": "p"}).encode()).decode()),
    ],
)
def test_encoded_v4_contents_are_decoded(tmp_path: Path, encoded: str, content: str) -> None:
    message = v4_message("encoded", content, encoded=encoded)
    assert reads_of(tmp_path, v4_pact("crm", message)) == [("crm", "encoded", "OptInEvent", ["player_id"])]


def test_the_event_type_is_identified_from_the_contents_without_metadata(tmp_path: Path) -> None:
    message = v4_message("no metadata", OPT_IN, event_type=None)
    assert reads_of(tmp_path, v4_pact("crm", message))[0][2] == "OptInEvent"


def test_pacts_of_other_providers_are_listed_and_not_read(tmp_path: Path) -> None:
    ours = write(tmp_path, "crm.json", v4_pact("crm", v4_message("x", {"player_id": "p"})))
    theirs = write(tmp_path, "crm-payments.json", v4_pact("crm", v4_message("y", {"a": 1}), provider="payments"))
    found = read_pacts([str(ours), str(theirs)])
    assert [i.description for i in found.interactions] == ["x"]
    assert found.ignored == ((str(theirs), "payments"),)


def test_a_directory_of_pacts_and_the_committed_example_pacts() -> None:
    found = read_pacts(PACTS)
    assert found.consumers == ("crm", "lobby_widget", "payout_ops", "wallet_service")
    assert len(found.interactions) == 9
    lobby = next(i for i in found.interactions if i.consumer == "lobby_widget")
    assert ("pots", "*", "current_value") in lobby.reads and ("pots",) in lobby.reads


def test_relative_sources_are_taken_from_cwd(tmp_path: Path) -> None:
    write(tmp_path, "crm.json", v4_pact("crm", v4_message("x", {"player_id": "p"})))
    assert read_pacts("crm.json", cwd=tmp_path).consumers == ("crm",)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "the pact {path} is not valid JSON (Expecting property name enclosed in double quotes"),
        ([1], "the pact {path} is not a pact: a pact is a JSON object, not an array"),
        (
            {"provider": {"name": "thrillpots"}, "interactions": []},
            'the pact {path} is not a pact: it names no consumer ({{"consumer": {{"name": ...}}}})',
        ),
        (
            {"consumer": {"name": "crm"}, "interactions": []},
            'the pact {path} is not a pact: it names no provider ({{"provider": {{"name": ...}}}})',
        ),
        (
            {"consumer": {"name": "crm"}, "provider": {"name": "thrillpots"}},
            "the pact {path} is not a pact: it has neither 'interactions' (V4) nor 'messages' (V3)",
        ),
        (v4_pact("crm", 5), "the pact {path}, interactions[0] is not an interaction"),
        (v4_pact("crm", {"type": "Asynchronous/Messages"}), "the pact {path}, interactions[0] has no description"),
        (
            v4_pact("crm", {"type": "Synchronous/HTTP", "description": "GET /pots", "request": {}}),
            "the pact {path}: interaction 'GET /pots' of crm is Synchronous/HTTP; "
            "thrillpots diff reads message interactions (Asynchronous/Messages) only",
        ),
        (
            v4_pact("crm", {"description": "GET /pots", "request": {}, "response": {}}),
            "the pact {path}: interaction 'GET /pots' of crm is HTTP; "
            "thrillpots diff reads message interactions (Asynchronous/Messages) only",
        ),
        (
            v4_pact("crm", v4_message("xml", "<a/>", contentType="application/xml")),
            "the pact {path}: interaction 'xml' of crm has application/xml contents; "
            "thrillpots diff reads JSON messages only",
        ),
        (
            v4_pact("crm", v4_message("zipped", "x", encoded="gzip")),
            "the pact {path}, interactions[0] ('zipped'): unknown contents encoding 'gzip' "
            "(a pact writes false, 'base64' or 'JSON')",
        ),
        (
            v4_pact("crm", v4_message("bad base64", "not base64!", encoded="base64")),
            "the pact {path}, interactions[0] ('bad base64'): its contents are marked base64 but are not base64",
        ),
        (
            v4_pact("crm", v4_message("bad json", "{not json", encoded="JSON")),
            "the pact {path}, interactions[0] ('bad json'): its contents are marked JSON but are not: Expecting",
        ),
        (
            v4_pact("crm", v4_message("who", {"player_id": "p"}, event_type=None)),
            "the pact {path}: interaction 'who' of crm has no event_type in its metadata, and cannot identify the "
            "event type: no event type has all of its fields here (closest: ",
        ),
        (
            v4_pact("crm", {**v4_message("rules", {}), "matchingRules": {"body": ["$.a"]}}),
            "the pact {path}, interactions[0] ('rules'): matchingRules.body must be an object, not an array",
        ),
        (
            v4_pact("crm", v4_message("filter", {}, {"$.pots[?(@.id)]": 1})),
            "the pact {path}, interactions[0] ('filter'): cannot read the matching rule path '$.pots[?(@.id)]'",
        ),
        ("[" * 300 + "]" * 300, "the pact {path} nests arrays and objects more than 256 levels deep"),
        ("[" * 5000 + "]" * 5000, "the pact {path} nests arrays and objects more than 256 levels deep"),
    ],
)
def test_a_pact_that_cannot_be_understood_is_an_error(tmp_path: Path, document: Any, message: str) -> None:
    """Never a consumer that reads nothing: an interaction skipped is a change passed unread."""
    path = write(tmp_path, "crm-thrillpots.json", document)
    with pytest.raises(ContractSourceError) as error:
        read_pacts(path)
    assert str(error.value).startswith(message.format(path=path))


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (["missing.json"], "missing.json: neither a pact file nor a directory of pact files"),
        (["empty"], "empty: no pact files (*.json) in it"),
        ([], "no pacts to read: name pact files, directories or URLs, or a Pact Broker"),
    ],
)
def test_a_source_that_holds_no_pact_is_an_error(tmp_path: Path, sources: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ContractSourceError) as error:
        read_pacts(sources, cwd=tmp_path)
    assert str(error.value) == message


def test_pacts_with_only_other_providers_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "crm-payments.json", v4_pact("crm", v4_message("y", {"a": 1}), provider="payments"))
    with pytest.raises(ContractSourceError) as error:
        read_pacts(path)
    assert str(error.value) == (
        "no pact is with the provider 'thrillpots' (the pacts read are with 'payments'): "
        "name the provider the consumers' pacts are with (--provider, provider=...)"
    )
    assert read_pacts(path, provider="payments").consumers == ("crm",)


# --- URLs and the broker -----------------------------------------------------------------------


class FakeWeb:
    """``urllib.request.urlopen`` answering canned JSON documents, recording each request."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, responses: dict[str, Any]) -> None:
        self.responses = responses
        self.requests: list[urllib.request.Request] = []
        monkeypatch.setattr(urllib.request, "urlopen", self.urlopen)

    def urlopen(self, request: urllib.request.Request, timeout: float) -> io.BytesIO:
        self.requests.append(request)
        answer = self.responses.get(request.full_url)
        if answer is None:
            raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)  # type: ignore[arg-type]
        return io.BytesIO(json.dumps(answer).encode())


BROKER = "https://broker.example"
FOR_VERIFICATION = f"{BROKER}/pacts/provider/thrillpots/for-verification"


def test_pacts_from_a_url_and_from_the_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    link = f"{BROKER}/pacts/provider/thrillpots/consumer/crm/version/1"
    web = FakeWeb(
        monkeypatch,
        {
            FOR_VERIFICATION: {"_embedded": {"pacts": [{"_links": {"self": {"href": link}}}]}},
            link: v4_pact("crm", v4_message("from the broker", {"player_id": "p"})),
            "https://pacts.example/lobby.json": v4_pact("lobby", v4_message("from a url", {"opted_in": True})),
        },
    )
    found = read_pacts("https://pacts.example/lobby.json", broker=PactBroker(url=BROKER, token="s3cret"))
    assert [(i.consumer, i.description) for i in found.interactions] == [
        ("lobby", "from a url"),
        ("crm", "from the broker"),
    ]
    assert found.sources == ("https://pacts.example/lobby.json", f"the Pact Broker at {BROKER}")
    sent = [(r.get_method(), r.full_url, r.get_header("Authorization")) for r in web.requests]
    assert sent == [
        ("GET", "https://pacts.example/lobby.json", None),  # the broker's token goes to the broker only
        ("POST", FOR_VERIFICATION, "Bearer s3cret"),
        ("GET", link, "Bearer s3cret"),
    ]
    assert json.loads(web.requests[1].data or b"")["consumerVersionSelectors"] == [
        {"mainBranch": True},
        {"deployedOrReleased": True},
    ]


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ({}, f"cannot read the pacts for verification from {FOR_VERIFICATION}: HTTP 404 Not Found"),
        (
            {FOR_VERIFICATION: {"pacts": []}},
            f"the pacts for verification from {FOR_VERIFICATION} are not the broker's HAL document "
            "(_embedded.pacts[*]._links.self.href)",
        ),
        (
            {FOR_VERIFICATION: {"_embedded": {"pacts": [{"_links": {"self": {"href": f"{BROKER}/gone"}}}]}}},
            f"cannot fetch the pact {BROKER}/gone: HTTP 404 Not Found; check the URL",
        ),
        (
            {FOR_VERIFICATION: {"_embedded": {"pacts": []}}},
            f"no pact for the provider 'thrillpots' in the Pact Broker at {BROKER}: check the provider name "
            "(--provider, provider=...) and the broker's consumer version selectors",
        ),
    ],
)
def test_a_broker_that_cannot_be_read_is_an_error_not_a_warning(
    monkeypatch: pytest.MonkeyPatch, responses: dict[str, Any], message: str
) -> None:
    """verify_pacts can fall back when the broker is unreadable (the verifier fetches the pacts
    itself); the diff cannot: a pact it did not read is a consumer whose reads it would pass."""
    FakeWeb(monkeypatch, responses)
    with pytest.raises(ContractSourceError) as error:
        read_pacts(broker={"url": BROKER})
    assert str(error.value).startswith(message)


def test_the_broker_needs_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PACT_BROKER_BASE_URL", raising=False)
    with pytest.raises(ContractSourceError, match=r"^no Pact Broker URL: set PACT_BROKER_BASE_URL"):
        read_pacts(broker=True)


def test_a_url_that_cannot_be_fetched_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeWeb(monkeypatch, {})
    with pytest.raises(ContractSourceError) as error:
        read_pacts("https://pacts.example/crm.json")
    assert str(error.value) == (
        "cannot fetch the pact https://pacts.example/crm.json: HTTP 404 Not Found; check the URL, and the "
        "credentials (PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD) when it needs them"
    )


def test_v2_flat_matching_rules_are_reads_too(tmp_path: Path) -> None:
    """pact-jvm and old pact-js write ``$.body.<path>`` rules: they are reads like V3's."""
    pact = v4_pact("crm", {**v4_message("rules", {}), "matchingRules": {"$.body.player_id": {"match": "type"}}})
    ((_, _, _, reads),) = reads_of(tmp_path, pact)
    assert "player_id" in reads

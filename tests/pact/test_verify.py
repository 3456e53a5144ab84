"""verify_pacts: the producer's real code against every pact, with readable failures."""

from __future__ import annotations

import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pytest_thrillpots import (
    PactBroker,
    PactVerificationError,
    PublishResults,
    UnknownEventTypeError,
    verify_pacts,
)
from pytest_thrillpots.pact import ConsumerPact
from pytest_thrillpots.pact._broker import Remote, broker_pacts

PAYOUT = {"player_id": "p-2", "brand_id": "brand-7", "currency": "EUR", "win_amount": 12.5}


def _win(**changes: Any) -> dict[str, Any]:
    event = {"player_id": "p-1", "brand_id": "brand-7", "community_winners": [dict(PAYOUT)], "metadata": None}
    event.update(changes)
    return event


@pytest.fixture
def pacts(tmp_path: Path) -> Path:
    """A wallet pact: a win with brand and community winners read, given a parametrised state."""
    wallet = ConsumerPact("wallet")
    wallet.expects(
        "WinEvent",
        "a progressive jackpot win",
        given={"a progressive jackpot win": {"pot": "mega"}},
        fields=["player_id", "community_winners[*].win_amount", "community_winners[*].currency"],
        brand_id="brand-7",
    )
    wallet.verify(lambda event: None)
    crm = ConsumerPact("crm", recorder=wallet.recorder)
    crm.expects("OptInEvent", "an opt-in", given="a player opted in", fields=["opted_in"])
    crm.verify(lambda event: None)
    wallet.recorder.write(tmp_path)
    return tmp_path


def _opt_in(description: str, states: dict[str, Any]) -> dict[str, Any]:
    return {"opted_in": True, "player_id": "p-1"}


def test_a_producer_honouring_every_pact_passes(pacts: Path) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        seen.append((description, states))
        return _win()

    result = verify_pacts({"WinEvent": win, "OptInEvent": _opt_in}, sources=pacts)
    assert result.consumers == ["crm", "wallet"]
    assert [(i.consumer, i.description, i.passed) for i in result.interactions] == [
        ("crm", "an opt-in", True),
        ("wallet", "a progressive jackpot win", True),
    ]
    # the state's name and parameters reach the producer; the description is the consumer's
    assert seen == [("a progressive jackpot win", {"a progressive jackpot win": {"pot": "mega"}})]


def test_a_failure_names_consumer_description_path_expected_and_actual(pacts: Path) -> None:
    def win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        return _win(brand_id="brand-1", player_id=None, community_winners=[{"currency": "EUR", "win_amount": "12.50"}])

    with pytest.raises(AssertionError) as failure:
        verify_pacts({"WinEvent": win, "OptInEvent": _opt_in}, sources=pacts)
    assert str(failure.value) == "\n".join(
        [
            "Pact verification of thrillpots failed: 1 of 2 interactions",
            "",
            "wallet: 'a progressive jackpot win' (given a progressive jackpot win)",
            '  brand_id: expected the pinned value "brand-7", got string "brand-1" [enum]',
            '  community_winners[0].win_amount: expected number, got string "12.50" [type]',
            "  player_id: expected string, got null [null]",
        ]
    )


def test_a_missing_field_is_named_with_its_path(pacts: Path) -> None:
    def win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        return _win(community_winners=[{"currency": "EUR"}, {"currency": "EUR", "win_amount": 1}])

    with pytest.raises(
        AssertionError,
        match=r"\n  community_winners\[0\]\.win_amount: expected number, but the field is missing \[missing\]$",
    ):
        verify_pacts({"WinEvent": win, "OptInEvent": _opt_in}, sources=pacts)


def test_a_pin_holds_for_every_item_of_an_array_and_inside_metadata(tmp_path: Path) -> None:
    wallet = ConsumerPact("wallet")
    wallet.expects(
        "WinEvent",
        "a euro win",
        fields=["player_id"],
        community_winners__0__currency="EUR",
        metadata__campaign="spring",
    )
    wallet.verify(lambda event: None)
    wallet.recorder.write(tmp_path)
    winners = [dict(PAYOUT), {**PAYOUT, "currency": "GBP"}]
    with pytest.raises(AssertionError) as failure:
        verify_pacts(
            {"WinEvent": lambda d, s: _win(community_winners=winners, metadata={"campaign": "autumn"})},
            sources=tmp_path,
        )
    assert str(failure.value).splitlines()[2:] == [
        "wallet: 'a euro win'",
        '  community_winners[1].currency: expected the pinned value "EUR", got string "GBP" [enum]',
        '  metadata.campaign: expected the pinned value "spring", got string "autumn" [enum]',
    ]
    # other keys of metadata stay free
    verify_pacts({"WinEvent": lambda d, s: _win(metadata={"campaign": "spring", "device": "ios"})}, sources=tmp_path)


def test_a_producer_ignoring_the_null_form_of_a_nullable_object_is_told_so(tmp_path: Path) -> None:
    wallet = ConsumerPact("wallet")
    wallet.expects("WinEvent", "a win", fields=["player_id", "metadata"])
    wallet.verify(lambda event: None)
    wallet.recorder.write(tmp_path)
    with pytest.raises(AssertionError) as failure:
        verify_pacts({"WinEvent": lambda d, s: _win(metadata={"campaign": "spring"})}, sources=tmp_path)
    assert str(failure.value).splitlines()[2:] == [
        "wallet: 'a win (metadata null)' (given metadata is null)",
        "  metadata: expected null, got object [type]",
    ]


def test_a_producer_that_raises_shows_its_own_traceback(pacts: Path) -> None:
    def build_the_win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        raise LookupError("no jackpot 'mega' in the catalogue")

    with pytest.raises(AssertionError) as failure:
        verify_pacts({"WinEvent": build_the_win, "OptInEvent": _opt_in}, sources=pacts)
    message = str(failure.value)
    assert (
        "wallet: 'a progressive jackpot win' (given a progressive jackpot win)\n  the WinEvent producer raised:\n"
        in message
    )
    assert "in build_the_win\n" in message
    assert message.endswith("LookupError: no jackpot 'mega' in the catalogue")


def test_a_failing_state_handler_fails_at_once_naming_the_state(pacts: Path) -> None:
    calls: list[dict[str, Any]] = []

    def broken_catalogue(params: dict[str, Any]) -> None:
        calls.append(params)
        raise ConnectionError("catalogue database is down")

    with pytest.raises(AssertionError) as failure:
        verify_pacts(
            {"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in},
            sources=pacts,
            states={"a progressive jackpot win": broken_catalogue},
        )
    # Called once: the verifier retries a failed state change for about two minutes, and it never
    # gets to because the server answers it with success and reports the failure itself.
    assert calls == [{"pot": "mega"}]
    message = str(failure.value)
    assert '\n  the handler of provider state \'a progressive jackpot win\' {"pot":"mega"} raised:\n' in message
    assert message.endswith("ConnectionError: catalogue database is down")


def test_a_state_handler_sets_up_and_tears_down_around_the_message(pacts: Path) -> None:
    catalogue: dict[str, str] = {}
    log: list[str] = []

    def a_jackpot(params: dict[str, Any]) -> Iterator[None]:
        catalogue["jackpot"] = params["pot"]
        yield
        log.append(f"teardown {catalogue.pop('jackpot')}")

    def win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        log.append(f"built with {catalogue['jackpot']}")
        return _win()

    verify_pacts(
        {"WinEvent": win, "OptInEvent": _opt_in}, sources=pacts, states={"a progressive jackpot win": a_jackpot}
    )
    assert log == ["built with mega", "teardown mega"] and not catalogue


def test_a_state_handler_may_take_pact_pythons_action_form_or_no_parameters(pacts: Path) -> None:
    log: list[str] = []

    def a_jackpot(action: str, params: dict[str, Any]) -> None:
        log.append(f"{action} {params['pot']}")

    def a_player() -> None:
        log.append("player")

    def win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        log.append("built")
        return _win()

    verify_pacts(
        {"WinEvent": win, "OptInEvent": _opt_in},
        sources=pacts,
        states={"a progressive jackpot win": a_jackpot, "a player opted in": a_player},
    )
    assert log == ["player", "setup mega", "built", "teardown mega"]


def _rewrite_pacts(directory: Path, change: Any) -> None:
    """Edit each interaction of the pacts in ``directory`` in place, as another tool might have written it."""
    for path in directory.glob("*.json"):
        pact = json.loads(path.read_text())
        for interaction in pact["interactions"]:
            change(interaction)
        path.write_text(json.dumps(pact))


def _as_earlier_versions_wrote_it(interaction: dict[str, Any]) -> None:
    interaction["description"] = f"{interaction['metadata'].pop('event_type')}: {interaction['description']}"


def _without_event_type(interaction: dict[str, Any]) -> None:
    del interaction["metadata"]["event_type"]


def test_a_pact_of_an_earlier_version_is_routed_by_the_event_type_leading_its_descriptions(pacts: Path) -> None:
    _rewrite_pacts(pacts, _as_earlier_versions_wrote_it)
    seen: list[str] = []

    def win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        seen.append(description)
        return _win()

    result = verify_pacts({"WinEvent": win, "OptInEvent": _opt_in}, sources=sorted(pacts.glob("*.json")))
    assert [(i.description, i.passed) for i in result.interactions] == [
        ("OptInEvent: an opt-in", True),
        ("WinEvent: a progressive jackpot win", True),
    ]
    assert seen == ["a progressive jackpot win"]  # the consumer's words, without the event type


def test_a_pact_without_event_types_goes_to_the_producers_only_event_type(pacts: Path) -> None:
    _rewrite_pacts(pacts, _without_event_type)
    crm = pacts / "crm-thrillpots.json"
    seen: list[str] = []

    def opt_in(description: str, states: dict[str, Any]) -> dict[str, Any]:
        seen.append(description)
        return _opt_in(description, states)

    assert verify_pacts({"OptInEvent": opt_in}, sources=crm).consumers == ["crm"]
    assert seen == ["an opt-in"]


def test_a_message_without_an_event_type_fails_at_once_saying_how_to_fix_it(pacts: Path) -> None:
    _rewrite_pacts(pacts, _without_event_type)
    built: list[str] = []

    def win(description: str, states: dict[str, Any]) -> dict[str, Any]:
        built.append(description)
        return _win()

    with pytest.raises(AssertionError) as failure:
        verify_pacts({"WinEvent": win, "OptInEvent": _opt_in}, sources=pacts)
    assert built == []  # no producer is guessed at for a message that does not say what it is
    assert str(failure.value).startswith(
        "Pact verification of thrillpots failed: 2 of 2 interactions\n"
        "\n"
        "crm: 'an opt-in' (given a player opted in)\n"
        "  cannot tell the event type of 'an opt-in': its pact has no 'event_type' in the message metadata, and "
        "producer= builds 2 event types (WinEvent, OptInEvent)\n"
        "    fix: the consumer writes its pact with thrillpots_pact.expects(), which records the event type (or adds "
        '{"event_type": "<EventType>"} to the message metadata), or verify that pact in a verify_pacts() call of its '
        "own whose producer= builds only its event type\n"
    )


def test_a_description_two_event_types_share_cannot_be_routed(pacts: Path) -> None:
    crm = ConsumerPact("crm")
    crm.expects("OptInEvent", "a progressive jackpot win", fields=["opted_in"])
    crm.verify(lambda event: None)
    crm.recorder.write(pacts)
    with pytest.raises(AssertionError) as failure:
        verify_pacts({"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in}, sources=pacts)
    assert (
        "  cannot tell the event type of 'a progressive jackpot win': the pacts use that description for more than "
        "one event type (OptInEvent for crm; WinEvent for wallet) and the verifier sends only the description; "
        "one consumer renames it"
    ) in str(failure.value)


class _PactServer(ThreadingHTTPServer):
    """Serves pact files over HTTP to whoever sends the bearer token: a pact published at a URL."""

    def __init__(self, directory: Path, token: str) -> None:
        directory_, token_ = directory, token

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = directory_ / self.path.lstrip("/")
                if self.headers.get("Authorization") != f"Bearer {token_}":
                    self.send_response(401)
                    self.end_headers()
                elif not path.is_file():
                    self.send_response(404)
                    self.end_headers()
                else:
                    body = path.read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

        super().__init__(("127.0.0.1", 0), Handler)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"


@pytest.fixture
def pact_server(pacts: Path) -> Iterator[_PactServer]:
    with _PactServer(pacts, "s3cret") as server:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        thread.start()
        yield server
        server.shutdown()
        thread.join()


def test_a_pact_from_a_url_is_routed_by_its_metadata(pact_server: _PactServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACT_BROKER_TOKEN", "s3cret")
    monkeypatch.setenv("PACT_BROKER_BASE_URL", pact_server.url(""))
    result = verify_pacts(
        {"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in},
        sources=[pact_server.url("crm-thrillpots.json"), pact_server.url("wallet-thrillpots.json")],
    )
    assert [(i.consumer, i.description, i.passed) for i in result.interactions] == [
        ("crm", "an opt-in", True),
        ("wallet", "a progressive jackpot win", True),
    ]


@pytest.mark.parametrize(
    ("name", "token", "reason"),
    [
        ("nobody-thrillpots.json", "s3cret", "HTTP 404 Not Found"),
        ("crm-thrillpots.json", "wrong", "HTTP 401 Unauthorized (check the credentials)"),
    ],
)
def test_a_pact_url_that_cannot_be_fetched_is_named(
    pact_server: _PactServer, monkeypatch: pytest.MonkeyPatch, name: str, token: str, reason: str
) -> None:
    url = pact_server.url(name)
    with pytest.raises(PactVerificationError) as error:
        verify_pacts({"OptInEvent": _opt_in}, sources=url, broker={"url": pact_server.url(""), "token": token})
    assert str(error.value).startswith(f"cannot fetch the pact {url}: {reason}. verify_pacts reads each pact ")


def test_an_event_type_without_a_producer_fails_its_interactions(pacts: Path) -> None:
    with pytest.raises(AssertionError) as failure:
        verify_pacts({"WinEvent": lambda d, s: _win()}, sources=pacts)
    assert str(failure.value).endswith(
        "crm: 'an opt-in' (given a player opted in)\n"
        "  no producer for OptInEvent: add 'OptInEvent': <function building it> to verify_pacts(producer=...) "
        "(it has: WinEvent)"
    )


def test_a_producer_returning_no_dict_is_named(pacts: Path) -> None:
    with pytest.raises(AssertionError, match=r"  the OptInEvent producer returned list, not the event as a dict$"):
        verify_pacts({"WinEvent": lambda d, s: _win(), "OptInEvent": lambda d, s: []}, sources=pacts)


def test_a_misspelt_event_type_is_refused_before_verifying(pacts: Path) -> None:
    with pytest.raises(UnknownEventTypeError, match=r"unknown event type 'WinEvnt'.* Did you mean 'WinEvent'"):
        verify_pacts({"WinEvnt": lambda d, s: _win()}, sources=pacts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sources": "empty"}, "no pact files in {tmp}/empty/: run the consumers' tests first"),
        (
            {"sources": "nowhere.json"},
            "pact source '{tmp}/nowhere.json' is neither a pact file nor a directory of pact files",
        ),
        (
            {"sources": ".", "publish": PublishResults("abc123")},
            "publish= sends verification results to a Pact Broker: give broker=PactBroker(...) too",
        ),
        (
            {"broker": PactBroker(url=None)},
            "no Pact Broker URL: set PACT_BROKER_BASE_URL or pass PactBroker(url='https://...')",
        ),
    ],
)
def test_a_verification_that_cannot_run_says_why(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    (tmp_path / "empty").mkdir()
    if isinstance(kwargs.get("sources"), str):
        kwargs["sources"] = str(tmp_path / kwargs["sources"])
    with pytest.raises(PactVerificationError) as error:
        verify_pacts({"WinEvent": lambda d, s: _win()}, **kwargs)
    assert str(error.value).startswith(message.format(tmp=tmp_path))


def test_credentials_written_in_a_pact_url_win_over_the_brokers() -> None:
    remote = Remote.of("https://ci:p%40ss@pacts.example/crm.json", PactBroker(url=None, token="s3cret"))
    assert remote.url == "https://pacts.example/crm.json"
    assert remote.headers == {"Authorization": "Basic Y2k6cEBzcw=="}  # ci:p@ss
    assert remote.verifier_auth == {}  # pact-python reads them from the URL itself
    remote = Remote.of(
        "https://pacts.example/crm.json",
        PactBroker(url="https://pacts.example", token=None, username="ci", password="pw"),
    )
    assert remote.verifier_auth == {"username": "ci", "password": "pw"}


@pytest.mark.parametrize(
    "broker_url", [None, "https://broker.example", "http://pacts.example", "https://pacts.example:8443"]
)
def test_the_brokers_credentials_never_go_to_another_host(broker_url: str | None) -> None:
    remote = Remote.of("https://pacts.example/crm.json", PactBroker(url=broker_url, token="s3cret"))
    assert (remote.headers, remote.verifier_auth) == ({}, {})


class _FakeBroker:
    """``urllib.request.urlopen`` answering with canned HAL documents, recording each request."""

    BASE = "https://broker.example"
    FOR_VERIFICATION = f"{BASE}/pacts/provider/thrillpots/for-verification"

    def __init__(self, monkeypatch: pytest.MonkeyPatch, pacts: dict[str, Any] | None = None) -> None:
        self.requests: list[urllib.request.Request] = []
        self.responses: dict[str, Any] = {}
        if pacts is not None:
            links = [f"{self.BASE}/pacts/provider/thrillpots/consumer/{name}/version/1" for name in pacts]
            self.responses[self.FOR_VERIFICATION] = {
                "_embedded": {"pacts": [{"_links": {"self": {"href": link}}} for link in links]}
            }
            self.responses.update(zip(links, pacts.values(), strict=True))
        monkeypatch.setattr(urllib.request, "urlopen", self.urlopen)

    def urlopen(self, request: urllib.request.Request, timeout: float) -> io.BytesIO:
        self.requests.append(request)
        answer = self.responses.get(request.full_url)
        if answer is None:
            raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)  # type: ignore[arg-type]
        if isinstance(answer, Exception):
            raise answer
        return io.BytesIO(json.dumps(answer).encode())

    def sent(self) -> list[tuple[str, str, dict[str, str], Any]]:
        return [
            (
                r.get_method(),
                r.full_url,
                {k: v for k, v in r.header_items() if k in ("Authorization", "Content-type")},
                json.loads(r.data) if isinstance(r.data, bytes) else None,
            )
            for r in self.requests
        ]


def _documents(directory: Path) -> dict[str, Any]:
    return {path.stem.split("-")[0]: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}


def test_broker_pacts_are_read_from_the_pacts_for_verification(pacts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broker = _FakeBroker(monkeypatch, _documents(pacts))
    found = broker_pacts(
        PactBroker(
            url="https://broker.example/",
            token="s3cret",
            selectors=[{"main_branch": True}, {"branch": "feat-x", "consumer": "crm", "fallback_branch": None}],
            include_wip_since=date(2026, 1, 15),
            provider_tags=["prod"],
        ),
        "thrillpots",
        provider_branch="main",
    )
    assert [pact["consumer"]["name"] for pact in found] == ["crm", "wallet"]  # type: ignore[index]
    auth = {"Authorization": "Bearer s3cret"}
    assert broker.sent() == [
        (
            "POST",
            _FakeBroker.FOR_VERIFICATION,
            {**auth, "Content-type": "application/json"},
            {
                "consumerVersionSelectors": [{"mainBranch": True}, {"branch": "feat-x", "consumer": "crm"}],
                "includePendingStatus": True,
                "includeWipPactsSince": "2026-01-15",
                "providerVersionBranch": "main",
                "providerVersionTags": ["prod"],
            },
        ),
        ("GET", f"{_FakeBroker.BASE}/pacts/provider/thrillpots/consumer/crm/version/1", auth, None),
        ("GET", f"{_FakeBroker.BASE}/pacts/provider/thrillpots/consumer/wallet/version/1", auth, None),
    ]


def test_the_broker_is_read_with_basic_auth_and_the_provider_branch_set(monkeypatch: pytest.MonkeyPatch) -> None:
    broker = _FakeBroker(monkeypatch, {})
    settings = PactBroker(url=_FakeBroker.BASE, token=None, username="ci", password="pw", provider_branch="dev")
    assert broker_pacts(settings, "thrillpots", provider_branch="main") == []
    ((method, _, headers, body),) = broker.sent()
    assert method == "POST"
    assert headers["Authorization"] == "Basic Y2k6cHc="  # ci:pw
    assert body["providerVersionBranch"] == "dev" and "includeWipPactsSince" not in body


def test_messages_of_broker_pacts_are_routed_by_their_metadata(pacts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The verifier fetches the broker's pacts itself (spied here: a local copy stands in for them,
    # without event types); verify_pacts read the same pacts from the broker up front.
    _FakeBroker(monkeypatch, _documents(pacts))
    _FfiSpy(monkeypatch)
    _rewrite_pacts(pacts, _without_event_type)
    result = verify_pacts(
        {"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in}, sources=pacts, broker={"url": _FakeBroker.BASE}
    )
    assert all(i.passed for i in result.interactions) and len(result.interactions) == 2


@pytest.mark.parametrize(
    ("responses", "warning"),
    [
        ({}, "cannot read the pacts for verification from {url}: HTTP 404 Not Found; their messages are routed by"),
        (
            {"{url}": urllib.error.URLError("Name or service not known")},
            "cannot read the pacts for verification from {url}: Name or service not known; their messages",
        ),
        ({"{url}": {"pacts": []}}, "the pacts for verification from {url} are not the broker's HAL document"),
        (
            {"{url}": {"_embedded": {"pacts": [{"_links": {"self": {"href": "https://broker.example/p/1"}}}]}}},
            "cannot read the pact https://broker.example/p/1 from the broker: HTTP 404 Not Found; their messages",
        ),
    ],
)
def test_a_broker_that_cannot_be_read_up_front_falls_back_with_a_warning(
    pacts: Path, monkeypatch: pytest.MonkeyPatch, responses: dict[str, Any], warning: str
) -> None:
    broker = _FakeBroker(monkeypatch)
    url = _FakeBroker.FOR_VERIFICATION
    broker.responses = {key.format(url=url): value for key, value in responses.items()}
    _FfiSpy(monkeypatch)
    _rewrite_pacts(pacts, _as_earlier_versions_wrote_it)  # the fallback routes these
    with pytest.warns(UserWarning) as caught:
        result = verify_pacts(
            {"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in}, sources=pacts, broker={"url": _FakeBroker.BASE}
        )
    assert all(i.passed for i in result.interactions)
    assert [str(w.message) for w in caught if str(w.message).startswith(warning.format(url=url))], [
        str(w.message) for w in caught
    ]


class _FfiSpy:
    """Records the calls pact-python makes into the Pact core for the broker and publishing."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import pact.verifier

        self.calls: dict[str, tuple[Any, ...]] = {}
        for name in ("verifier_broker_source_with_selectors", "verifier_set_publish_options"):
            monkeypatch.setattr(pact.verifier.pact_ffi, name, self._recorder(name))

    def _recorder(self, name: str) -> Any:
        def record(*args: Any) -> None:
            self.calls[name] = args[1:]  # without the verifier handle

        return record


def test_broker_and_publish_settings_reach_pact_python(pacts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _FakeBroker(monkeypatch, {})
    spy = _FfiSpy(monkeypatch)
    verify_pacts(
        {"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in},
        sources=pacts,
        broker=PactBroker(
            url="https://broker.example",
            token="s3cret",
            selectors=[{"main_branch": True}, {"deployed_or_released": True}, {"branch": "feat-x", "consumer": "crm"}],
            include_wip_since="2026-01-15",
            provider_branch="main",
        ),
        publish=PublishResults("abc123", branch="main", build_url="https://ci.example/1", tags=["prod"]),
    )
    assert spy.calls["verifier_broker_source_with_selectors"] == (
        "https://broker.example",
        None,
        None,
        "s3cret",
        True,
        date(2026, 1, 15),
        [],
        "main",
        ['{"mainBranch": true}', '{"deployedOrReleased": true}', '{"consumer": "crm", "branch": "feat-x"}'],
        [],
    )
    assert spy.calls["verifier_set_publish_options"] == ("abc123", "https://ci.example/1", ["prod"], "main")


def test_broker_and_publish_settings_may_be_dicts_or_the_environment(
    pacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACT_BROKER_BASE_URL", "https://env-broker.example")
    monkeypatch.setenv("PACT_BROKER_TOKEN", "env-token")
    broker = _FakeBroker(monkeypatch, {})
    broker.responses["https://env-broker.example/pacts/provider/thrillpots/for-verification"] = {
        "_embedded": {"pacts": []}
    }
    spy = _FfiSpy(monkeypatch)
    producer = {"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in}
    verify_pacts(producer, sources=pacts, broker=True, publish={"version": "abc123", "branch": "main"})
    assert spy.calls["verifier_broker_source_with_selectors"][:4] == (
        "https://env-broker.example",
        None,
        None,
        "env-token",
    )
    assert spy.calls["verifier_set_publish_options"] == ("abc123", None, [], "main")
    verify_pacts(producer, sources=pacts, broker={"url": "https://broker.example", "include_pending": False})
    assert spy.calls["verifier_broker_source_with_selectors"][:5] == (
        "https://broker.example",
        None,
        None,
        "env-token",
        False,
    )
    assert [(method, url, headers["Authorization"]) for method, url, headers, _ in broker.sent()] == [
        ("POST", "https://env-broker.example/pacts/provider/thrillpots/for-verification", "Bearer env-token"),
        ("POST", "https://broker.example/pacts/provider/thrillpots/for-verification", "Bearer env-token"),
    ]


def test_a_misspelt_broker_setting_is_refused() -> None:
    with pytest.raises(TypeError) as error:
        verify_pacts({"WinEvent": lambda d, s: _win()}, broker={"url": "https://broker.example", "pending": True})
    assert str(error.value).startswith("broker= has no setting 'pending'. Did you mean 'include_pending'?")


def test_the_broker_settings_default_to_the_standard_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACT_BROKER_BASE_URL", "https://broker.example")
    monkeypatch.setenv("PACT_BROKER_USERNAME", "ci")
    monkeypatch.setenv("PACT_BROKER_PASSWORD", "pw")
    monkeypatch.delenv("PACT_BROKER_TOKEN", raising=False)
    broker = PactBroker()
    assert (broker.url, broker.username, broker.password, broker.token) == ("https://broker.example", "ci", "pw", None)
    assert broker.include_pending and broker.include_wip_since is None
    assert "pw" not in repr(broker)


def test_the_sources_default_to_the_session_pact_directory(pytester: pytest.Pytester, pacts: Path) -> None:
    pytester.makepyfile(
        test_provider="""
        from pytest_thrillpots import verify_pacts

        def test_verify():
            result = verify_pacts({
                "WinEvent": lambda description, states: {
                    "player_id": "p", "brand_id": "brand-7",
                    "community_winners": [{"currency": "EUR", "win_amount": 1}],
                },
                "OptInEvent": lambda description, states: {"opted_in": False},
            })
            assert result.consumers == ["crm", "wallet"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", f"--thrillpots-pact-dir={pacts}")
    result.assert_outcomes(passed=1)


PACTJS = Path(__file__).parent / "pactjs" / "pacts"


def _reference() -> Any:
    from .._pact_support import reference_producer

    return reference_producer()


def test_the_reference_producer_honours_the_pact_js_pact(monkeypatch: pytest.MonkeyPatch) -> None:
    provider = _reference()
    result = verify_pacts(provider.PRODUCER, states=provider.STATES, sources=PACTJS / "pactjs_lobby-thrillpots.json")
    assert len(result.interactions) == 6 and all(i.passed for i in result.interactions)


def test_a_pact_js_pact_fails_in_the_pacts_own_words() -> None:
    provider = _reference()
    with pytest.raises(AssertionError) as failure:
        verify_pacts(provider.PRODUCER, states=provider.STATES, sources=PACTJS / "pactjs_reporting-thrillpots.json")
    assert str(failure.value) == "\n".join(
        [
            "Pact verification of thrillpots failed: 2 of 2 interactions",
            "",
            "pactjs_reporting: 'a jackpot update for the daily report' (given a running jackpot with pots)",
            '  jackpot_type: expected the pinned value "Lottery", got string "Jackpot" [enum]',
            "  pots[0].current_value: expected string, got number 1042.5 [type]",
            "  pots[1].current_value: expected string, got number 2042.5 [type]",
            '  status: expected date in the format yyyy-MM-dd, got string "running" [format]',
            "",
            "pactjs_reporting: 'an opt-in for the daily report' (given a player opted in)",
            '  instance_id: expected semantic version (1.2.3), got string "inst-42" [semver]',
            "  last_updated: expected date and time in the format yyyy-MM-dd'T'HH:mm:ss, got number 1772395200000 [format]",
            "  loyalty_tier: expected string, but the field is missing (OptInEvent has no such field: the pact asks "
            "for one the spec never promised) [missing]",
            '  opted_in: expected the pinned value "yes", got boolean true [enum]',
            '  player_brand_id: expected null, got string "brand-1" [type]',
            '  player_id: expected integer, got string "player-5" [type]',
            "  preferred_contribution_value: expected string, got number 0.5 [type]",
        ]
    )


def _matcher_pact(directory: Path, cases: list[tuple[str, Any, dict[str, Any]]]) -> None:
    """One V4 message interaction per case: the field ``v`` of a WinEvent with the case's example and matchers."""
    interactions = [
        {
            "type": "Asynchronous/Messages",
            "description": name,
            "contents": {"content": {"metadata": {"v": example}}, "contentType": "application/json", "encoded": False},
            "matchingRules": {"body": {f"$.metadata.v{suffix}": rule for suffix, rule in rules.items()}},
            "metadata": {"event_type": "WinEvent"},
            "providerStates": [],
        }
        for name, example, rules in cases
    ]
    document = {
        "consumer": {"name": "every_matcher"},
        "provider": {"name": "thrillpots"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    (directory / "every_matcher-thrillpots.json").write_text(json.dumps(document))


def _m(*matchers: dict[str, Any], combine: str = "AND") -> dict[str, Any]:
    return {"combine": combine, "matchers": list(matchers)}


# name, the pact's example and rules (by path below metadata.v), what the producer sends, the summary line
EVERY_MATCHER: list[tuple[str, Any, dict[str, Any], Any, str]] = [
    ("equality", "EUR", {"": _m({"match": "equality"})}, "GBP", 'metadata.v: expected the pinned value "EUR", got string "GBP" [enum]'),
    ("regex", "EUR", {"": _m({"match": "regex", "regex": "^[A-Z]{3}$"})}, "eur", 'metadata.v: expected string matching regex ^[A-Z]{3}$, got string "eur" [regex]'),
    ("type", "p-1", {"": _m({"match": "type"})}, 7, "metadata.v: expected string, got number 7 [type]"),
    ("type min", [1, 1], {"": _m({"match": "type", "min": 2})}, [1], "metadata.v: expected array with at least 2 items, got array of 1 item [type]"),
    ("type max", [1], {"": _m({"match": "type", "max": 1})}, [1, 2], "metadata.v: expected array with at most 1 item, got array of 2 items [type]"),
    ("number", 1, {"": _m({"match": "number"})}, "1", 'metadata.v: expected number, got string "1" [type]'),
    ("integer", 42, {"": _m({"match": "integer"})}, 2.5, "metadata.v: expected integer, got number 2.5 [type]"),
    ("decimal", 2.5, {"": _m({"match": "decimal"})}, 2, "metadata.v: expected decimal number, got number 2 [type]"),
    ("boolean", True, {"": _m({"match": "boolean"})}, 1, "metadata.v: expected boolean, got number 1 [type]"),
    ("date", "2026-03-01", {"": _m({"match": "date", "format": "yyyy-MM-dd"})}, "01/03/2026", 'metadata.v: expected date in the format yyyy-MM-dd, got string "01/03/2026" [format]'),
    ("time", "20:00", {"": _m({"match": "time", "format": "HH:mm"})}, "8pm", 'metadata.v: expected time in the format HH:mm, got string "8pm" [format]'),
    ("datetime", "2026-03-01T20:00:00", {"": _m({"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ss"})}, "soon", "metadata.v: expected date and time in the format yyyy-MM-dd'T'HH:mm:ss, got string \"soon\" [format]"),
    ("timestamp", "2026-03-01T20:00:00", {"": _m({"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss"})}, "soon", "metadata.v: expected date and time in the format yyyy-MM-dd'T'HH:mm:ss, got string \"soon\" [format]"),
    ("include", "run", {"": _m({"match": "include", "value": "run"})}, "stopped", 'metadata.v: expected string including "run", got string "stopped" [include]'),
    ("null", None, {"": _m({"match": "null"})}, 1, "metadata.v: expected null, got number 1 [type]"),
    ("contentType", '{"a": 1}', {"": _m({"match": "contentType", "value": "application/json"})}, "hello", 'metadata.v: expected string of content type application/json, got string "hello" [content_type]'),
    ("values", {"a": 1}, {"": _m({"match": "values"})}, {"z": 2}, "metadata.v.z: expected the pinned value 1 (every value of metadata.v), got number 2 [values]"),
    ("arrayContains", ["b7"], {"": _m({"match": "arrayContains", "variants": [{"index": 0, "rules": {}}]})}, ["b1"], 'metadata.v: expected an array holding one like "b7", got array of 1 item [array_contains]'),
    ("notEmpty", "x", {"": _m({"match": "notEmpty"})}, "", 'metadata.v: expected non-empty value, got string "" [not_empty]'),
    ("semver", "1.0.0", {"": _m({"match": "semver"})}, "v1", 'metadata.v: expected semantic version (1.2.3), got string "v1" [semver]'),
    ("eachKey", {"EUR": 1}, {"": _m({"match": "eachKey", "rules": [{"match": "regex", "regex": "^[A-Z]{3}$"}]})}, {"usd": 1}, 'metadata.v: expected every key to be string matching regex ^[A-Z]{3}$, got the key "usd" [each_key]'),
    ("eachValue", {"a": 1}, {"": _m({"match": "eachValue", "rules": [{"match": "number"}]})}, {"a": "x"}, 'metadata.v.a: expected number (every value of metadata.v), got string "x" [each_value]'),
    ("OR", 1, {"": _m({"match": "integer"}, {"match": "null"}, combine="OR")}, 1.5, "metadata.v: expected integer or null, got number 1.5 [type]"),
    ("no rule", "a", {}, "b", 'metadata.v: expected the pinned value "a", got string "b" [enum]'),
]  # fmt: skip


def test_every_matcher_kind_fails_saying_what_the_pact_expected_and_what_came(tmp_path: Path) -> None:
    _matcher_pact(tmp_path, [(name, example, rules) for name, example, rules, _, _ in EVERY_MATCHER])
    sent = {name: value for name, _, _, value, _ in EVERY_MATCHER}
    with pytest.raises(AssertionError) as failure:
        verify_pacts({"WinEvent": lambda description, states: {"metadata": {"v": sent[description]}}}, sources=tmp_path)
    blocks = str(failure.value).split("\n\n")[1:]
    lines = {block.splitlines()[0]: block.splitlines()[1:] for block in blocks}
    assert lines == {f"every_matcher: {name!r}": [f"  {line}"] for name, _, _, _, line in sorted(EVERY_MATCHER)}


def test_a_pact_file_that_cannot_be_read_fails_the_run_naming_it(pacts: Path) -> None:
    (pacts / "broken-thrillpots.json").write_text('{"consumer": {"name": "broken"}, "interactions": [')
    with pytest.raises(PactVerificationError) as error:
        verify_pacts({"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in}, sources=pacts)
    assert str(error.value) == (
        f"the pact file {pacts}/broken-thrillpots.json is not JSON: Expecting value: line 1 column 51 (char 50)"
    )


def test_a_json_file_that_is_not_a_pact_fails_the_run_naming_it(pacts: Path) -> None:
    (pacts / "notes.json").write_text('{"todo": []}')
    with pytest.raises(PactVerificationError) as error:
        verify_pacts({"WinEvent": lambda d, s: _win(), "OptInEvent": _opt_in}, sources=pacts)
    assert (
        str(error.value) == f'{pacts}/notes.json is not a pact: it names no consumer ({{"consumer": {{"name": ...}}}})'
    )

"""The provider side: ``verify_pacts`` runs the producer's real code against every pact at once.

One pact-python ``Verifier`` run covers all sources. The verifier asks a small HTTP server of
ours for each message (pact-python's own helper servers take half a second each to stop, and
retry a failing provider state for two minutes): the server runs the provider states' handlers
and the producer for the interaction's event type, and remembers what failed and what was sent,
so that a failed verification becomes an ``AssertionError`` naming, for each interaction, the
consumer, the description and each path with what was expected and what the producer sent.

The verifier sends only an interaction's description and provider states, so the event type of
each message is read from the pacts before the run: from the files and directories given, from
each URL (fetched once here), and from the broker's pacts for verification.
"""

from __future__ import annotations

import base64
import http.client
import inspect
import json
import os
import threading
import traceback
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Final, TypeVar

from pytest_thrillpots._assertions import _ABSENT, _dig, render_value, violation_lines
from pytest_thrillpots._errors import PactVerificationError, did_you_mean
from pytest_thrillpots.pact._consumer import DEFAULT_PROVIDER
from pytest_thrillpots.pact._interactions import CONTENT_TYPE, EVENT_TYPE_METADATA
from pytest_thrillpots.pact._library import pact_library
from pytest_thrillpots.spec import EVENT_TYPES, check_event_type, lookup
from pytest_thrillpots.spec._paths import PathPart, parse_human, to_human, to_pointer
from pytest_thrillpots.validation._validate import Rule, Violation, describe_value

MESSAGE_PATH: Final = "/_pact/message"
STATE_PATH: Final = "/_pact/state"
POLL_INTERVAL: Final = 0.01
"""Seconds: how soon the server notices it should stop (the stdlib default is half a second)."""
FETCH_TIMEOUT: Final = 30.0
"""Seconds to wait for a pact URL or the Pact Broker when reading the pacts' event types."""
LEGACY_SEPARATOR: Final = ": "
"""Earlier versions wrote ``"WinEvent: a progressive jackpot win"``; such pacts are still routed."""

Producer = Callable[[str, dict[str, dict[str, Any]]], Mapping[str, Any]]
"""``(description, provider_states) -> event``: builds the event with the producer's own code."""
StateHandler = Callable[..., object]
"""``(params) -> None``; a generator function's code after ``yield`` is the state's teardown.
pact-python's own form ``(action, params)`` is called with ``"setup"``, then ``"teardown"``; a
handler without parameters is called without them."""


@dataclass(frozen=True)
class PactBroker:
    """Where to fetch pacts from, and which ones (``broker=`` of ``verify_pacts``).

    Each credential defaults to its standard environment variable: ``PACT_BROKER_BASE_URL``,
    ``PACT_BROKER_TOKEN``, ``PACT_BROKER_USERNAME``, ``PACT_BROKER_PASSWORD``. ``selectors``
    are consumer version selectors, written as keyword arguments of pact-python's
    ``BrokerSelectorBuilder.consumer_version`` (``{"main_branch": True}``,
    ``{"deployed_or_released": True}``, ``{"branch": "feat-x", "consumer": "crm"}``).
    """

    url: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_BASE_URL"))
    token: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_TOKEN"), repr=False)
    username: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_USERNAME"))
    password: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_PASSWORD"), repr=False)
    selectors: Sequence[Mapping[str, Any]] = ({"main_branch": True}, {"deployed_or_released": True})
    include_pending: bool = True
    """Pending pacts (new expectations the provider has never passed) are verified, but their
    failures do not fail the build."""
    include_wip_since: date | str | None = None
    """Also verify work-in-progress pacts published since this date."""
    provider_branch: str | None = None
    provider_tags: Sequence[str] = ()

    def add_to(self, verifier: Any) -> None:
        if not self.url:
            raise PactVerificationError(
                "no Pact Broker URL: set PACT_BROKER_BASE_URL or pass PactBroker(url='https://...')"
            )
        if self.token:
            builder = verifier.broker_source(self.url, token=self.token, selector=True, use_env=False)
        else:
            builder = verifier.broker_source(
                self.url, username=self.username, password=self.password, selector=True, use_env=False
            )
        if self.include_pending:
            builder.include_pending()
        if self.include_wip_since is not None:
            builder.include_wip_since(self.include_wip_since)
        if self.provider_branch:
            builder.provider_branch(self.provider_branch)
        if self.provider_tags:
            builder.provider_tags(*self.provider_tags)
        for selector in self.selectors:
            builder.consumer_version(**selector)
        builder.build()

    def auth_headers(self) -> dict[str, str]:
        """The ``Authorization`` header for the broker's credentials (none without them)."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.username:
            pair = f"{self.username}:{self.password or ''}".encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}
        return {}

    def for_verification(self, provider_branch: str | None = None) -> dict[str, Any]:
        """The body of the broker's "pacts for verification" request, as the verifier sends it.

        ``provider_branch``: the branch being published, when this broker setting names none
        (pact-python falls back to it the same way).
        """
        body: dict[str, Any] = {
            "consumerVersionSelectors": [
                {_camel_case(key): value for key, value in selector.items() if value is not None}
                for selector in self.selectors
            ],
            "includePendingStatus": self.include_pending,
        }
        if self.include_wip_since is not None:
            since = self.include_wip_since
            body["includeWipPactsSince"] = since.isoformat() if isinstance(since, date) else str(since)
        branch = self.provider_branch or provider_branch
        if branch:
            body["providerVersionBranch"] = branch
        if self.provider_tags:
            body["providerVersionTags"] = list(self.provider_tags)
        return body


def _camel_case(name: str) -> str:
    """``deployed_or_released`` -> ``deployedOrReleased``: the broker's name of a selector key."""
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


@dataclass(frozen=True)
class PublishResults:
    """Publish the verification results to the broker (``publish=`` of ``verify_pacts``)."""

    version: str
    """The provider version: the commit SHA, as ``can-i-deploy`` will look it up."""
    branch: str | None = None
    build_url: str | None = None
    tags: Sequence[str] = ()

    def add_to(self, verifier: Any) -> None:
        verifier.set_publish_options(self.version, url=self.build_url, branch=self.branch, tags=list(self.tags))


@dataclass(frozen=True)
class InteractionResult:
    consumer: str
    description: str
    passed: bool
    pending: bool = False


@dataclass(frozen=True)
class VerificationResult:
    """What ``verify_pacts`` verified (returned when nothing failed that should fail the build)."""

    interactions: tuple[InteractionResult, ...]
    output: str
    """The verifier's own report, without colours."""
    pending_failures: str = ""
    """The report of failed pending interactions, which do not fail the build."""

    @property
    def consumers(self) -> list[str]:
        return sorted({i.consumer for i in self.interactions})


@dataclass
class _Sent:
    """What the producer side did for one message request."""

    event_type: str | None = None
    payload: Any = None
    failure: list[str] = field(default_factory=list)


_SentKey = tuple[str, tuple[str, ...]]
"""A message request: its description and the names of its provider states (two consumers may
share a description)."""
Routes = dict[str, dict[str, set[str]]]
"""description -> event type -> the consumers whose pacts give it that type."""


def legacy_description(description: str) -> tuple[str, str] | None:
    """``"WinEvent: a win"`` -> ``("WinEvent", "a win")``, as earlier versions wrote descriptions; else None."""
    event_type, separator, rest = description.partition(LEGACY_SEPARATOR)
    if separator and event_type in EVENT_TYPES:
        return event_type, rest
    return None


class _MessageServer(HTTPServer):
    """The verifier's provider: builds each requested message with the producer's code."""

    def __init__(self, producer: Mapping[str, Producer], states: Mapping[str, StateHandler]) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.producer = producer
        self.states = states
        self.sent: dict[_SentKey, _Sent] = {}
        self.routes: Routes = {}
        """description -> event type -> consumers, from the ``event_type`` metadata of the pacts."""
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, name="thrillpots-pact", daemon=True
        )

    def __enter__(self) -> _MessageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()
        self.thread.join()
        self.server_close()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def route(self, description: str) -> tuple[str, str] | list[str]:
        """The event type of a message and the description the producer is given, or why there is none.

        In order: the ``event_type`` metadata the pacts give that description; the event type
        leading it (``"WinEvent: a win"``, as earlier versions wrote it); the producer's only event
        type when it builds one.
        """
        legacy = legacy_description(description)
        candidates = self.routes.get(description, {})
        if len(candidates) == 1:
            (event_type,) = candidates
            if legacy is not None and legacy[0] == event_type:
                return legacy
            return event_type, description
        if legacy is not None:
            return legacy
        if len(candidates) > 1:
            users = "; ".join(f"{t} for {', '.join(sorted(c))}" for t, c in sorted(candidates.items()))
            return [
                f"cannot tell the event type of {description!r}: the pacts use that description for more than one "
                f"event type ({users}) and the verifier sends only the description; one consumer renames it"
            ]
        if len(self.producer) == 1:
            (event_type,) = self.producer
            return event_type, description
        return [
            f"cannot tell the event type of {description!r}: its pact has no {EVENT_TYPE_METADATA!r} in the message "
            f"metadata, and producer= builds {len(self.producer)} event types ({', '.join(self.producer)})",
            "  fix: the consumer writes its pact with thrillpots_pact.expects(), which records the event type (or adds "
            f'{{"{EVENT_TYPE_METADATA}": "<EventType>"}} to the message metadata), or verify that pact in a '
            "verify_pacts() call of its own whose producer= builds only its event type",
        ]

    def produce(self, description: str, provider_states: list[dict[str, Any]]) -> _Sent:
        sent = self.sent[description, tuple(str(s.get("name")) for s in provider_states)] = _Sent()
        routed = self.route(description)
        if isinstance(routed, list):
            sent.failure = routed
            return sent
        event_type, consumer_description = routed
        sent.event_type = event_type
        build = self.producer.get(event_type)
        if build is None:
            known = ", ".join(self.producer) or "none"
            sent.failure = [
                f"no producer for {event_type}: add {event_type!r}: <function building it> to "
                f"verify_pacts(producer=...) (it has: {known})"
            ]
            return sent
        states = {s["name"]: dict(s.get("params") or {}) for s in provider_states}
        teardowns: list[Iterator[object]] = []
        try:
            for name, params in states.items():
                handler = self.states.get(name)
                if handler is None:
                    continue
                try:
                    result = _run_state(handler, params)
                    if inspect.isgenerator(result):
                        next(result, None)
                        teardowns.append(result)
                except Exception as exc:
                    sent.failure = [
                        f"the handler of provider state {name!r} {render_value(params)} raised:",
                        *_traceback_lines(exc),
                    ]
                    return sent
            try:
                event = build(consumer_description, states)
            except Exception as exc:
                sent.failure = [f"the {event_type} producer raised:", *_traceback_lines(exc)]
                return sent
            if not isinstance(event, Mapping):
                sent.failure = [f"the {event_type} producer returned {type(event).__name__}, not the event as a dict"]
                return sent
            sent.payload = event
            return sent
        finally:
            for teardown in reversed(teardowns):
                try:
                    next(teardown, None)
                except Exception as exc:
                    sent.failure = sent.failure or ["a provider state's teardown raised:", *_traceback_lines(exc)]


def _state_form(handler: StateHandler) -> str:
    """How a state handler is called: ``"params"`` (the documented form), ``"action"``
    (pact-python's ``(action, params)``) or ``"bare"`` (no parameters)."""
    try:
        parameters = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature
        return "params"
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return "params"
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not positional:
        return "bare"
    return "action" if sum(p.default is p.empty for p in positional) >= 2 else "params"


def _run_state(handler: StateHandler, params: Mapping[str, Any]) -> object:
    """Call a state handler in the form it was written in; a teardown comes back as a generator."""
    form = _state_form(handler)
    if form == "bare":
        return handler()
    if form == "params":
        return handler(dict(params))

    def setup_then_teardown() -> Iterator[object]:
        yield handler("setup", dict(params))
        handler("teardown", dict(params))

    return setup_then_teardown()


def _traceback_lines(exc: BaseException) -> list[str]:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return ["    " + line for line in text.rstrip().splitlines()]


class _RequestHandler(BaseHTTPRequestHandler):
    server: _MessageServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the verifier's report says everything about each request."""

    def _reply(self, status: int, body: bytes, headers: Mapping[str, str] = {}) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = json.loads(self.rfile.read(length) or b"{}")
        if self.path == STATE_PATH:
            # States run with their message, where a failure fails that interaction at once
            # (the verifier retries a failed state change for two minutes).
            self._reply(200, b"{}", {"Content-Type": CONTENT_TYPE})
            return
        if self.path != MESSAGE_PATH:
            self._reply(404, b"")
            return
        description = str(request.get("description", ""))
        sent = self.server.produce(description, list(request.get("providerStates") or []))
        if sent.failure:
            self._reply(500, "\n".join(sent.failure).encode(), {"Content-Type": "text/plain"})
            return
        try:
            body = json.dumps(sent.payload, allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            sent.failure = [f"the {sent.event_type} producer returned an event that is not JSON: {exc}"]
            self._reply(500, "\n".join(sent.failure).encode(), {"Content-Type": "text/plain"})
            return
        metadata = {EVENT_TYPE_METADATA: sent.event_type, "contentType": CONTENT_TYPE}
        self._reply(
            200,
            body,
            {
                "Content-Type": CONTENT_TYPE,
                "Pact-Message-Metadata": base64.b64encode(json.dumps(metadata).encode()).decode(),
            },
        )


def default_pact_dir() -> Path:
    """The pact directory of the running pytest session (``--thrillpots-pact-dir``), else ``pacts``."""
    from pytest_thrillpots.plugin import _pact as _plugin_pact

    return _plugin_pact.configured_pact_dir() or Path("pacts")


def add_routes(routes: Routes, pact: object, provider: str) -> None:
    """Add each message's ``event_type`` metadata of one pact document (of ``provider``) to ``routes``."""
    if not isinstance(pact, Mapping):
        return
    provider_of = pact.get("provider")
    consumer_of = pact.get("consumer")
    if not isinstance(provider_of, Mapping) or provider_of.get("name") != provider:
        return
    consumer = str(consumer_of.get("name", "?")) if isinstance(consumer_of, Mapping) else "?"
    interactions = pact.get("interactions") or pact.get("messages") or []
    for interaction in interactions if isinstance(interactions, list) else []:
        if not isinstance(interaction, Mapping):
            continue
        metadata = interaction.get("metadata")
        event_type = metadata.get(EVENT_TYPE_METADATA) if isinstance(metadata, Mapping) else None
        description = interaction.get("description")
        if isinstance(event_type, str) and isinstance(description, str):
            routes.setdefault(description, {}).setdefault(event_type, set()).add(consumer)


def _is_url(source: str | Path) -> bool:
    text = str(source)
    return "://" in text and not text.startswith("file://")


def _local_pact_files(source: str | Path) -> tuple[Path, list[Path]]:
    """A local source as the verifier takes it, and the pact files it holds."""
    text = str(source)
    path = Path(text.removeprefix("file://"))
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise PactVerificationError(
                f"no pact files in {path}/: run the consumers' tests first (they write <consumer>-<provider>.json "
                "there), or pass sources=[...] naming the pacts"
            )
        return path, files
    if not path.is_file():
        raise PactVerificationError(f"pact source {text!r} is neither a pact file nor a directory of pact files")
    return path, [path]


def _read_pact_file(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not a pact: the verifier reports it


@dataclass(frozen=True)
class _Remote:
    """A URL without the credentials written into it, and the headers that authenticate it."""

    url: str
    headers: Mapping[str, str]
    verifier_auth: Mapping[str, str | None]
    """The same credentials as ``Verifier.add_source`` keywords."""

    @classmethod
    def of(cls, url: str, credentials: PactBroker) -> _Remote:
        parts = urllib.parse.urlsplit(url)
        if parts.username is None and not _same_origin(url, credentials.url):
            # The broker's credentials go to the broker only, never to another host.
            return cls(url, {}, {})
        if parts.username is None:
            auth: dict[str, str | None] = {"token": credentials.token} if credentials.token else {}
            if not auth and credentials.username:
                auth = {"username": credentials.username, "password": credentials.password}
            return cls(url, credentials.auth_headers(), auth)
        # Credentials in the URL win, as with the verifier; urllib does not read them itself.
        bare = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        in_url = PactBroker(
            url=None,
            token=None,
            username=urllib.parse.unquote(parts.username),
            password=urllib.parse.unquote(parts.password or ""),
        )
        return cls(bare, in_url.auth_headers(), {})


def _same_origin(url: str, broker_url: str | None) -> bool:
    if not broker_url:
        return False
    mine, broker = urllib.parse.urlsplit(url), urllib.parse.urlsplit(broker_url)
    return (mine.scheme, mine.hostname, mine.port) == (broker.scheme, broker.hostname, broker.port)


def fetch_json(url: str, headers: Mapping[str, str], body: object = None) -> Any:
    """GET (or, with a body, POST) a JSON document; raises ``_FetchError`` saying why it failed."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={
            "Accept": "application/hal+json, application/json",
            **({"Content-Type": "application/json"} if data is not None else {}),
            **headers,
        },
        method="GET" if data is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        hint = " (check the credentials)" if exc.code in (401, 403) else ""
        raise _FetchError(f"HTTP {exc.code} {exc.reason}{hint}") from None
    except urllib.error.URLError as exc:
        raise _FetchError(str(exc.reason)) from None
    except ValueError as exc:
        raise _FetchError(f"the response is not JSON ({exc})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _FetchError(str(exc) or type(exc).__name__) from None


class _FetchError(Exception):
    """Why a URL could not be read."""


def _fetch_pact_url(remote: _Remote) -> object:
    try:
        return fetch_json(remote.url, remote.headers)
    except _FetchError as exc:
        raise PactVerificationError(
            f"cannot fetch the pact {remote.url}: {exc}. verify_pacts reads each pact before verifying it, to route its "
            "messages by event type: check the URL, and the credentials (PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME "
            "and PACT_BROKER_PASSWORD, or broker=PactBroker(token=...)) when it needs them"
        ) from None


def broker_pacts(broker: PactBroker, provider: str, provider_branch: str | None = None) -> list[object]:
    """The pacts the broker will hand the verifier (its "pacts for verification"), read to route messages.

    A broker that cannot be read here is not fatal: the verifier fetches the pacts itself, and
    their messages fall back to the other ways of routing; a warning says so.
    """
    assert broker.url
    base = broker.url.rstrip("/")
    url = f"{base}/pacts/provider/{urllib.parse.quote(provider, safe='')}/for-verification"
    headers = broker.auth_headers()
    fallback = (
        "their messages are routed by an event type leading the description, or to the producer's only event type, "
        "and fail naming the description otherwise"
    )
    try:
        found = fetch_json(url, headers, broker.for_verification(provider_branch))
        links = [str(pact["_links"]["self"]["href"]) for pact in found["_embedded"]["pacts"]]
    except _FetchError as exc:
        warnings.warn(f"cannot read the pacts for verification from {url}: {exc}; {fallback}", stacklevel=3)
        return []
    except (KeyError, TypeError):
        warnings.warn(
            f"the pacts for verification from {url} are not the broker's HAL document "
            f"(_embedded.pacts[*]._links.self.href); {fallback}",
            stacklevel=3,
        )
        return []
    pacts = []
    for link in links:
        try:
            pacts.append(fetch_json(link, headers))
        except _FetchError as exc:
            warnings.warn(f"cannot read the pact {link} from the broker: {exc}; {fallback}", stacklevel=3)
    return pacts


def verify_pacts(
    producer: Mapping[str, Producer],
    *,
    sources: str | Path | Sequence[str | Path] | None = None,
    states: Mapping[str, StateHandler] | None = None,
    broker: PactBroker | Mapping[str, Any] | bool | None = None,
    publish: PublishResults | Mapping[str, Any] | None = None,
    provider: str = DEFAULT_PROVIDER,
) -> VerificationResult:
    """Verify the producer against every consumer's pact in one verifier run.

    ``producer`` maps an event type to ``(description, provider_states) -> event``, a function
    building the event with the producer's real code; ``provider_states`` maps each provider
    state of the interaction to its parameters. ``sources``: pact files, directories or URLs
    (default: the pact directory, unless ``broker`` is given). ``states`` maps a provider state to
    a handler called with its parameters before the message is built (a generator function: the
    code after ``yield`` is its teardown); a state without a handler only reaches the producer.
    ``broker``: a ``PactBroker``, its fields as a dict, or True for one read wholly from the
    ``PACT_BROKER_*`` environment variables; ``publish``: a ``PublishResults`` or its fields as a dict.

    Every pact (files, URLs, the broker's pacts for verification) is read before the run, to
    route each message to the producer of the ``event_type`` in its metadata; a URL is fetched
    with the broker's credentials, and one that cannot be fetched raises
    ``PactVerificationError`` naming it.

    Raises ``AssertionError`` naming, for each failing interaction, the consumer, the
    description, and each path with what was expected and what was sent.
    """
    __tracebackhide__ = True  # a failure is the producer's, not this helper's
    if not isinstance(producer, Mapping) or not producer:
        raise TypeError("verify_pacts() takes producer={event type: function}, e.g. {'WinEvent': build_win_event}")
    for event_type, build in producer.items():
        check_event_type(event_type)
        if not callable(build):
            raise TypeError(f"producer[{event_type!r}] must be a function (description, provider_states) -> event")
    states = dict(states or {})
    for name, handler in states.items():
        if not callable(handler):
            raise TypeError(f"states[{name!r}] must be a function (params) -> None")
    broker = _settings(PactBroker, "broker", PactBroker() if broker is True else broker)
    publish = _settings(PublishResults, "publish", publish)
    if publish is not None and broker is None:
        raise PactVerificationError(
            "publish= sends verification results to a Pact Broker: give broker=PactBroker(...) too"
        )
    if isinstance(sources, (str, Path)):
        sources = [sources]
    if sources is None:
        sources = [] if broker is not None else [default_pact_dir()]

    # Every source is read before the run: a missing file or an unreachable URL fails here.
    credentials = broker if broker is not None else PactBroker()
    routes: Routes = {}
    verifier_sources: list[tuple[str | Path, Mapping[str, str | None]]] = []
    for source in sources:
        if _is_url(source):
            remote = _Remote.of(str(source), credentials)
            add_routes(routes, _fetch_pact_url(remote), provider)
            verifier_sources.append((str(source), remote.verifier_auth))
        else:
            local, files = _local_pact_files(source)
            for path in files:
                add_routes(routes, _read_pact_file(path), provider)
            verifier_sources.append((local, {}))

    with _MessageServer(producer, states) as server:
        verifier = pact_library().Verifier(provider, host="127.0.0.1")
        verifier.add_transport(protocol="message", port=server.port, path=MESSAGE_PATH)
        verifier.state_handler(f"http://127.0.0.1:{server.port}{STATE_PATH}", teardown=False, body=True)
        verifier.set_coloured_output(enabled=False)
        for location, auth in verifier_sources:
            verifier.add_source(location, **auth)
        if broker is not None:
            broker.add_to(verifier)  # first: it refuses a misspelt selector before anything is sent
            for pact in broker_pacts(broker, provider, publish.branch if publish is not None else None):
                add_routes(routes, pact, provider)
        if publish is not None:
            publish.add_to(verifier)
        server.routes = routes
        try:
            verifier.verify()
            failed = False
        except RuntimeError:
            # pact-python says only "Failed to execute verifier"; the details are in its results.
            failed = True
        results = verifier.results
        output = str(verifier.output(strip_ansi=True))
    return _report(results, output, server.sent, provider, failed)


_Settings = TypeVar("_Settings", PactBroker, PublishResults)


def _settings(kind: type[_Settings], name: str, value: object) -> _Settings | None:
    """``broker=``/``publish=`` as their dataclass, given as one or as a dict of its fields."""
    if value is None or value is False:
        return None
    if isinstance(value, kind):
        return value
    if isinstance(value, Mapping):
        known = [f.name for f in fields(kind)]
        for key in value:
            if key not in known:
                raise TypeError(
                    f"{name}= has no setting {key!r}.{did_you_mean(str(key), known)} Its settings: {', '.join(known)}"
                )
        return kind(**value)
    raise TypeError(f"{name}= takes {kind.__name__}(...) or a dict of its settings, not {type(value).__name__}")


def _report(
    results: Mapping[str, Any], output: str, sent: Mapping[_SentKey, _Sent], provider: str, failed: bool
) -> VerificationResult:
    __tracebackhide__ = True
    interactions = tuple(
        InteractionResult(
            consumer=r.get("consumer", "?"),
            description=r.get("description", "?"),
            passed=r.get("result") == "OK",
            pending=bool(r.get("pending")),
        )
        for r in results.get("interactionResults", [])
    )
    blocking = [r for r in results.get("interactionResults", []) if r.get("result") != "OK" and not r.get("pending")]
    pending = [r for r in results.get("interactionResults", []) if r.get("result") != "OK" and r.get("pending")]
    if failed and not blocking:
        raise PactVerificationError(
            f"the Pact verifier failed before verifying any interaction of provider {provider!r}:\n{output.strip()}"
        )
    if not interactions:
        raise PactVerificationError(
            f"no interaction for provider {provider!r} in the pacts given: check the provider name "
            "(pact files are named <consumer>-<provider>.json) and the sources"
        )
    if blocking:
        raise AssertionError(_failure_text(blocking, sent, provider, len(interactions)))
    return VerificationResult(
        interactions=interactions,
        output=output,
        pending_failures=_failure_text(pending, sent, provider, len(interactions)) if pending else "",
    )


def _failure_text(
    failures: Sequence[Mapping[str, Any]], sent: Mapping[_SentKey, _Sent], provider: str, total: int
) -> str:
    lines = [f"Pact verification of {provider} failed: {len(failures)} of {total} interactions"]
    for result in failures:
        description = result.get("description", "?")
        states = ", ".join(result.get("providerStates") or [])
        lines.append("")
        lines.append(f"{result.get('consumer', '?')}: {description!r}" + (f" (given {states})" if states else ""))
        record = sent.get((description, tuple(result.get("providerStates") or [])), _Sent())
        if record.failure:
            lines.extend("  " + line for line in record.failure)
            continue
        lines.extend(_mismatch_lines(result.get("mismatch") or {}, record))
    return "\n".join(lines)


def _mismatch_lines(mismatch: Mapping[str, Any], record: _Sent) -> list[str]:
    violations: list[Violation] = []
    other: list[str] = []
    for item in mismatch.get("mismatches") or [{"mismatch": mismatch.get("message") or str(dict(mismatch))}]:
        kind = item.get("type")
        text = str(item.get("mismatch", ""))
        if kind == "BodyMismatch":
            found = _body_violations(item, record)
            if found is not None:
                violations.extend(found)
                continue
            other.append(f"  {_human(item.get('path', '$'))}: {text}")
        elif kind == "MetadataMismatch":
            other.append(
                f"  message metadata {item.get('key')!r}: expected {item.get('expected')!r}, "
                f"got {item.get('actual')!r} [metadata]"
            )
        else:
            other.append(f"  {text}")
    violations.sort(key=lambda v: [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in v.path.split("/")])
    return [*violation_lines(violations), *other]


def _parts(jsonpath: str) -> list[PathPart] | None:
    text = jsonpath.removeprefix("$").removeprefix(".")
    try:
        return parse_human(text) if text else []
    except ValueError:
        return None


def _human(jsonpath: str) -> str:
    parts = _parts(jsonpath)
    return to_human(parts) if parts is not None else jsonpath


def _body_violations(item: Mapping[str, Any], record: _Sent) -> list[Violation] | None:
    """One pact body mismatch in the validator's terms, or None when it has no such reading."""
    parts = _parts(str(item.get("path", "$")))
    if parts is None or record.event_type not in EVENT_TYPES:
        return None
    event_type = record.event_type
    text = str(item.get("mismatch", ""))
    if text.startswith("Actual map is missing the following keys:"):
        names = [n.strip() for n in text.split(":", 1)[1].split(",") if n.strip()]
        out = []
        for name in names:
            member = [*parts, name]
            node = lookup(event_type, member)
            expected = node.describe() if node is not None else "a value"
            out.append(
                Violation(
                    to_pointer(member),
                    "missing",
                    expected,
                    "missing",
                    f"required field {name!r} is missing (expected {expected})",
                )
            )
        return out
    actual = _dig(record.payload, parts)
    if actual is _ABSENT:
        return None
    shown = describe_value(actual)
    if "to be equal to" in text:
        pinned = _json_or_text(item.get("expected"))
        return [
            Violation(
                to_pointer(parts),
                "enum",
                render_value(pinned),
                shown,
                f"expected the pinned value {render_value(pinned)}, got {shown}",
            )
        ]
    if text.endswith("to be a null value"):
        # the interaction of a nullable object's null form, which its provider state asks for
        return [Violation(to_pointer(parts), "type", "null", shown, f"expected null, got {shown}")]
    node = lookup(event_type, parts)
    if node is None:
        return None
    if (
        isinstance(actual, list)
        and node.kind == "array"
        and ("minimum" in text or "at least" in text or "empty" in text.lower())
    ):
        expected = f"{node.describe()} with at least 1 item"
        return [Violation(to_pointer(parts), "type", expected, shown, f"expected {expected}, got {shown}")]
    rule: Rule = "null" if actual is None else "enum" if node.enum is not None else "type"
    # null failed a nullable field: this is the interaction where the consumer reads it present.
    expected = replace(node, nullable=False).describe() if actual is None and node.nullable else node.describe()
    return [Violation(to_pointer(parts), rule, expected, shown, f"expected {expected}, got {shown}")]


def _json_or_text(value: object) -> object:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value

"""The message provider the verifier calls: provider states, routing by event type, the producer.

The verifier asks this small HTTP server for each message (pact-python's own helper servers take
half a second each to stop, and retry a failing provider state for two minutes): it runs the
provider states' handlers and the producer for the interaction's event type, and remembers what
failed and what was sent, for the failure report.
"""

from __future__ import annotations

import base64
import inspect
import json
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Final

from pytest_thrillpots._render import render_value
from pytest_thrillpots.pact._interactions import CONTENT_TYPE, EVENT_TYPE_METADATA
from pytest_thrillpots.pact._sources import Routes, legacy_description

MESSAGE_PATH: Final = "/_pact/message"


STATE_PATH: Final = "/_pact/state"


POLL_INTERVAL: Final = 0.01
"""Seconds: how soon the server notices it should stop (the stdlib default is half a second)."""


Producer = Callable[[str, dict[str, dict[str, Any]]], Mapping[str, Any]]
"""``(description, provider_states) -> event``: builds the event with the producer's own code."""


StateHandler = Callable[..., object]
"""``(params) -> None``; a generator function's code after ``yield`` is the state's teardown.
pact-python's own form ``(action, params)`` is called with ``"setup"``, then ``"teardown"``; a
handler without parameters is called without them."""


@dataclass
class SentMessage:
    """What the producer side did for one message request."""

    event_type: str | None = None
    payload: Any = None
    failure: list[str] = field(default_factory=list)


SentKey = tuple[str, tuple[str, ...]]
"""A message request: its description and the names of its provider states (two consumers may
share a description)."""


class MessageServer(HTTPServer):
    """The verifier's provider: builds each requested message with the producer's code."""

    def __init__(self, producer: Mapping[str, Producer], states: Mapping[str, StateHandler]) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.producer = producer
        self.states = states
        self.sent: dict[SentKey, SentMessage] = {}
        self.routes: Routes = {}
        """description -> event type -> consumers, from the ``event_type`` metadata of the pacts."""
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, name="thrillpots-pact", daemon=True
        )

    def __enter__(self) -> MessageServer:
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

    def produce(self, description: str, provider_states: list[dict[str, Any]]) -> SentMessage:
        sent = self.sent[description, tuple(str(s.get("name")) for s in provider_states)] = SentMessage()
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
    server: MessageServer

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

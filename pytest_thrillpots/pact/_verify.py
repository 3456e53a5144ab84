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

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_thrillpots._errors import PactFileError, PactVerificationError
from pytest_thrillpots.pact._broker import PactBroker, PublishResults, Remote, broker_pacts, coerce_settings
from pytest_thrillpots.pact._consumer import DEFAULT_PROVIDER
from pytest_thrillpots.pact._library import pact_library
from pytest_thrillpots.pact._mismatch import VerificationResult, report
from pytest_thrillpots.pact._server import MESSAGE_PATH, STATE_PATH, MessageServer, Producer, StateHandler
from pytest_thrillpots.pact._session import default_pact_dir
from pytest_thrillpots.pact._sources import PactIndex, fetch_pact_url, is_url, local_pact_files, read_pact_file
from pytest_thrillpots.spec import check_event_type


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
    broker = coerce_settings(PactBroker, "broker", PactBroker() if broker is True else broker)
    publish = coerce_settings(PublishResults, "publish", publish)
    if publish is not None and broker is None:
        raise PactVerificationError(
            "publish= sends verification results to a Pact Broker: give broker=PactBroker(...) too"
        )
    if isinstance(sources, (str, Path)):
        sources = [sources]
    if sources is None:
        sources = [] if broker is not None else [default_pact_dir()]

    # Every source is read before the run: a missing or unreadable file, a document that is not a
    # pact and an unreachable URL fail here, naming it.
    credentials = broker if broker is not None else PactBroker()
    index = PactIndex(provider)
    verifier_sources: list[tuple[str | Path, Mapping[str, str | None]]] = []
    for source in sources:
        if is_url(source):
            remote = Remote.of(str(source), credentials)
            index.add(fetch_pact_url(remote), remote.url, named=True)
            verifier_sources.append((str(source), remote.verifier_auth))
        else:
            local, files = local_pact_files(source)
            for path in files:
                index.add(read_pact_file(path), str(path), named=path == local)
            verifier_sources.append((local, {}))

    with MessageServer(producer, states) as server:
        verifier = pact_library().Verifier(provider, host="127.0.0.1")
        verifier.add_transport(protocol="message", port=server.port, path=MESSAGE_PATH)
        verifier.state_handler(f"http://127.0.0.1:{server.port}{STATE_PATH}", teardown=False, body=True)
        verifier.set_coloured_output(enabled=False)
        for location, auth in verifier_sources:
            verifier.add_source(location, **auth)
        if broker is not None:
            broker.add_to(verifier)  # first: it refuses a misspelt selector before anything is sent
            for number, pact in enumerate(
                broker_pacts(broker, provider, publish.branch if publish is not None else None)
            ):
                try:
                    index.add(pact, f"pact {number + 1} of the broker's pacts for verification", expect=False)
                except PactFileError as exc:
                    warnings.warn(f"{exc}; the verifier reads it on its own", stacklevel=2)
        if publish is not None:
            publish.add_to(verifier)
        for empty in index.empty:
            warnings.warn(empty, stacklevel=2)
        server.routes = index.routes
        try:
            verifier.verify()
            failed = False
        except RuntimeError:
            # pact-python says only "Failed to execute verifier"; the details are in its results.
            failed = True
        results = verifier.results
        output = str(verifier.output(strip_ansi=True))
    return report(results, output, server.sent, provider, failed, index.interactions, index.refused, index.expected)

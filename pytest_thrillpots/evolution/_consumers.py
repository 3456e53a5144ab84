"""What the consumers read: the paths of each event that each pact's interactions depend on.

A pact is read from a file, a directory of them, a URL or the Pact Broker's pacts for
verification: the sources ``verify_pacts`` takes. Each message interaction (V4
``interactions`` of type ``Asynchronous/Messages``, V3 ``messages``) reads every leaf of its
example contents and every path its matching rules name (``$.pots[*].current_value``; a rule
on ``$.winners`` reads the whole array). Its event type is the ``event_type`` of its metadata,
else the one ``identify()`` finds in the contents.

A change reaches a read when one path lies inside the other: a change to
``pots[*].current_value`` reaches that read, and so does the removal of ``pots``; a read of the
whole ``winners`` array is reached by any change inside it. Anything that cannot be read this
way (an HTTP interaction, a matching rule path with filters, contents that are not JSON) is an
error, never a consumer that reads nothing.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pytest_thrillpots._errors import ContractSourceError, IdentifyError, PactFileError
from pytest_thrillpots.evolution._change import ContractChange, Read
from pytest_thrillpots.evolution._limits import check_size, too_deep
from pytest_thrillpots.pact._broker import FetchError, NestedTooDeep, PactBroker, Remote, coerce_settings, fetch_json
from pytest_thrillpots.pact._consumer import DEFAULT_PROVIDER
from pytest_thrillpots.pact._interactions import EVENT_TYPE_METADATA
from pytest_thrillpots.pact._reading import JSON_CONTENT_TYPE, WILDCARD, read_pact
from pytest_thrillpots.pact._sources import is_url
from pytest_thrillpots.spec import identify
from pytest_thrillpots.spec._paths import to_human

PactSource = str | os.PathLike[str]
"""A pact file, a directory of pact files (``*.json``), or a pact's URL."""

Parts = tuple[str | int, ...]

MESSAGE_TYPE: Final = "Asynchronous/Messages"

_RULE_CATEGORIES: Final = ("body", "content")
"""Where the matching rules of a message's contents sit (V3 and pact-rust write ``body``, the V4 spec says ``content``)."""

_RULE_TOKEN = re.compile(r"""\.([A-Za-z_$@][\w$@-]*|\*)|\[(\d+|\*)\]|\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]""")


@dataclass(frozen=True)
class Interaction:
    """One message interaction of one consumer's pact: the event it reads, and where."""

    consumer: str
    description: str
    event: str
    reads: tuple[Parts, ...]
    """Each path read, as parts (``"*"`` for every item or key)."""
    pact: str
    """Where the pact came from."""


@dataclass(frozen=True)
class PactReads:
    """Every consumer's reads, from the pacts given to ``diff_contracts``."""

    sources: tuple[str, ...]
    consumers: tuple[str, ...]
    """Every consumer with a pact for the provider, sorted."""
    interactions: tuple[Interaction, ...]
    ignored: tuple[tuple[str, str], ...] = ()
    """Pacts with another provider: ``(where, provider)``."""

    def readers(self, change: ContractChange) -> tuple[Read, ...]:
        """The reads ``change`` reaches: of its event, at a path inside the change's or around it."""
        found: dict[tuple[str, str, str], Read] = {}
        for interaction in self.interactions:
            if interaction.event != change.event:
                continue
            for parts in interaction.reads:
                if reaches(change.parts, parts):
                    read = Read(interaction.consumer, interaction.description, to_human(parts), interaction.event)
                    found.setdefault((read.consumer, read.interaction, read.path), read)
        return tuple(sorted(found.values(), key=lambda r: (r.consumer, r.interaction, r.path)))

    def events(self) -> set[str]:
        return {i.event for i in self.interactions}


def reaches(change: Parts, read: Parts) -> bool:
    """True when one path lies inside the other; ``"*"`` on either side stands for any item or key."""
    return all(a == b or a == "*" or b == "*" for a, b in zip(change, read, strict=False))


def read_pacts(
    sources: PactSource | Sequence[PactSource] | None = None,
    *,
    broker: PactBroker | Mapping[str, Any] | bool | None = None,
    provider: str = DEFAULT_PROVIDER,
    cwd: str | os.PathLike[str] | None = None,
) -> PactReads:
    """Read every pact of ``sources`` (and of ``broker``'s pacts for verification) for ``provider``.

    Raises ``ContractSourceError`` for a source that cannot be read, a pact that cannot be
    understood, or when no pact at all is with ``provider``.
    """
    settings = coerce_settings(PactBroker, "broker", PactBroker() if broker is True else broker)
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    sources = list(sources or [])
    if not sources and settings is None:
        raise ContractSourceError("no pacts to read: name pact files, directories or URLs, or a Pact Broker")
    credentials = settings if settings is not None else PactBroker()  # as verify_pacts: only to the broker's host
    documents: list[tuple[str, object]] = []
    for source in sources:
        text = os.fspath(source)
        if is_url(text):
            documents.append((text, _fetch(Remote.of(text, credentials), text)))
        else:
            documents.extend((str(path), _read_file(path)) for path in _local_files(text, cwd))
    if settings is not None:
        documents.extend(_broker_pacts(settings, provider))
    interactions: list[Interaction] = []
    consumers: set[str] = set()
    ignored: list[tuple[str, str]] = []
    for where, document in documents:
        check_size(document, f"the pact {where}")
        consumer, other_provider, found = _interactions(document, where, provider)
        if other_provider is not None:
            ignored.append((where, other_provider))
            continue
        consumers.add(consumer)
        interactions.extend(found)
    labels = [os.fspath(s) for s in sources] + ([f"the Pact Broker at {settings.url}"] if settings is not None else [])
    if not documents:
        raise ContractSourceError(
            f"no pact for the provider {provider!r} in {' and '.join(labels)}: check the provider name "
            "(--provider, provider=...) and the broker's consumer version selectors"
        )
    if not consumers:
        named = " and ".join(repr(name) for name in sorted({name for _, name in ignored}))
        raise ContractSourceError(
            f"no pact is with the provider {provider!r} (the pacts read are with {named}): "
            "name the provider the consumers' pacts are with (--provider, provider=...)"
        )
    return PactReads(tuple(labels), tuple(sorted(consumers)), tuple(interactions), tuple(ignored))


def _local_files(source: str, cwd: str | os.PathLike[str] | None) -> list[Path]:
    path = Path(source.removeprefix("file://"))
    if not path.is_absolute() and cwd is not None:
        path = Path(cwd, path)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise ContractSourceError(f"{source}: no pact files (*.json) in it")
        return files
    if not path.is_file():
        raise ContractSourceError(f"{source}: neither a pact file nor a directory of pact files")
    return [path]


def _read_file(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContractSourceError(f"cannot read the pact {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise too_deep(f"the pact {path}") from None
    except ValueError as exc:
        raise ContractSourceError(f"the pact {path} is not valid JSON ({exc})") from None


def _fetch(remote: Remote, shown: str) -> object:
    try:
        return fetch_json(remote.url, remote.headers)
    except NestedTooDeep:
        raise too_deep(f"the pact {shown}") from None
    except FetchError as exc:
        raise ContractSourceError(
            f"cannot fetch the pact {shown}: {exc}; check the URL, and the credentials (PACT_BROKER_TOKEN, or "
            "PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD) when it needs them"
        ) from None


def _broker_pacts(broker: PactBroker, provider: str) -> list[tuple[str, object]]:
    """The broker's pacts for verification of ``provider``: every one must be read, or it is an error."""
    if not broker.url:
        raise ContractSourceError("no Pact Broker URL: set PACT_BROKER_BASE_URL or pass PactBroker(url='https://...')")
    url = f"{broker.url.rstrip('/')}/pacts/provider/{urllib.parse.quote(provider, safe='')}/for-verification"
    try:
        found = fetch_json(url, broker.auth_headers(), broker.for_verification())
    except FetchError as exc:
        raise ContractSourceError(f"cannot read the pacts for verification from {url}: {exc}") from None
    try:
        links = [str(pact["_links"]["self"]["href"]) for pact in found["_embedded"]["pacts"]]
    except (KeyError, TypeError):
        raise ContractSourceError(
            f"the pacts for verification from {url} are not the broker's HAL document "
            "(_embedded.pacts[*]._links.self.href)"
        ) from None
    return [(link, _fetch(Remote.of(link, broker), link)) for link in links]


def _interactions(document: object, where: str, provider: str) -> tuple[str, str | None, list[Interaction]]:
    """(consumer, the other provider or None, the message interactions) of one pact document."""
    try:
        pact = read_pact(document, source=f"the pact {where}")
    except PactFileError as exc:
        raise ContractSourceError(str(exc)) from None
    if pact.provider != provider:
        return pact.consumer, pact.provider, []
    for other in pact.others:
        raise ContractSourceError(
            f"the pact {where}: interaction {other.description!r} of {pact.consumer} is {other.kind}; "
            "thrillpots diff reads message interactions (Asynchronous/Messages) only"
        )
    found = []
    for message in pact.messages:
        label = f"the pact {where}: interaction {message.description!r} of {pact.consumer}"
        if message.content_type is not None and not JSON_CONTENT_TYPE.match(message.content_type):
            raise ContractSourceError(
                f"{label} has {message.content_type} contents; thrillpots diff reads JSON messages only"
            )
        event = message.event_type
        if event is None:
            try:
                event = identify(message.contents)
            except IdentifyError as exc:
                raise ContractSourceError(f"{label} has no {EVENT_TYPE_METADATA} in its metadata, and {exc}") from None
        # A rule on an index reads every item: a change to the item's shape reaches it.
        rule_reads = (
            tuple("*" if isinstance(p, int) or p == WILDCARD else p for p in r.path) for r in message.rules.values()
        )
        reads = dict.fromkeys([*_leaves(message.contents), *rule_reads])
        found.append(Interaction(pact.consumer, message.description, event, tuple(reads), where))
    return pact.consumer, None, found


def _leaves(body: object) -> Iterator[Parts]:
    """The path of every value with nothing inside it: scalars, empty arrays and objects; items as ``"*"``."""
    stack: list[tuple[object, Parts]] = [(body, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, Mapping) and value:
            stack.extend((child, (*parts, str(key))) for key, child in reversed(list(value.items())))
        elif isinstance(value, list) and value:
            stack.extend((child, (*parts, "*")) for child in reversed(value))
        else:
            yield parts

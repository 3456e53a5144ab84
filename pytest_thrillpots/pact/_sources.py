"""Pact sources: pact files, directories and URLs, read before the run to route each message by its event type."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from pytest_thrillpots._errors import PactVerificationError
from pytest_thrillpots.pact._broker import FetchError, Remote, fetch_json
from pytest_thrillpots.pact._interactions import EVENT_TYPE_METADATA
from pytest_thrillpots.spec import EVENT_TYPES

LEGACY_SEPARATOR: Final = ": "
"""Earlier versions wrote ``"WinEvent: a progressive jackpot win"``; such pacts are still routed."""


Routes = dict[str, dict[str, set[str]]]
"""description -> event type -> the consumers whose pacts give it that type."""


def legacy_description(description: str) -> tuple[str, str] | None:
    """``"WinEvent: a win"`` -> ``("WinEvent", "a win")``, as earlier versions wrote descriptions; else None."""
    event_type, separator, rest = description.partition(LEGACY_SEPARATOR)
    if separator and event_type in EVENT_TYPES:
        return event_type, rest
    return None


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


def is_url(source: str | Path) -> bool:
    text = str(source)
    return "://" in text and not text.startswith("file://")


def local_pact_files(source: str | Path) -> tuple[Path, list[Path]]:
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
    if not path.exists():
        raise PactVerificationError(
            f"pact source {text!r} is neither a pact file nor a directory of pact files: nothing is there yet. A "
            "consumer's contract tests write its pact when their pytest session ends, so a verification in that same "
            "session cannot read it: run the consumers' tests first, then the verification (or pass sources=[...] "
            "naming the pacts)"
        )
    if not path.is_file():
        raise PactVerificationError(f"pact source {text!r} is neither a pact file nor a directory of pact files")
    return path, [path]


def read_pact_file(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not a pact: the verifier reports it


def fetch_pact_url(remote: Remote) -> object:
    try:
        return fetch_json(remote.url, remote.headers)
    except FetchError as exc:
        raise PactVerificationError(
            f"cannot fetch the pact {remote.url}: {exc}. verify_pacts reads each pact before verifying it, to route its "
            "messages by event type: check the URL, and the credentials (PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME "
            "and PACT_BROKER_PASSWORD, or broker=PactBroker(token=...)) when it needs them"
        ) from None

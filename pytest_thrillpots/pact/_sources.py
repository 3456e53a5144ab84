"""Pact sources: pact files, directories and URLs, read before the run to route each message by its event type."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pytest_thrillpots._errors import PactFileError, PactVerificationError
from pytest_thrillpots.pact._broker import FetchError, Remote, fetch_json
from pytest_thrillpots.pact._reading import MessageInteraction, read_pact
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


InteractionKey = tuple[str, str, tuple[str, ...]]
"""An interaction as the verifier's results name it: consumer, description, provider state names."""


def not_message(kind: str) -> str:
    """Why an interaction of another kind than an asynchronous message never passes."""
    return f"a {kind} interaction: ThrillPots publishes asynchronous messages only, so nothing it sends can satisfy it"


NO_CONTENTS: Final = (
    "its pact has no message contents: the verifier compares nothing then, and would pass any message. The "
    "consumer's pact says the body it expects (thrillpots_pact.expects() writes it)"
)


@dataclass
class PactIndex:
    """What the pacts given to one verification hold, read before the run."""

    provider: str
    routes: Routes = field(default_factory=dict)
    interactions: dict[InteractionKey, MessageInteraction] = field(default_factory=dict)
    """Each message interaction, for the failure report's words (what the pact expected)."""
    refused: dict[InteractionKey, list[str]] = field(default_factory=dict)
    """Interactions that fail whatever the verifier says, and why: the verifier passes them
    without checking anything ThrillPots sends (a message without contents, a synchronous message)."""
    expected: list[InteractionKey] = field(default_factory=list)
    """The interactions of the pacts read from files and URLs: the verifier reads the same
    documents, so each must be in its results (the broker's pacts may differ between two reads)."""
    empty: list[str] = field(default_factory=list)
    """The pacts holding no interactions, each said (the verifier skips them with a warning in
    its own output only)."""

    def add(self, document: object, source: str, *, named: bool = False, expect: bool = True) -> None:
        """Add one pact document's messages (raises ``PactFileError`` naming ``source`` when it is no pact).

        ``named``: the source names this one pact (a file or URL, not a directory), which the
        verifier verifies whatever provider it is for: one of another provider is refused.
        """
        pact = read_pact(document, source=source)
        if pact.provider != self.provider:
            if named:
                raise PactVerificationError(
                    f"{source} is a pact with provider {pact.provider!r}, not {self.provider!r}: verify it with "
                    f"verify_pacts(..., provider={pact.provider!r})"
                )
            return  # another provider's pact in a directory: the verifier skips it too
        if not pact.messages and not pact.others:
            self.empty.append(
                f"{source} ({pact.consumer} -> {pact.provider}) holds no interactions: nothing of "
                f"{pact.consumer}'s is verified"
            )
        for other in pact.others:
            self.refused[pact.consumer, other.description, other.state_names] = [not_message(other.kind)]
            if expect:
                self.expected.append((pact.consumer, other.description, other.state_names))
        for message in pact.messages:
            self.interactions[message.consumer, message.description, message.state_names] = message
            if expect:
                self.expected.append((message.consumer, message.description, message.state_names))
            if not message.has_contents:
                self.refused[message.consumer, message.description, message.state_names] = [NO_CONTENTS]
            if message.event_type is not None:
                self.routes.setdefault(message.description, {}).setdefault(message.event_type, set()).add(
                    message.consumer
                )


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
    """The parsed JSON of a pact file; ``PactFileError`` naming the file when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PactFileError(f"cannot read the pact file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise PactFileError(f"the pact file {path} is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise PactFileError(
            f"the pact file {path} nests arrays and objects more deeply than a JSON reader follows: no pact does"
        ) from None
    except ValueError as exc:
        raise PactFileError(f"the pact file {path} is not JSON: {exc}") from None


def fetch_pact_url(remote: Remote) -> object:
    try:
        return fetch_json(remote.url, remote.headers)
    except FetchError as exc:
        raise PactVerificationError(
            f"cannot fetch the pact {remote.url}: {exc}. verify_pacts reads each pact before verifying it, to route its "
            "messages by event type: check the URL, and the credentials (PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME "
            "and PACT_BROKER_PASSWORD, or broker=PactBroker(token=...)) when it needs them"
        ) from None

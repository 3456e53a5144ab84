"""What an AsyncAPI document says above the payload: where each message travels, and how it is encoded.

A consumer subscribes to a channel's address and decodes by content type; an operation says
that the application sends (or receives) the message there. None of it is in the payload
schema, and each is a break for a consumer when it changes. The channels are matched by
address, not by their ids in the document: renaming a channel id moves no message, changing
its address does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from pytest_thrillpots._errors import ContractSourceError
from pytest_thrillpots.evolution._trees import json_kind

if TYPE_CHECKING:
    from pytest_thrillpots.evolution._compare import Comparer

NO_ADDRESS: Final = "no address"
"""How a channel without an ``address`` (AsyncAPI 3: unknown, or dynamic) is shown."""


@dataclass
class MessageRoute:
    """Where one message travels, and in what encoding."""

    content_type: str | None = None
    addresses: set[str] = field(default_factory=set)
    """The addresses of the channels carrying it (``NO_ADDRESS`` for a channel without one)."""
    operations: set[tuple[str, str]] = field(default_factory=set)
    """``(action, address)``: ``send`` or ``receive``, as AsyncAPI 3 says (2.x ``subscribe`` is ``send``)."""
    headers: tuple[str, Any] | None = None
    """The headers schema, with the key of the document it sits in; None when the message has none."""
    unjudged: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """``bindings`` and ``correlationId``, with the key of the document they sit in: compared, not judged."""


@dataclass
class Routing:
    """Every message's route in one AsyncAPI document, by message name."""

    messages: dict[str, MessageRoute] = field(default_factory=dict)

    def route(self, name: str) -> MessageRoute:
        return self.messages.setdefault(name, MessageRoute())


def compare_routes(comparer: Comparer, old: MessageRoute, new: MessageRoute) -> None:
    """Record each change to one message's content type, channels and operations (at the event itself)."""
    name = comparer.event
    if old.content_type != new.content_type:
        before, after = old.content_type or "no content type", new.content_type or "no content type"
        comparer.add(
            (),
            "content_type_changed",
            backward=f"new readers decode {after}, and old writers sent {before}",
            forward=f"old readers decode {before}, and new writers send {after}",
            old=before,
            new=after,
        )
    renamed: dict[str, str] = {}
    gone, came = sorted(old.addresses - new.addresses), sorted(new.addresses - old.addresses)
    if len(gone) == 1 and len(came) == 1 and len(old.addresses) == len(new.addresses) == 1:
        (before,), (after,) = gone, came
        renamed[before] = after
        comparer.add(
            (),
            "channel_address_changed",
            backward=f"new readers listen on {after}, and old writers sent {name} to {before}",
            forward=f"old readers listen on {before}, and new writers send {name} to {after}",
            old=before,
            new=after,
        )
    else:
        for address in gone:
            comparer.add(
                (),
                "channel_removed",
                backward=f"new readers of {address} have no schema for the {name} messages old writers sent there",
                forward=f"old readers wait for {name} on {address}, where new writers no longer send it",
                old=address,
            )
        for address in came:
            comparer.add(
                (),
                "channel_added",
                forward=f"old readers of {address} have no schema for the {name} messages new writers send there",
                new=address,
            )
    old_operations = {(action, renamed.get(address, address)) for action, address in old.operations}
    for action, address in sorted(old_operations - new.operations):
        shown = f"{action} on {address}"
        if action == "send":
            why = f"old readers wait for the {name} messages on {address}, which new writers no longer send"
        else:
            why = f"old writers send {name} to {address}, where the application no longer receives it"
        comparer.add((), "operation_removed", forward=why, old=shown)
    for action, address in sorted(new.operations - old_operations):
        comparer.add(
            (),
            "operation_added",
            compatible=f"no reader depends on a {action} of {name} on {address} that did not exist",
            new=f"{action} on {address}",
        )


def with_traits(message: dict[str, Any], resolve: Callable[[str], Any], version_2: bool, where: str) -> dict[str, Any]:
    """The message with its traits applied (each ``$ref`` followed with ``resolve``): in 2.x each
    trait is merged over the message (JSON Merge Patch, in order); in 3.x the traits are merged in
    order, and the message over them."""
    traits = message.get("traits")
    if traits is None:
        return message
    if not isinstance(traits, list):
        raise ContractSourceError(f"{where}.traits is {json_kind(traits)}, not a list")
    resolved = []
    for index, trait in enumerate(traits):
        for _ in range(64):
            if not (isinstance(trait, dict) and isinstance(trait.get("$ref"), str)):
                break
            trait = resolve(trait["$ref"])
        if not isinstance(trait, dict):
            raise ContractSourceError(f"{where}.traits[{index}] is {json_kind(trait)}, not a mapping")
        resolved.append(trait)
    merged: Any = {k: v for k, v in message.items() if k != "traits"}
    if version_2:
        for trait in resolved:
            merged = _merge_patch(merged, trait)
        return dict(merged)
    applied: Any = {}
    for trait in resolved:
        applied = _merge_patch(applied, trait)
    return dict(_merge_patch(applied, merged))


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: how AsyncAPI applies a trait."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge_patch(merged.get(key), value)
    return merged

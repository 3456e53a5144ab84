"""The change kinds, and whom each change breaks: one direction at a time, in Confluent's terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

Mode = Literal["backward", "forward", "full"]


MODES: Final = ("backward", "forward", "full")


DEFAULT_MODE: Final[Mode] = "full"
"""The producer deploys first and consumers replay history: both directions must hold."""


BACKWARD: Final = "BACKWARD"


FORWARD: Final = "FORWARD"


CHANGE_KINDS: Final[dict[str, str]] = {
    "event_added": "event added",
    "event_removed": "event removed",
    "field_added": "field added",
    "field_removed": "field removed",
    "required_added": "field made required",
    "required_removed": "field made optional",
    "type_widened": "type widened",
    "type_narrowed": "type narrowed",
    "type_changed": "type changed",
    "nullability_added": "null allowed",
    "nullability_removed": "null no longer allowed",
    "enum_value_added": "enum value added",
    "enum_value_removed": "enum value removed",
    "enum_added": "values restricted to an enum",
    "enum_removed": "enum restriction dropped",
    "constraint_tightened": "constraint tightened",
    "constraint_loosened": "constraint loosened",
    "constraint_changed": "constraint changed",
    "additional_properties_closed": "unknown fields now rejected",
    "additional_properties_opened": "unknown fields now allowed",
    "additional_properties_restricted": "further fields restricted",
    "additional_properties_relaxed": "further fields relaxed",
    "unsupported_change": "change thrillpots diff cannot judge",
    "content_type_changed": "content type changed",
    "channel_address_changed": "channel address changed",
    "channel_removed": "no longer sent on a channel",
    "channel_added": "now also sent on a channel",
    "operation_removed": "operation removed",
    "operation_added": "operation added",
}
"""Every change kind, with the words the text report uses for it."""


DOCUMENT_KINDS: Final = frozenset(
    {
        "content_type_changed",
        "channel_address_changed",
        "channel_removed",
        "channel_added",
        "operation_removed",
        "operation_added",
    }
)
"""The kinds above the payload: what an AsyncAPI document says about a message besides its schema."""


@dataclass(frozen=True)
class Read:
    """One path a consumer reads, in one interaction of its pact."""

    consumer: str
    interaction: str
    """The interaction's description."""
    path: str
    """The path read (``pots[*].current_value``; ``winners`` for the whole array), ``<event>`` for all of it."""
    event: str

    def to_dict(self) -> dict[str, str]:
        return {"consumer": self.consumer, "interaction": self.interaction, "reads": self.path}


@dataclass(frozen=True)
class ContractChange:
    """One difference between the old and the new contract, and whom it breaks."""

    event: str
    path: str
    """The field path inside the event (``community_winners[*].win_amount``), ``<event>`` for the event itself."""
    kind: str
    """One of ``CHANGE_KINDS``."""
    breaks: frozenset[str]
    """``{"BACKWARD"}``, ``{"FORWARD"}``, both, or empty for a compatible change."""
    reason: str
    """Why, in one sentence."""
    old: str | None = None
    new: str | None = None
    read_by: tuple[Read, ...] | None = None
    """The consumers' reads this change reaches, when the diff was given pacts (empty: no consumer
    reads it); None without pacts."""
    parts: tuple[str | int, ...] = field(default=(), compare=False, repr=False)
    """The path as parts: keys, tuple positions, ``"*"`` for every item or further key; empty for
    the event itself, and for a change inside ``$defs``, which may be used anywhere in the event."""

    def breaks_in(self, mode: Mode) -> bool:
        """True when this change is not allowed under ``mode``."""
        return bool(self.breaks) if mode == "full" else mode.upper() in self.breaks

    def fails(self, mode: Mode) -> bool:
        """True when this change fails the check: not allowed under ``mode`` and, with pacts, read by a consumer."""
        return self.breaks_in(mode) and (self.read_by is None or bool(self.read_by))

    @property
    def allowed_under(self) -> str:
        """The Confluent compatibility type that still accepts this change: FULL, BACKWARD, FORWARD or NONE."""
        if not self.breaks:
            return "FULL"
        if len(self.breaks) == 2:
            return "NONE"
        return FORWARD if BACKWARD in self.breaks else BACKWARD

    @property
    def verdict(self) -> str:
        if not self.breaks:
            return "compatible"
        return "breaks " + " and ".join(d for d in (BACKWARD, FORWARD) if d in self.breaks)

    @property
    def headline(self) -> str:
        if self.old is not None and self.new is not None:
            detail = f" ({self.old} -> {self.new})"
        elif self.new is not None:
            detail = f" ({self.new})"
        elif self.old is not None:
            detail = f" (was {self.old})"
        else:
            detail = ""
        return f"{self.path}: {CHANGE_KINDS[self.kind]}{detail}"

    def __str__(self) -> str:
        return f"{self.event}: {self.headline}: {self.verdict}. {self.reason}"

    def to_dict(self, mode: Mode = DEFAULT_MODE) -> dict[str, Any]:
        return {
            "event": self.event,
            "path": self.path,
            "kind": self.kind,
            "breaks": [d for d in (BACKWARD, FORWARD) if d in self.breaks],
            "allowed_under": self.allowed_under,
            "breaking": self.fails(mode),
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
            "consumers": None if self.read_by is None else [read.to_dict() for read in self.read_by],
        }

"""Breaking-change detection between two versions of the contracts, per event and per field path.

Each change is judged in the Confluent Schema Registry's terms, one direction at a time:

- BACKWARD: readers on the new contract can read what writers on the old contract sent;
- FORWARD: readers on the old contract can read what writers on the new contract send;
- FULL: both.

Two premises decide the cases where JSON Schema alone is ambiguous (docs/diff.md explains them):
readers ignore fields their schema does not name unless ``additionalProperties`` is ``false``
(the tolerant reader the spec asks for), and an unknown field a writer sends never collides with
a field a later version names. Under them a removed field breaks FORWARD only: new readers
ignore it, old readers miss it.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Literal

from pytest_thrillpots._errors import ContractSourceError, did_you_mean
from pytest_thrillpots.evolution._sources import ContractSet, ContractSource, json_type, load_contracts
from pytest_thrillpots.spec._paths import ROOT_LABEL, to_human

Mode = Literal["backward", "forward", "full"]
MODES: Final = ("backward", "forward", "full")
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
}
"""Every change kind, with the words the text report uses for it."""

_ALL_TYPES: Final = frozenset({"null", "boolean", "object", "array", "number", "string"})
_TYPE_ORDER: Final = ("string", "number", "integer", "boolean", "object", "array", "null")
_LOWER_BOUNDS: Final = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
_UPPER_BOUNDS: Final = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
_EXACT_CONSTRAINTS: Final = ("pattern", "format", "multipleOf", "contentEncoding", "contentMediaType")
_UNJUDGED_KEYWORDS: Final = (
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependentRequired",
    "patternProperties", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains",
    "additionalItems", "dependencies", "$dynamicRef", "$recursiveRef",
)  # fmt: skip
_ANNOTATIONS: Final = frozenset(
    {"title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly"}
)


# One object each, so comparing "any value" with a recursive schema ends (the pairs are tracked by id).
_ANY_VALUE: Final[Mapping[str, Any]] = MappingProxyType({})
_NO_VALUE: Final[Mapping[str, Any]] = MappingProxyType({})


class _Marker(enum.Enum):
    MAP_VALUES = "further keys"
    DEFS = "$defs"


_Part = str | int | _Marker


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

    def breaks_in(self, mode: Mode) -> bool:
        """True when this change is not allowed under ``mode``."""
        return bool(self.breaks) if mode == "full" else mode.upper() in self.breaks

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

    def to_dict(self, mode: Mode = "backward") -> dict[str, Any]:
        return {
            "event": self.event,
            "path": self.path,
            "kind": self.kind,
            "breaks": [d for d in (BACKWARD, FORWARD) if d in self.breaks],
            "allowed_under": self.allowed_under,
            "breaking": self.breaks_in(mode),
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class DiffReport:
    """Every change between two versions of the contracts, and the verdict in one mode."""

    old: str
    new: str
    mode: Mode
    changes: tuple[ContractChange, ...]

    @property
    def breaking(self) -> tuple[ContractChange, ...]:
        """The changes not allowed under ``mode``."""
        return tuple(c for c in self.changes if c.breaks_in(self.mode))

    @property
    def compatible(self) -> bool:
        return not self.breaking

    def summary(self) -> str:
        if not self.changes:
            return f"No changes between {self.old} and {self.new}: compatible in {self.mode} mode."
        total = len(self.changes)
        events = len({c.event for c in self.changes})
        counts = ", ".join(
            f"{sum(direction in c.breaks for c in self.changes)} break {direction}" for direction in (BACKWARD, FORWARD)
        )
        tally = f"{total} change{'s' if total != 1 else ''} in {events} event{'s' if events != 1 else ''} ({counts})"
        if self.compatible:
            return f"{tally}: compatible in {self.mode} mode."
        return f"{tally}: BREAKING in {self.mode} mode ({len(self.breaking)} of {total} not allowed)."

    def text(self) -> str:
        """The report as ``thrillpots diff`` prints it."""
        lines: list[str] = []
        current = None
        for change in self.changes:
            if change.event != current:
                if current is not None:
                    lines.append("")
                lines.append(change.event)
                current = change.event
            lines.append(f"  {change.headline}: {change.verdict}")
            lines.append(f"      {change.reason}")
        if lines:
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "mode": self.mode,
            "compatible": self.compatible,
            "summary": self.summary(),
            "changes": [c.to_dict(self.mode) for c in self.changes],
        }


def diff_contracts(
    old: ContractSource, new: ContractSource, *, mode: Mode = "backward", cwd: str | os.PathLike[str] | None = None
) -> DiffReport:
    """Compare two versions of the contracts and classify every change.

    ``old`` and ``new`` are each a schema directory, a schema file, an AsyncAPI document,
    ``"git:REF"`` (the contracts at a commit; ``"git:REF:PATH"`` for another path), or a
    ``{name: schema}`` mapping; relative paths and ``git:`` are taken from ``cwd`` (default: the
    current directory). ``mode`` also takes the Confluent spelling (``"BACKWARD"``). Raises
    ``ContractSourceError`` when a version cannot be read.
    """
    mode = str(mode).lower()  # type: ignore[assignment]
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use backward, forward or full." + did_you_mean(str(mode), MODES))
    before, after = load_contracts(old, cwd=cwd), load_contracts(new, cwd=cwd)
    structures = before.structures | after.structures
    names = [n for n in before.events if n not in structures]
    names += [n for n in after.events if n not in structures and n not in before.events]
    changes: list[ContractChange] = []
    for name in names:
        comparer = _Comparer(name, changes)
        if name not in after.events:
            comparer.add(
                (), "event_removed", backward=f"new readers have no schema for the {name} events old writers send"
            )
        elif name not in before.events:
            comparer.add(
                (), "event_added", forward=f"old readers have no schema for the {name} events new writers send"
            )
        else:
            old_root = _node(before, *before.events[name])
            new_root = _node(after, *after.events[name])
            comparer.compare(old_root, new_root, ())
            comparer.compare_definitions(old_root, new_root)
    return DiffReport(before.label, after.label, mode, tuple(changes))


@dataclass(frozen=True, eq=False)
class _Node:
    """A schema with its ``$ref`` followed, and the document it sits in (for further ``$ref``)."""

    contracts: ContractSet
    doc: str
    schema: Mapping[str, Any]
    types: frozenset[str]
    """The JSON types it accepts; empty for the ``false`` schema."""
    name: str | None = None
    """The structure's name when reached through a ``$ref`` to a whole schema file."""

    def child(self, raw: Any) -> _Node:
        return _node(self.contracts, self.doc, raw)


def _node(contracts: ContractSet, doc: str, raw: Any) -> _Node:
    name = None
    for _ in range(64):
        if not (isinstance(raw, dict) and "$ref" in raw):
            break
        ref = raw["$ref"]
        constraints = {k: v for k, v in raw.items() if k != "$ref" and k not in _ANNOTATIONS}
        doc, target = contracts.resolve(ref, doc)
        if isinstance(target, dict):
            pointer = ref.partition("#")[2]
            name = str(target.get("title") or pointer.rsplit("/", 1)[-1] or doc.rsplit("/", 1)[-1].split(".")[0])
        raw = {**target, **constraints} if constraints and isinstance(target, dict) else target
    else:
        raise ContractSourceError(f"{contracts.label}: $ref chain in {doc} does not end")
    if raw is True:
        return _Node(contracts, doc, _ANY_VALUE, _ALL_TYPES, name)
    if raw is False:
        return _Node(contracts, doc, _NO_VALUE, frozenset(), name)
    if not isinstance(raw, dict):
        raise ContractSourceError(f"{contracts.label}: {doc} holds {json.dumps(raw)} where a schema belongs")
    return _Node(contracts, doc, raw, _types(raw), name)


def _types(schema: Mapping[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    if declared is not None:
        return frozenset([declared] if isinstance(declared, str) else declared)
    values = _enum(schema)
    if values is not None:
        return frozenset(json_type(v) for v in values)
    return _ALL_TYPES


def _enum(schema: Mapping[str, Any]) -> tuple[Any, ...] | None:
    if "const" in schema:
        return (schema["const"],)
    values = schema.get("enum")
    return tuple(values) if isinstance(values, list) else None


def _canonical(value: Any) -> str:
    """JSON Schema's equality: 1 and 1.0 are the same value, true and 1 are not."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True)


def _within(narrow: Iterable[str], wide: frozenset[str]) -> bool:
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _type_words(types: Iterable[str]) -> str:
    present = set(types)
    if not present:
        return "nothing"
    if _ALL_TYPES - {"null"} <= present:
        return "any type"
    return " or ".join(t for t in _TYPE_ORDER if t in present)


def _describe(node: _Node) -> str:
    """The node's type in a few words: ``number or null``, ``PayoutRecord object``, ``array of strings``."""
    values = _enum(node.schema)
    if values is not None:
        return " or ".join(json.dumps(v) for v in values)
    if not node.types:
        return "nothing"
    words = []
    for kind in _TYPE_ORDER:
        if kind == "null" or kind not in node.types:
            continue
        if kind == "object" and node.name:
            words.append(f"{node.name} object")
        elif kind == "array" and "items" in node.schema:
            words.append(f"array of {_plural(_describe(node.child(node.schema['items'])))}")
        else:
            words.append(kind)
    if _ALL_TYPES - {"null"} <= node.types:
        words = ["any value"]
    text = " or ".join(words)
    return f"{text} or null" if "null" in node.types and words != ["any value"] else text


def _plural(words: str) -> str:
    if " or " in words or words in ("any value", "nothing"):
        return f"({words}) values"
    return words + "s"


def _render(parts: tuple[_Part, ...]) -> str:
    """``("pots", "*", "id")`` -> ``pots[*].id``; further keys of a map as ``.*``; ``$defs/Name`` first."""
    out = ""
    if parts and parts[0] is _Marker.DEFS:
        out, parts = f"$defs/{parts[1]}", parts[2:]
    for part in parts:
        if part is _Marker.MAP_VALUES:
            out += ".*" if out else "*"
        elif isinstance(part, int) or part == "*":
            out += f"[{part}]"
        else:
            token = to_human([str(part)])
            out += token if token.startswith("[") or not out else f".{token}"
    return out or ROOT_LABEL


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


@dataclass
class _Comparer:
    """Walks an old and a new schema side by side and records each change."""

    event: str
    changes: list[ContractChange]
    _active: set[tuple[int, int]] = field(default_factory=set)

    def add(
        self,
        path: tuple[_Part, ...],
        kind: str,
        *,
        backward: str | None = None,
        forward: str | None = None,
        compatible: str = "",
        old: str | None = None,
        new: str | None = None,
    ) -> None:
        """Record a change; ``backward``/``forward`` say why it breaks that direction, if it does."""
        reasons = list(dict.fromkeys(r for r in (backward, forward) if r))
        breaks = frozenset(d for d, r in ((BACKWARD, backward), (FORWARD, forward)) if r)
        reason = _sentence("; ".join(reasons) if reasons else compatible)
        self.changes.append(ContractChange(self.event, _render(path), kind, breaks, reason, old, new))

    def compare(self, old: _Node, new: _Node, path: tuple[_Part, ...]) -> None:
        key = (id(old.schema), id(new.schema))
        if old.schema is new.schema is _ANY_VALUE or key in self._active:
            return  # a recursive structure: this pair is being compared further up
        self._active.add(key)
        try:
            self._compare_types(old, new, path)
            self._compare_enum(old, new, path)
            self._compare_constraints(old, new, path)
            self._compare_unjudged(old, new, path)
            if "object" in old.types and "object" in new.types:
                self._compare_objects(old, new, path)
            if "array" in old.types and "array" in new.types:
                self._compare_arrays(old, new, path)
        finally:
            self._active.discard(key)

    def compare_definitions(self, old: _Node, new: _Node) -> None:
        """``$defs`` both versions keep (RaffleWinEvent's legacy winner tuple) are compared like fields."""
        old_defs, new_defs = old.schema.get("$defs") or {}, new.schema.get("$defs") or {}
        for name in old_defs:
            if name in new_defs:
                self.compare(old.child(old_defs[name]), new.child(new_defs[name]), (_Marker.DEFS, name))

    def fits(self, narrow: _Node, wide: _Node) -> bool:
        """True when every value ``narrow`` accepts, ``wide`` accepts too."""
        probe = _Comparer(self.event, [])
        probe.compare(narrow, wide, ())
        return not any(BACKWARD in c.breaks for c in probe.changes)

    def _compare_types(self, old: _Node, new: _Node, path: tuple[_Part, ...]) -> None:
        before, after = old.types - {"null"}, new.types - {"null"}
        if before != after:
            words = {"old": _type_words(before), "new": _type_words(after)}
            gained = _type_words(after - before) if after - before else words["new"]
            lost = _type_words(before - after) if before - after else words["old"]
            if _within(before, after):
                self.add(
                    path,
                    "type_widened",
                    forward=f"new writers may send {gained} values, which old readers reject",
                    **words,
                )
            elif _within(after, before):
                self.add(
                    path,
                    "type_narrowed",
                    backward=f"new readers reject {lost} values, which old writers may send",
                    **words,
                )
            else:
                self.add(
                    path,
                    "type_changed",
                    backward=f"new readers reject the {lost} values old writers send",
                    forward=f"old readers reject the {gained} values new writers send",
                    **words,
                )
        if "null" in new.types and "null" not in old.types and before:
            self.add(
                path,
                "nullability_added",
                forward="new writers may send null, which old readers reject",
                old=_describe(old),
                new=_describe(new),
            )
        elif "null" in old.types and "null" not in new.types and after:
            self.add(
                path,
                "nullability_removed",
                backward="new readers reject null, which old writers may send",
                old=_describe(old),
                new=_describe(new),
            )

    def _compare_enum(self, old: _Node, new: _Node, path: tuple[_Part, ...]) -> None:
        before, after = _enum(old.schema), _enum(new.schema)
        if before is None and after is None:
            return
        if before is None:
            assert after is not None
            values = " or ".join(json.dumps(v) for v in after)
            self.add(
                path,
                "enum_added",
                backward=f"new readers accept only {values}, and old writers may send any {_type_words(old.types)}",
                new=values,
            )
            return
        if after is None:
            values = " or ".join(json.dumps(v) for v in before)
            self.add(
                path,
                "enum_removed",
                forward=f"new writers may send values other than {values}, which old readers reject",
                old=values,
            )
            return
        old_keys, new_keys = {_canonical(v) for v in before}, {_canonical(v) for v in after}
        for value in after:
            if _canonical(value) not in old_keys:
                shown = json.dumps(value)
                self.add(
                    path,
                    "enum_value_added",
                    forward=f"new writers may send {shown}, which old readers reject",
                    new=shown,
                )
        for value in before:
            if _canonical(value) not in new_keys:
                shown = json.dumps(value)
                self.add(
                    path,
                    "enum_value_removed",
                    backward=f"new readers reject {shown}, which old writers may send",
                    old=shown,
                )

    def _compare_constraints(self, old: _Node, new: _Node, path: tuple[_Part, ...]) -> None:
        for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, "uniqueItems", *_EXACT_CONSTRAINTS):
            before, after = old.schema.get(keyword), new.schema.get(keyword)
            if keyword == "uniqueItems":
                before, after = before or None, after or None
            if _canonical(before) == _canonical(after):
                continue
            if keyword in _LOWER_BOUNDS:
                tighter = before is None or (after is not None and after > before)
            elif keyword in _UPPER_BOUNDS:
                tighter = before is None or (after is not None and after < before)
            elif before is None or after is None:
                tighter = before is None
            else:
                self.add(
                    path,
                    "constraint_changed",
                    backward=f"new readers reject values the old {keyword} allowed",
                    forward=f"old readers reject values the new {keyword} allows",
                    old=f"{keyword} {json.dumps(before)}",
                    new=f"{keyword} {json.dumps(after)}",
                )
                continue
            words = {
                "old": f"{keyword} {json.dumps(before)}" if before is not None else f"no {keyword}",
                "new": f"{keyword} {json.dumps(after)}" if after is not None else f"no {keyword}",
            }
            if tighter:
                self.add(
                    path, "constraint_tightened", backward="new readers reject values old writers may send", **words
                )
            else:
                self.add(path, "constraint_loosened", forward="new writers may send values old readers reject", **words)

    def _compare_unjudged(self, old: _Node, new: _Node, path: tuple[_Part, ...]) -> None:
        for keyword in _UNJUDGED_KEYWORDS:
            if _canonical(old.schema.get(keyword)) != _canonical(new.schema.get(keyword)):
                why = (
                    f"the {keyword} keyword changed and thrillpots diff does not judge {keyword}, "
                    "so it cannot vouch for either direction; review the change by hand"
                )
                self.add(path, "unsupported_change", backward=why, forward=why, new=keyword)

    def _compare_objects(self, old: _Node, new: _Node, path: tuple[_Part, ...]) -> None:
        old_fields: Mapping[str, Any] = old.schema.get("properties") or {}
        new_fields: Mapping[str, Any] = new.schema.get("properties") or {}
        old_required, new_required = set(old.schema.get("required") or ()), set(new.schema.get("required") or ())
        old_extra, new_extra = _further_keys(old), _further_keys(new)
        for name in [*old_fields, *(n for n in new_fields if n not in old_fields)]:
            where = (*path, name)
            if name in old_fields and name in new_fields:
                self.compare(old.child(old_fields[name]), new.child(new_fields[name]), where)
            elif name in new_fields:
                self._field_added(new.child(new_fields[name]), name in new_required, old_extra, where)
                continue
            else:
                self._field_removed(old.child(old_fields[name]), name in old_required, new_extra, where)
                continue
            self._compare_required(name, name in old_required, name in new_required, where)
        for name in sorted((old_required ^ new_required) - set(old_fields) - set(new_fields)):
            self._compare_required(name, name in old_required, name in new_required, (*path, name))
        self._compare_further_keys(old_extra, new_extra, path)

    def _compare_required(self, name: str, before: bool, after: bool, where: tuple[_Part, ...]) -> None:
        if after and not before:
            self.add(where, "required_added", backward=f"new readers require {name}, which old writers may omit")
        elif before and not after:
            self.add(where, "required_removed", forward=f"new writers may omit {name}, which old readers require")

    def _field_added(self, added: _Node, required: bool, old_extra: _Node | None, where: tuple[_Part, ...]) -> None:
        name = str(where[-1])
        backward = f"new readers require {name}, which old writers do not send" if required else None
        forward = None
        compatible = f"old readers ignore {name} as an unknown field, and new readers do not require it"
        if old_extra is not None and not old_extra.types:
            forward = f"old readers reject {name} as an unknown field (additionalProperties is false)"
        elif old_extra is not None:
            compatible = f"old readers accept {name} as a further key of the map, and new readers do not require it"
            if not self.fits(added, old_extra):
                forward = (
                    f"old readers take {name} for a further key of the map and accept only {_describe(old_extra)} there"
                )
            if not self.fits(old_extra, added):
                backward = backward or (
                    f"old writers may send {name} as a further key with {_describe(old_extra)} values, "
                    "which new readers reject"
                )
        self.add(where, "field_added", backward=backward, forward=forward, compatible=compatible, new=_describe(added))

    def _field_removed(self, removed: _Node, required: bool, new_extra: _Node | None, where: tuple[_Part, ...]) -> None:
        name = str(where[-1])
        forward = f"old readers require {name}, which new writers no longer send" if required else None
        backward = None
        compatible = f"new readers ignore {name} as an unknown field, and old readers do not require it"
        if new_extra is not None and not new_extra.types:
            backward = f"new readers reject {name} as an unknown field (additionalProperties is false), and old writers send it"
        elif new_extra is not None:
            compatible = f"new readers accept {name} as a further key of the map, and old readers do not require it"
            if not self.fits(removed, new_extra):
                backward = f"new readers take {name} for a further key of the map and reject its old {_describe(removed)} values"
            if not self.fits(new_extra, removed):
                forward = forward or (
                    f"new writers may send {name} as a further key with {_describe(new_extra)} values, "
                    "which old readers reject"
                )
        self.add(
            where, "field_removed", backward=backward, forward=forward, compatible=compatible, old=_describe(removed)
        )

    def _compare_further_keys(self, old: _Node | None, new: _Node | None, path: tuple[_Part, ...]) -> None:
        """``additionalProperties``: None is open (any further field), a typeless node is closed."""
        if old is not None and new is not None and old.types and new.types:
            self.compare(old, new, (*path, _Marker.MAP_VALUES))
            return
        before, after = _content_model(old), _content_model(new)
        if before == after:
            return
        words = {"old": _further_words(old), "new": _further_words(new)}
        if (before, after) == ("open", "closed"):
            self.add(path, "additional_properties_closed",
                     backward="new readers reject unknown fields, which old writers were allowed to send", **words)  # fmt: skip
        elif (before, after) == ("closed", "open"):
            self.add(path, "additional_properties_opened",
                     forward="new writers may send unknown fields, which old readers reject", **words)  # fmt: skip
        elif (before, after) in (("open", "map"), ("map", "closed")):
            self.add(path, "additional_properties_restricted",
                     backward="new readers reject further fields that old writers were allowed to send", **words)  # fmt: skip
        else:
            self.add(path, "additional_properties_relaxed",
                     forward="new writers may send further fields that old readers reject", **words)  # fmt: skip

    def _compare_arrays(self, old: _Node, new: _Node, path: tuple[_Part, ...]) -> None:
        old_prefix, new_prefix = old.schema.get("prefixItems") or [], new.schema.get("prefixItems") or []
        old_rest, new_rest = old.schema.get("items", True), new.schema.get("items", True)
        for index in range(max(len(old_prefix), len(new_prefix))):
            before = old_prefix[index] if index < len(old_prefix) else old_rest
            after = new_prefix[index] if index < len(new_prefix) else new_rest
            self.compare(old.child(before), new.child(after), (*path, index))
        self.compare(old.child(old_rest), new.child(new_rest), (*path, "*"))


def _further_keys(node: _Node) -> _Node | None:
    """The schema of fields ``properties`` does not name: None when any value is allowed."""
    extra = node.schema.get("additionalProperties", True)
    if extra is True or extra == {}:
        return None
    further = node.child(extra)
    return None if further.types == _ALL_TYPES and not set(further.schema) - _ANNOTATIONS else further


def _content_model(further: _Node | None) -> str:
    if further is None:
        return "open"
    return "closed" if not further.types else "map"


def _further_words(further: _Node | None) -> str:
    model = _content_model(further)
    if model == "open":
        return "unknown fields ignored"
    if model == "closed":
        return "unknown fields rejected"
    assert further is not None
    return f"further keys hold {_describe(further)}"

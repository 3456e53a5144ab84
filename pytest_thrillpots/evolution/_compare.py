"""The side-by-side walk of an old and a new schema: every difference as a ``ContractChange``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import jsonschema_rs

from pytest_thrillpots._errors import ContractSourceError
from pytest_thrillpots.evolution._change import BACKWARD, FORWARD, ContractChange
from pytest_thrillpots.evolution._limits import MAX_COMPARED, MAX_SCHEMA_DEPTH
from pytest_thrillpots.evolution._schema import (
    ANY_VALUE,
    LOWER_BOUNDS,
    UPPER_BOUNDS,
    Marker,
    Part,
    SchemaNode,
    as_sentence,
    canonical_json,
    content_model,
    describe_node,
    expanded_json,
    further_keys,
    further_words,
    is_annotation,
    render_parts,
    schema_enum,
    type_words,
    types_within,
)

_LOWER_BOUNDS: Final = LOWER_BOUNDS


_UPPER_BOUNDS: Final = UPPER_BOUNDS


_EXACT_CONSTRAINTS: Final = ("pattern", "format", "multipleOf", "contentEncoding", "contentMediaType")


_UNJUDGED_KEYWORDS: Final = (
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependentRequired",
    "patternProperties", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains",
    "additionalItems", "dependencies", "$dynamicRef", "$recursiveRef",
)  # fmt: skip


_COMPARED_KEYWORDS: Final = frozenset(
    {"type", "enum", "const", "properties", "required", "additionalProperties", "items", "prefixItems", "uniqueItems",
     "$ref", "$defs", "definitions", "$id", "$anchor", "$dynamicAnchor", "$vocabulary",
     *LOWER_BOUNDS, *UPPER_BOUNDS, *_EXACT_CONSTRAINTS, *_UNJUDGED_KEYWORDS}
)  # fmt: skip
"""Keywords compared above, or by following ``$ref`` (``$defs``, ``$id``); any other that changes is reported."""


def _dialect(value: Any) -> Any:
    """The draft a validator reads a schema with this ``$schema`` in: none, or one it does not know, is 2020-12."""
    return jsonschema_rs.validator_cls_for({} if value is None else {"$schema": value}).__name__


def payload_parts(path: tuple[Part, ...]) -> tuple[str | int, ...]:
    """Where in the payload a change is: further keys of a map are any key (``"*"``); a place in
    ``$defs`` may be used anywhere, and the headers are outside the payload, so both are the event itself."""
    if path and path[0] in (Marker.DEFS, Marker.HEADERS):
        return ()
    return tuple("*" if isinstance(part, Marker) else part for part in path)


@dataclass
class Comparer:
    """Walks an old and a new schema side by side and records each change."""

    event: str
    changes: list[ContractChange]
    _active: set[tuple[int, int]] = field(default_factory=set)
    _depth: int = 0
    """Schemas being compared, one inside the other (a probe of ``fits`` starts where its caller is)."""
    _budget: list[int] = field(default_factory=lambda: [MAX_COMPARED])
    """Pairs of schemas still to compare for this event, shared with the probes."""

    def add(
        self,
        path: tuple[Part, ...],
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
        reason = as_sentence("; ".join(reasons) if reasons else compatible)
        self.changes.append(
            ContractChange(self.event, render_parts(path), kind, breaks, reason, old, new, parts=payload_parts(path))
        )

    def compare(self, old: SchemaNode, new: SchemaNode, path: tuple[Part, ...]) -> None:
        key = (id(old.schema), id(new.schema))
        if old.schema is new.schema is ANY_VALUE or key in self._active:
            return  # a recursive structure: this pair is being compared further up
        if self._depth >= MAX_SCHEMA_DEPTH:
            shown = render_parts(path[:6]) + ("..." if len(path) > 6 else "")
            raise ContractSourceError(
                f"{self.event}: its schemas nest more than {MAX_SCHEMA_DEPTH} levels deep (at {shown}, "
                f"through $ref); thrillpots diff judges schemas up to {MAX_SCHEMA_DEPTH} levels"
            )
        self._budget[0] -= 1
        if self._budget[0] < 0:
            raise ContractSourceError(
                f"{self.event}: its schemas expand, through $ref, to more than {MAX_COMPARED:,} places to compare; "
                "thrillpots diff refuses schemas that large"
            )
        self._active.add(key)
        self._depth += 1
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
            self._depth -= 1

    def compare_definitions(self, old: SchemaNode, new: SchemaNode) -> None:
        """``$defs`` both versions keep (RaffleWinEvent's legacy winner tuple) are compared like fields."""
        old_defs, new_defs = old.schema.get("$defs") or {}, new.schema.get("$defs") or {}
        for name in old_defs:
            if name in new_defs:
                self.compare(old.child(old_defs[name]), new.child(new_defs[name]), (Marker.DEFS, name))

    def fits(self, narrow: SchemaNode, wide: SchemaNode) -> bool:
        """True when every value ``narrow`` accepts, ``wide`` accepts too."""
        probe = Comparer(self.event, [], _depth=self._depth, _budget=self._budget)
        probe.compare(narrow, wide, ())
        return not any(BACKWARD in c.breaks for c in probe.changes)

    def _compare_types(self, old: SchemaNode, new: SchemaNode, path: tuple[Part, ...]) -> None:
        before, after = old.types - {"null"}, new.types - {"null"}
        if before != after:
            words = {"old": type_words(before), "new": type_words(after)}
            gained = type_words(after - before) if after - before else words["new"]
            lost = type_words(before - after) if before - after else words["old"]
            if types_within(before, after):
                self.add(
                    path,
                    "type_widened",
                    forward=f"new writers may send {gained} values, which old readers reject",
                    **words,
                )
            elif types_within(after, before):
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
                old=describe_node(old),
                new=describe_node(new),
            )
        elif "null" in old.types and "null" not in new.types and after:
            self.add(
                path,
                "nullability_removed",
                backward="new readers reject null, which old writers may send",
                old=describe_node(old),
                new=describe_node(new),
            )

    def _compare_enum(self, old: SchemaNode, new: SchemaNode, path: tuple[Part, ...]) -> None:
        before, after = schema_enum(old.schema), schema_enum(new.schema)
        if before is None and after is None:
            return
        if before is None:
            assert after is not None
            values = " or ".join(json.dumps(v) for v in after)
            self.add(
                path,
                "enum_added",
                backward=f"new readers accept only {values}, and old writers may send any {type_words(old.types)}",
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
        old_keys, new_keys = {canonical_json(v) for v in before}, {canonical_json(v) for v in after}
        for value in after:
            if canonical_json(value) not in old_keys:
                shown = json.dumps(value)
                self.add(
                    path,
                    "enum_value_added",
                    forward=f"new writers may send {shown}, which old readers reject",
                    new=shown,
                )
        for value in before:
            if canonical_json(value) not in new_keys:
                shown = json.dumps(value)
                self.add(
                    path,
                    "enum_value_removed",
                    backward=f"new readers reject {shown}, which old writers may send",
                    old=shown,
                )

    def _compare_constraints(self, old: SchemaNode, new: SchemaNode, path: tuple[Part, ...]) -> None:
        for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, "uniqueItems", *_EXACT_CONSTRAINTS):
            if keyword not in old.schema and keyword not in new.schema:
                continue
            before, after = old.schema.get(keyword), new.schema.get(keyword)
            if keyword == "uniqueItems":
                before, after = before or None, after or None
            if canonical_json(before) == canonical_json(after):
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

    def _compare_unjudged(self, old: SchemaNode, new: SchemaNode, path: tuple[Part, ...]) -> None:
        """Keywords not judged, with what their ``$ref``s lead to; and any keyword this module does not know."""
        unknown = [k for k in dict.fromkeys([*old.schema, *new.schema]) if k not in _COMPARED_KEYWORDS]
        for keyword in (*_UNJUDGED_KEYWORDS, *unknown):
            if (keyword not in old.schema and keyword not in new.schema) or is_annotation(keyword):
                continue
            if keyword == "$schema":
                changed = _dialect(old.schema.get(keyword)) != _dialect(new.schema.get(keyword))
            else:
                before = expanded_json(old.contracts, old.doc, old.schema.get(keyword), keyword=keyword)
                changed = before != expanded_json(new.contracts, new.doc, new.schema.get(keyword), keyword=keyword)
            if changed:
                why = (
                    f"the {keyword} keyword changed and thrillpots diff does not judge {keyword}, "
                    "so it cannot vouch for either direction; review the change by hand"
                )
                self.add(path, "unsupported_change", backward=why, forward=why, new=keyword)

    def _compare_objects(self, old: SchemaNode, new: SchemaNode, path: tuple[Part, ...]) -> None:
        old_fields: Mapping[str, Any] = old.schema.get("properties") or {}
        new_fields: Mapping[str, Any] = new.schema.get("properties") or {}
        old_required, new_required = set(old.schema.get("required") or ()), set(new.schema.get("required") or ())
        old_extra, new_extra = further_keys(old), further_keys(new)
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

    def _compare_required(self, name: str, before: bool, after: bool, where: tuple[Part, ...]) -> None:
        if after and not before:
            self.add(where, "required_added", backward=f"new readers require {name}, which old writers may omit")
        elif before and not after:
            self.add(where, "required_removed", forward=f"new writers may omit {name}, which old readers require")

    def _field_added(
        self, added: SchemaNode, required: bool, old_extra: SchemaNode | None, where: tuple[Part, ...]
    ) -> None:
        name = str(where[-1])
        backward = f"new readers require {name}, which old writers do not send" if required else None
        forward = None
        compatible = f"old readers ignore {name} as an unknown field, and new readers do not require it"
        if old_extra is not None and not old_extra.types:
            forward = f"old readers reject {name} as an unknown field (additionalProperties is false)"
        elif old_extra is not None:
            compatible = f"old readers accept {name} as a further key of the map, and new readers do not require it"
            if not self.fits(added, old_extra):
                forward = f"old readers take {name} for a further key of the map and accept only {describe_node(old_extra)} there"
            if not self.fits(old_extra, added):
                backward = backward or (
                    f"old writers may send {name} as a further key with {describe_node(old_extra)} values, "
                    "which new readers reject"
                )
        self.add(
            where, "field_added", backward=backward, forward=forward, compatible=compatible, new=describe_node(added)
        )

    def _field_removed(
        self, removed: SchemaNode, required: bool, new_extra: SchemaNode | None, where: tuple[Part, ...]
    ) -> None:
        name = str(where[-1])
        forward = f"old readers require {name}, which new writers no longer send" if required else None
        backward = None
        compatible = f"new readers ignore {name} as an unknown field, and old readers do not require it"
        if new_extra is not None and not new_extra.types:
            backward = f"new readers reject {name} as an unknown field (additionalProperties is false), and old writers send it"
        elif new_extra is not None:
            compatible = f"new readers accept {name} as a further key of the map, and old readers do not require it"
            if not self.fits(removed, new_extra):
                backward = f"new readers take {name} for a further key of the map and reject its old {describe_node(removed)} values"
            if not self.fits(new_extra, removed):
                forward = forward or (
                    f"new writers may send {name} as a further key with {describe_node(new_extra)} values, "
                    "which old readers reject"
                )
        self.add(
            where,
            "field_removed",
            backward=backward,
            forward=forward,
            compatible=compatible,
            old=describe_node(removed),
        )

    def _compare_further_keys(self, old: SchemaNode | None, new: SchemaNode | None, path: tuple[Part, ...]) -> None:
        """``additionalProperties``: None is open (any further field), a typeless node is closed."""
        if old is not None and new is not None and old.types and new.types:
            self.compare(old, new, (*path, Marker.MAP_VALUES))
            return
        before, after = content_model(old), content_model(new)
        if before == after:
            return
        words = {"old": further_words(old), "new": further_words(new)}
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

    def _compare_arrays(self, old: SchemaNode, new: SchemaNode, path: tuple[Part, ...]) -> None:
        old_prefix, new_prefix = old.schema.get("prefixItems") or [], new.schema.get("prefixItems") or []
        old_rest, new_rest = old.schema.get("items", True), new.schema.get("items", True)
        for index in range(max(len(old_prefix), len(new_prefix))):
            before = old_prefix[index] if index < len(old_prefix) else old_rest
            after = new_prefix[index] if index < len(new_prefix) else new_rest
            self.compare(old.child(before), new.child(after), (*path, index))
        self.compare(old.child(old_rest), new.child(new_rest), (*path, "*"))

"""The violation collector, generated from the spec model: every violation of a payload in one walk.

For each event type and mode, Python source is generated once from the spec model (``Node``) and
compiled, as fastjsonschema does with a schema, except that it collects every violation instead of
stopping at the first. The generated code is only exact-type tests on the fields the model lists
(``type(x) is str``), in the model's order; anything that fails one goes to a shared helper
(``_judged``, then ``_wrong``) that decides, by the JSON type definition of ``_json``, which rule it breaks, if any
(an ``IntEnum`` in a number field breaks none). What is reported is recorded, not worded: each
violation keeps its place and value and builds its pointer and message from them, with the
builders of ``_violation``, when first read.

Two variants per mode: ``trusted`` for the output of a JSON parser (every value is a plain dict,
list, str, int, float, bool or None, and nothing nests where the spec does not look), and the
other for a payload built in Python, which may hold subclasses, tuples, NaN, values with no JSON
form, cycles, and keys that are not strings; that variant checks all of them.

Violations come in the order the schema engine reports them (``order``): per object, the missing
fields in the spec's order, then the fields in the payload's order (each with what is inside
it), then the unknown ones; array items in order.

What the model does not describe is the schema engine's: a winner in the legacy tuple form, when
that form is allowed, is handed to it one winner at a time (``legacy=True``). A form of the spec
the generator does not turn into code (``Unsupported``: an enum of other values than strings,
an open map of containers or of mixed shapes) would leave that event type to the engine
altogether; no schema has one today.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytest_thrillpots.spec import Node
from pytest_thrillpots.spec._paths import PathPart, to_pointer
from pytest_thrillpots.validation._engine import explain, legacy_winner_engine
from pytest_thrillpots.validation._json import NotJson, Walk, is_finite, json_key, json_type, kind_name, plain_json
from pytest_thrillpots.validation._legacy import is_winner_item
from pytest_thrillpots.validation._violation import (
    Fields,
    Rule,
    Violation,
    cached_pointer,
    enum_fields,
    enum_words,
    legacy_fields,
    missing_fields,
    not_finite_fields,
    not_object_fields,
    null_fields,
    pending,
    type_fields,
    unknown_fields,
)

Collector = Callable[[object], list[Violation]]


class Unsupported(Exception):
    """A form of the spec the generator does not turn into code: the engine handles that type."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""What the generated code reads for a field the payload lacks."""


class _Slot:
    """A dynamic step of a place's pattern: an array index, or a key of an open map."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


ITEM = _Slot("ITEM")
KEY = _Slot("KEY")


class Place:
    """One place of the spec model (a pattern with ``ITEM``/``KEY`` steps) and what is reported there."""

    __slots__ = (
        "contents",
        "enum_words",
        "event_type",
        "expected",
        "keys",
        "legacy",
        "legacy_form",
        "listed",
        "node",
        "pattern",
        "pieces",
        "rank",
        "verdicts",
    )

    def __init__(self, event_type: str, pattern: tuple[Any, ...], node: Node, rank: int = -1) -> None:
        self.event_type = event_type
        self.pattern = pattern
        self.node = node
        self.rank = rank
        """The field's index among its object's listed fields (the order of missing fields)."""
        self.listed: frozenset[str] = frozenset(node.fields)
        self.keys: dict[str, Place] = {}
        """An open map's listed keys, each a place of its own (where a missing one is reported)."""
        self.contents: Callable[[list[Violation], tuple[Any, ...], Any], None] | None = None
        """For a container: checks one that is a subclass or a tuple (payloads built in Python)."""
        self.legacy = is_winner_item(event_type, [0 if part is ITEM else part for part in pattern])
        """A RaffleWinEvent winner: an array there is the legacy tuple form, with its own rule."""
        self.legacy_form: Callable[[list[Violation], Place, tuple[Any, ...], Any], None] | None = None
        """With legacy winners allowed: the check of a winner in the tuple form (by the engine)."""
        self.verdicts: dict[type, tuple[Rule, Any] | None] = {}
        self.expected = node.describe()
        """What the spec asks for here, in its terms (the listed and further keys of a map alike)."""
        self.enum_words = enum_words(node.enum) if node.enum is not None else ""
        self.pieces = _pieces(pattern)
        """The pointer's fixed text around each dynamic step (one piece more than steps)."""

    def pointer(self, dyn: tuple[Any, ...]) -> str:
        """The JSON Pointer of the place with its dynamic steps filled in: ``/pots/1/id``."""
        pieces = self.pieces
        if len(pieces) == 1:
            return pieces[0]
        if len(pieces) == 2:  # one dynamic step, the common case
            return pieces[0] + _step_text(dyn[0]) + pieces[1]
        text = pieces[0]
        for step, piece in zip(dyn, pieces[1:], strict=True):
            text += _step_text(step) + piece
        return text

    def concrete(self, dyn: tuple[Any, ...]) -> tuple[PathPart, ...]:
        """The pattern with its dynamic steps filled in: ``("pots", 1, "id")``."""
        if not dyn:
            return self.pattern
        steps = iter(dyn)
        return tuple(
            next(steps) if part is ITEM else _key_text(next(steps)) if part is KEY else part for part in self.pattern
        )


def _pieces(pattern: tuple[Any, ...]) -> list[str]:
    pieces: list[str] = []
    run: list[Any] = []
    for part in pattern:
        if isinstance(part, _Slot):
            pieces.append(to_pointer(run) + "/")
            run = []
        else:
            run.append(part)
    return [*pieces, to_pointer(run)]


def _step_text(step: Any) -> str:
    """A dynamic step as a pointer writes it: an index, or a map key escaped (RFC 6901)."""
    if type(step) is int:
        return str(step)
    return _key_text(step).replace("~", "~0").replace("/", "~1")


def _key_text(key: Any) -> str:
    return key if type(key) is str else json_key(key) or str(key)


# The builders a recorded violation calls when first read; each uses the one wording of its rule.


def _build_missing(place: Place, dyn: tuple[Any, ...], value: object = None) -> Fields:
    return missing_fields(place.pointer(dyn), place.expected)


def _build_null(place: Place, dyn: tuple[Any, ...], value: object) -> Fields:
    return null_fields(place.pointer(dyn), place.expected)


def _build_type(place: Place, dyn: tuple[Any, ...], value: object) -> Fields:
    return type_fields(place.pointer(dyn), place.expected, value)


def _build_enum(place: Place, dyn: tuple[Any, ...], value: object) -> Fields:
    return enum_fields(place.pointer(dyn), place.enum_words, value)


def _build_legacy(place: Place, dyn: tuple[Any, ...], value: object) -> Fields:
    return legacy_fields(place.pointer(dyn), value)


def _build_not_object(place: Place, dyn: tuple[Any, ...], value: object) -> Fields:
    return not_object_fields(place.event_type, value)


def _build_unknown(place: Place, dyn: tuple[Any, ...], name: str, value: object) -> Fields:
    return unknown_fields(cached_pointer((*place.concrete(dyn), name)), place.node.structure, value)


_BUILDERS: dict[str, Callable[..., Fields]] = {
    "missing": _build_missing,
    "null": _build_null,
    "type": _build_type,
    "enum": _build_enum,
    "legacy_tuple": _build_legacy,
    "not_object": _build_not_object,
}
"""The builder of each rule's fields at a place: the wording is ``_violation``'s."""


def _build_not_finite(parts: tuple[PathPart, ...], value: float) -> Fields:
    return not_finite_fields(cached_pointer(parts), value)


# What the generated code calls when an exact-type test fails (or a key check is due).

_CONTENTS = "contents"
"""The verdict for a container of the right JSON type (a subclass, a tuple): check what it holds."""
_LEGACY_FORM = "legacy form"
"""The verdict for a winner in the legacy tuple form where that form is allowed: the engine's."""


def _verdict(place: Place, value: object) -> Rule | str | None:
    """The rule ``value`` breaks at ``place``; None if it breaks none; or ``_CONTENTS``."""
    if value is MISSING:
        return "missing"
    node = place.node
    kind = json_type(value)
    if kind is None:
        raise NotJson(place.concrete(()), kind_name(value))
    if not place.pattern:
        return _CONTENTS if kind == "object" else "not_object"
    if kind == "null":
        return None if node.nullable else "null"
    if kind == "number":
        assert isinstance(value, (int, float))
        return None if node.kind == "number" and is_finite(value) else "type"
    if kind == node.kind:
        if kind == "string":
            return None if node.enum is None or value in node.enum else "enum"
        return None if kind == "boolean" else _CONTENTS
    if kind == "array" and place.legacy:
        return "legacy_tuple" if place.legacy_form is None else _LEGACY_FORM
    return "type"


def _wrong(out: list[Violation], place: Place, dyn: tuple[Any, ...], value: object) -> None:
    """Report what is wrong with ``value`` at ``place``, if anything: the slow half of each test."""
    try:
        verdict = _verdict(place, value)
    except NotJson as exc:
        raise NotJson(place.concrete(dyn), exc.what) from None
    if verdict is None:
        return
    if verdict == _CONTENTS:  # a dict or list subclass, a tuple: what it holds is checked the same way
        assert place.contents is not None
        place.contents(out, dyn, value)
        return
    if verdict == _LEGACY_FORM:
        assert place.legacy_form is not None
        place.legacy_form(out, place, dyn, value)
        return
    out.append(pending(verdict, _BUILDERS[verdict], place, dyn, value))  # type: ignore[arg-type]
    if isinstance(value, (dict, list, tuple)):  # wrong as a whole, yet what it holds must have a JSON form
        check_content(out, place.concrete(dyn), value, judge_numbers=False)


_SAMPLES: tuple[object, ...] = (MISSING, None, "\x00 not in any enum", 0, float("nan"), True, {}, [])
"""One value of each exact type a JSON parser returns (and MISSING), to fill a place's verdicts."""


def _verdicts(place: Place, trusted: bool) -> dict[type, tuple[Rule, Any] | None]:
    """The verdict at ``place`` for each exact type, where it depends on nothing else.

    The generated tests hand a value over only when it fails them: a str reaches an enum's
    verdict only when it is no member, a float a number's only when it is NaN or infinite. A
    container needs its contents looked at (a tuple, or Python's values anywhere): not here.
    """
    table: dict[type, tuple[Rule, Any] | None] = {}
    for sample in _SAMPLES:
        if not trusted and isinstance(sample, (dict, list)):
            continue
        verdict = _verdict(place, sample)
        if verdict in (_CONTENTS, _LEGACY_FORM):
            continue
        build = None if verdict is None else _BUILDERS[verdict]
        table[type(sample)] = None if verdict is None else (verdict, build)  # type: ignore[assignment]
    return table


def _legacy_form(strict: bool) -> Callable[[list[Violation], Place, tuple[Any, ...], Any], None]:
    def check(out: list[Violation], place: Place, dyn: tuple[Any, ...], value: object) -> None:
        """A winner in the legacy tuple form, which the model does not describe: the engine checks it."""
        parts = place.concrete(dyn)
        try:
            item = plain_json(value)
        except NotJson as exc:
            raise NotJson((*parts, *exc.parts), exc.what) from None
        validator = legacy_winner_engine(strict)
        if not validator.is_valid(item):
            out.extend(explain(validator, item, place.event_type, True, parts))

    return check


_new = object.__new__
_set_rule = Violation.__dict__["rule"].__set__
_set_source = Violation.__dict__["_source"].__set__


def _judged(out: list[Violation], place: Place, dyn: tuple[Any, ...], value: object) -> None:
    """``_wrong`` for the common case: the verdict looked up by the value's exact type."""
    try:
        verdict = place.verdicts[type(value)]
    except KeyError:
        _wrong(out, place, dyn, value)
        return
    if verdict is not None:
        violation = _new(Violation)  # pending(), inlined: this runs for every violation found
        _set_rule(violation, verdict[0])
        _set_source(violation, (verdict[1], (place, dyn, value)))
        out.append(violation)


def _keys(strict: bool, trusted: bool) -> Callable[[list[Violation], Place, tuple[Any, ...], Any], None]:
    def keys(out: list[Violation], place: Place, dyn: tuple[Any, ...], obj: Any) -> None:
        """A listed object's fields the spec does not list: unknown in strict mode; JSON, always."""
        extra = obj.keys() - place.listed
        for key in extra if len(extra) < 2 else [key for key in obj if key in extra]:  # the payload's order
            value = obj[key]
            name = key if trusted else _checked_key(obj, key, place.concrete(dyn))
            if not trusted:
                check_content(out, (*place.concrete(dyn), name), value)
            if strict:
                out.append(pending("unknown_field", _build_unknown, place, dyn, name, value))

    return keys


def _map_key(out: list[Violation], place: Place, dyn: tuple[Any, ...], obj: Any, key: object) -> None:
    """An open map's key that is not a str: fine if JSON writes it as a string no other key has."""
    _checked_key(obj, key, place.concrete(dyn))


def _missing_keys(out: list[Violation], place: Place, dyn: tuple[Any, ...], obj: Any) -> None:
    """An open map's listed keys that are not there, in the spec's order."""
    for name, key_place in place.keys.items():
        if name not in obj:
            out.append(pending("missing", _build_missing, key_place, dyn))


def _free_form(out: list[Violation], place: Place, dyn: tuple[Any, ...], obj: Any) -> None:
    check_content(out, place.concrete(dyn), obj)


def _checked_key(obj: Any, key: object, where: tuple[PathPart, ...]) -> str:
    if type(key) is str:
        return key
    name = json_key(key)
    if name is None:
        raise NotJson(where, f"a key of type {type(key).__name__}")
    if type(key) is not str and name in obj:
        raise NotJson((*where, name), f"two keys that JSON writes alike ({key!r} and {name!r})")
    return name


_PLAIN = frozenset({str, int, bool, type(None)})
"""Exact types whose every value has a JSON form (a float may be NaN; a container holds more)."""
_STR = frozenset({str})


def check_content(
    out: list[Violation], parts: tuple[PathPart, ...], value: object, *, judge_numbers: bool = True
) -> None:
    """Every value inside ``value`` has a JSON form (else ``NotJson``); NaN and infinities are reported.

    A loop, not recursion: content the spec does not describe (``metadata``) may nest deeper than
    Python recurses, and a container that holds itself is found, not followed forever.
    """
    if type(value) is dict:  # the common case, a flat object of plain scalars: tested in C
        if _PLAIN.issuperset(map(type, value.values())) and _STR.issuperset(map(type, value)):
            return
    elif type(value) is list and _PLAIN.issuperset(map(type, value)):
        return
    kind = json_type(value)
    if kind is None:
        raise NotJson(parts, kind_name(value))
    if kind == "number":
        assert isinstance(value, (int, float))
        if judge_numbers and not is_finite(value):
            out.append(pending("type", _build_not_finite, parts, value))
        return
    if kind not in ("array", "object"):
        return
    walk = Walk(value, parts)
    while walk.frames:
        for step, item in walk.frames[-1][2]:
            item_kind = json_type(item)
            if item_kind is None:
                raise NotJson(walk.path(step), kind_name(item))
            if item_kind == "number":
                if judge_numbers and not is_finite(item):
                    out.append(pending("type", _build_not_finite, walk.path(step), item))
            elif item_kind in ("array", "object"):
                walk.push(step, item)
                break
        else:
            walk.pop()


# Ordering: the schema engine's order, computed only when a payload has two violations or more.


# The generator.


__all__ = ["MISSING", "Collector", "Unsupported", "check_content"]

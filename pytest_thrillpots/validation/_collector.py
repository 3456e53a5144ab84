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

import functools
from collections.abc import Callable
from typing import Any

from pytest_thrillpots.spec import Node, spec
from pytest_thrillpots.spec._paths import PathPart, pointer_index_parts, to_pointer
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


def order(out: list[Violation], payload: object) -> None:
    out.sort(key=lambda violation: _order_key(violation, payload))


def _order_key(violation: Violation, payload: object) -> tuple[tuple[int, int], ...]:
    source = getattr(violation, "_source", None)
    kind, rank = "value", -1
    if source is None:  # the engine's, for a legacy winner: its order inside the winner is the engine's
        parts: tuple[PathPart, ...] = tuple(pointer_index_parts(violation.path))
        kind = {"missing": "missing", "unknown_field": "unknown"}.get(violation.rule, "value")
    else:
        build, args = source
        if build is _build_not_finite:
            parts = args[0]
        else:
            place, dyn = args[0], args[1]
            parts = place.concrete(dyn)
            if build is _build_missing:
                kind, rank = "missing", place.rank
            elif build is _build_unknown:
                kind, parts = "unknown", (*parts, args[2])
    key: list[tuple[int, int]] = []
    value: Any = payload
    last = len(parts) - 1
    for depth, part in enumerate(parts):
        if isinstance(value, dict):
            if depth == last and kind == "missing":
                key.append((0, rank))
                break
            position, value = _find(value, part)
            key.append((2 if depth == last and kind == "unknown" else 1, position))
        elif isinstance(value, (list, tuple)) and isinstance(part, int):
            key.append((1, part))
            value = value[part]
        else:
            break
    return tuple(key)


def _find(obj: dict[Any, Any], name: PathPart) -> tuple[int, Any]:
    text = str(name)  # a pointer read back makes "0" an index
    for position, (key, item) in enumerate(obj.items()):
        if (key if type(key) is str else json_key(key)) == text:
            return position, item
    return len(obj), None  # pragma: no cover - every reported part is in the payload


# The generator.


class _Generator:
    def __init__(self, event_type: str, strict: bool, trusted: bool, legacy: bool) -> None:
        self.event_type = event_type
        self.strict = strict
        self.trusted = trusted
        self.legacy_form = _legacy_form(strict) if legacy else None
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "M": MISSING,
            "W": _judged,
            "K": _keys(strict, trusted),
            "MK": _missing_keys,
            "KEY": _map_key,
            "C": _free_form,
            "NUM": (int, float),
        }
        self.standalone: list[tuple[Place, Node, tuple[Any, ...]]] = []

    def const(self, value: object, prefix: str) -> str:
        name = f"{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def place(self, pattern: tuple[Any, ...], node: Node, rank: int = -1) -> tuple[str, Place]:
        place = Place(self.event_type, pattern, node, rank)
        if place.legacy:
            place.legacy_form = self.legacy_form
        place.verdicts = _verdicts(place, self.trusted)
        if node.kind in ("array", "object") and not self.trusted:
            self.standalone.append((place, node, pattern))
        return self.const(place, "P"), place

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    @staticmethod
    def dyn(prefix: bool, steps: list[str]) -> str:
        if prefix:
            return f"(*dyn, {', '.join(steps)})" if steps else "dyn"
        return f"({', '.join(steps)},)" if steps else "()"

    def value(
        self,
        node: Node,
        pattern: tuple[Any, ...],
        x: str,
        depth: int,
        steps: list[str],
        prefix: bool,
        indent: int,
        rank: int = -1,
    ) -> None:
        """Checks of the value in variable ``x`` (``M`` when missing) against ``node``."""
        name, place = self.place(pattern, node, rank)
        wrong = f"W(out, {name}, {self.dyn(prefix, steps)}, {x})"
        otherwise = f"elif {x} is not None: {wrong}" if node.nullable else f"else: {wrong}"
        if node.enum is not None:
            if not all(type(option) is str for option in node.enum):
                raise Unsupported(f"an enum of other values than strings at {pattern}")
            test = f"type({x}) is not str or {x} not in {self.const(frozenset(node.enum), 'E')}"
        elif node.kind == "string":
            test = f"type({x}) is not str"
        elif node.kind == "number":
            if self.trusted:  # a parser's numbers: int or float, never NaN
                test = f"type({x}) is not float and type({x}) is not int"
            else:
                test = f"type({x}) is not int and (type({x}) is not float or {x} - {x} != 0.0)"
        elif node.kind == "boolean":
            test = f"type({x}) is not bool"
        elif node.free_form:
            self.emit(indent, f"if type({x}) is dict:")
            self.emit(indent + 1, "pass" if self.trusted else f"if {x}: C(out, {name}, {self.dyn(prefix, steps)}, {x})")
            self.emit(indent, otherwise)
            return
        else:
            self.emit(indent, f"if type({x}) is {'list' if node.kind == 'array' else 'dict'}:")
            self.container(node, place, pattern, x, depth + 1, steps, prefix, indent + 1)
            self.emit(indent, otherwise)
            return
        if node.nullable:
            test = f"{x} is not None and ({test})"
        self.emit(indent, f"if {test}: {wrong}")

    def container(
        self,
        node: Node,
        place: Place,
        pattern: tuple[Any, ...],
        x: str,
        depth: int,
        steps: list[str],
        prefix: bool,
        indent: int,
    ) -> None:
        """Checks of what a list or dict in variable ``x`` holds (its own type already tested)."""
        if node.kind == "array":
            assert node.items is not None
            index, item = f"i{depth}", f"y{depth}"
            passing = self.exact_types(node.items)
            if passing is not None:  # leaves: one test in C of every item's type; a loop if one fails
                self.emit(indent, f"if not {self.const(passing, 'T')}.issuperset(map(type, {x})):")
                indent += 1
            self.emit(indent, f"for {index}, {item} in enumerate({x}):")
            self.value(node.items, (*pattern, ITEM), item, depth, [*steps, index], prefix, indent + 1)
        elif node.extra_values is not None:
            self.open_map(node, place, pattern, x, depth, steps, prefix, indent)
        else:
            self.listed_object(node, place, pattern, x, depth, steps, prefix, indent)

    def listed_object(
        self,
        node: Node,
        place: Place,
        pattern: tuple[Any, ...],
        v: str,
        depth: int,
        steps: list[str],
        prefix: bool,
        indent: int,
    ) -> None:
        # The keys the spec does not list matter in strict mode (unknown fields) and for values
        # built in Python (they must have a JSON form too). There are some exactly when the
        # object has more keys than the listed ones it holds: count the missing ones.
        keys_due = self.strict or not self.trusted
        missing = f"m{depth}"
        if keys_due:
            self.emit(indent, f"{missing} = 0")
        x = f"x{depth}"
        fields = list(enumerate(node.fields.items()))
        leaves = [(rank, field, child) for rank, (field, child) in fields if _is_plain_leaf(child)]
        if not prefix and not self.trusted and len(leaves) > 1:
            # Values built in Python are mostly valid: the leaves first, in one expression, which a
            # valid object passes without a store or a branch per field; only an object that
            # fails it is read field by field. (Parsed text reaches the collector only when it is
            # not valid: there the expression would be work done twice in the broken object.)
            tests = " and ".join(self.leaf_test(child, f"{v}[{field!r}]") for _, field, child in leaves)
            ok = f"ok{depth}"
            self.emit(indent, "try:")
            self.emit(indent + 1, f"{ok} = {tests}")
            self.emit(indent, "except KeyError:")
            self.emit(indent + 1, f"{ok} = False")
            self.emit(indent, f"if not {ok}:")
            for rank, field, child in leaves:
                self.field(v, x, rank, field, child, pattern, depth, steps, prefix, indent + 1, keys_due)
            fields = [(rank, (field, child)) for rank, (field, child) in fields if not _is_plain_leaf(child)]
        for rank, (field, child) in fields:
            self.field(v, x, rank, field, child, pattern, depth, steps, prefix, indent, keys_due)
        if keys_due:
            name = self.const(place, "P")
            dyn = self.dyn(prefix, steps)
            self.emit(indent, f"if len({v}) + {missing} != {len(node.fields)}: K(out, {name}, {dyn}, {v})")

    def exact_types(self, node: Node) -> frozenset[type] | None:
        """The exact types that pass a leaf with no further test; None when a value needs one."""
        if node.enum is not None or not _is_plain_leaf(node) or (node.kind == "number" and not self.trusted):
            return None  # an enum's members, and NaN among Python's floats, need a look at the value
        passing: set[type] = {str} if node.kind == "string" else {int, float} if node.kind == "number" else {bool}
        return frozenset(passing | {type(None)} if node.nullable else passing)

    def leaf_test(self, node: Node, read: str) -> str:
        """A leaf's exact-type test of the value ``read`` gives, as one expression."""
        if node.enum is not None:
            test = f"(type({read}) is str and {read} in {self.const(frozenset(node.enum), 'E')})"
        elif node.kind == "string":
            test = f"type({read}) is str"
        elif node.kind == "number":
            trusted = self.trusted  # a parser's numbers: int or float, never NaN
            test = (
                f"type({read}) in NUM"
                if trusted
                else f"(type({read}) is int or type({read}) is float and {read} - {read} == 0.0)"
            )
        else:
            test = f"type({read}) is bool"
        return f"({read} is None or {test})" if node.nullable else test

    def field(
        self,
        v: str,
        x: str,
        rank: int,
        field: str,
        child: Node,
        pattern: tuple[Any, ...],
        depth: int,
        steps: list[str],
        prefix: bool,
        indent: int,
        keys_due: bool,
    ) -> None:
        """Read one listed field into ``x`` (``M`` when missing, counted) and check it."""
        missing = f"m{depth}"
        if True:
            if prefix:  # a dict subclass (a defaultdict, say): never v[k], which may add the key
                self.emit(indent, f"{x} = {v}.get({field!r}, M)")
                if keys_due:
                    self.emit(indent, f"if {x} is M: {missing} += 1")
            else:
                self.emit(indent, "try:")
                self.emit(indent + 1, f"{x} = {v}[{field!r}]")
                self.emit(indent, "except KeyError:")
                self.emit(indent + 1, f"{x} = M")
                if keys_due:
                    self.emit(indent + 1, f"{missing} += 1")
            self.value(child, (*pattern, field), x, depth, steps, prefix, indent, rank)

    def open_map(
        self,
        node: Node,
        place: Place,
        pattern: tuple[Any, ...],
        x: str,
        depth: int,
        steps: list[str],
        prefix: bool,
        indent: int,
    ) -> None:
        extra = node.extra_values
        assert extra is not None
        signature = _leaf_signature(extra)
        if any(_leaf_signature(child) != signature for child in node.fields.values()):
            raise Unsupported(f"an open map whose listed keys differ from its further ones at {pattern}")
        for rank, (field, child) in enumerate(node.fields.items()):
            place.keys[field] = Place(self.event_type, (*pattern, field), child, rank)
        key, item = f"k{depth}", f"y{depth}"
        name = self.const(place, "P")
        dyn = self.dyn(prefix, steps)
        passing = self.exact_types(extra) if self.trusted else None  # keys built in Python need a look
        if passing is not None:  # every key listed and every value's type right, tested in C
            required = self.const(frozenset(node.fields), "R")
            types = self.const(passing, "T")
            self.emit(indent, f"if not ({x}.keys() >= {required} and {types}.issuperset(map(type, {x}.values()))):")
            indent += 1
        self.emit(indent, f"for {key}, {item} in {x}.items():")
        if not self.trusted:
            self.emit(indent + 1, f"if type({key}) is not str: KEY(out, {name}, {dyn}, {x}, {key})")
        self.value(extra, (*pattern, KEY), item, depth, [*steps, key], prefix, indent + 1)
        if node.fields:
            required = self.const(frozenset(node.fields), "R")
            self.emit(indent, f"if not {x}.keys() >= {required}: MK(out, {name}, {dyn}, {x})")

    def build(self) -> Collector:
        root = spec(self.event_type)
        name, place = self.place((), root)
        self.emit(0, "def collect(v):")
        self.emit(1, "if type(v) is not dict:")
        self.emit(2, f"return ROOT(v, {name})")
        self.emit(1, "out = []")
        self.listed_object(root, place, (), "v", 0, [], False, 1)
        self.emit(1, "if len(out) > 1: ORDER(out, v)")
        self.emit(1, "return out")
        # Standalone checks of each container, for those built in Python as subclasses or tuples.
        done = 0
        while done < len(self.standalone):
            container_place, node, pattern = self.standalone[done]
            function = f"S{done}"
            self.emit(0, f"def {function}(out, dyn, x):")
            if node.free_form:
                self.emit(1, f"C(out, {self.const(container_place, 'P')}, dyn, x)")
            else:
                self.container(node, container_place, pattern, "x", 1, [], True, 1)
            self.namespace[f"_place_of_{function}"] = container_place
            done += 1
        source = "\n".join(self.lines) + "\n"
        self.namespace.update(ROOT=_root, ORDER=order)
        code = compile(
            source, f"<thrillpots collector {self.event_type} strict={self.strict} trusted={self.trusted}>", "exec"
        )
        exec(code, self.namespace)
        for index, (container_place, _, _) in enumerate(self.standalone):
            container_place.contents = self.namespace[f"S{index}"]
        collect: Collector = self.namespace["collect"]
        collect.__doc__ = source  # the generated code, for whoever wants to read it
        return collect


def _root(value: object, place: Place) -> list[Violation]:
    out: list[Violation] = []
    _wrong(out, place, (), value)
    if len(out) > 1:
        order(out, value)
    return out


def _is_plain_leaf(node: Node) -> bool:
    return node.kind in ("string", "number", "boolean")


def _leaf_signature(node: Node) -> tuple[Any, ...]:
    if not node.is_leaf or node.free_form:
        raise Unsupported("an open map of containers")
    return (node.kind, node.nullable, node.enum)


@functools.cache
def collector(event_type: str, strict: bool, trusted: bool, legacy: bool = False) -> Collector | None:
    """The generated collector of ``event_type`` in that mode; None when the engine must answer.

    ``legacy`` accepts RaffleWinEvent winners in the legacy tuple form, each checked by the engine.
    """
    try:
        return _Generator(event_type, strict, trusted, legacy).build()
    except Unsupported:
        return None


def generated_source(event_type: str, strict: bool, trusted: bool, legacy: bool = False) -> str:
    """The Python source of a collector, as generated from the spec model (for reading and tests)."""
    found = collector(event_type, strict, trusted, legacy)
    return "" if found is None or found.__doc__ is None else found.__doc__


__all__ = ["MISSING", "Collector", "Unsupported", "check_content", "collector", "generated_source"]

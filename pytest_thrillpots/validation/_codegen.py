"""The collector generator: Python source written once per event type and mode from the spec model,
compiled, and run on every payload (as fastjsonschema does, but collecting every violation)."""

from __future__ import annotations

import functools
from typing import Any

from pytest_thrillpots.spec import Node, spec
from pytest_thrillpots.spec._paths import PathPart, pointer_index_parts
from pytest_thrillpots.validation._collector import (
    ITEM,
    KEY,
    MISSING,
    Collector,
    Place,
    Unsupported,
    _build_missing,
    _build_not_finite,
    _build_unknown,
    _free_form,
    _judged,
    _keys,
    _legacy_form,
    _map_key,
    _missing_keys,
    _verdicts,
    _wrong,
)
from pytest_thrillpots.validation._json import json_key
from pytest_thrillpots.validation._violation import (
    Violation,
)


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

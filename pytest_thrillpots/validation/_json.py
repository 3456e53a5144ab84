"""Which Python values are which JSON values: the one definition ``validate()`` applies.

A parsed payload is judged as the JSON text the standard library's ``json`` module would write
for it, so a dict and its ``json.dumps`` text get the same verdict:

- ``None`` is null, ``True``/``False`` are booleans (never numbers);
- ``int`` and ``float`` and their subclasses (``IntEnum``, ``numpy.float64``) are numbers, read as
  ``int.__repr__``/``float.__repr__`` write them; a NaN or an infinity is a number JSON cannot
  hold (``json`` writes ``NaN``, which no JSON parser reads), so ``validate()`` reports it;
- ``str`` and its subclasses (``StrEnum``) are strings;
- ``list`` and ``tuple`` (and subclasses) are arrays, ``dict`` (and subclasses) objects; an
  object's keys are strings, or ``int``, ``float``, ``bool`` or ``None``, which ``json`` writes
  as strings (``1`` as ``"1"``, ``True`` as ``"true"``);
- anything else (a ``Decimal``, a ``set``, a ``datetime``, bytes, another ``Mapping``, a tuple as a
  key, a container that holds itself) has no JSON form: ``validate()`` raises ``TypeError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

JsonType = Literal["null", "boolean", "number", "string", "array", "object"]

_EXACT: dict[type, JsonType] = {
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
    dict: "object",
    list: "array",
    tuple: "array",
}


def json_type(value: object) -> JsonType | None:
    """The JSON type ``json.dumps`` gives ``value``, or None when it cannot encode it."""
    exact = _EXACT.get(type(value))
    if exact is not None:
        return exact
    # Subclasses, in the order json's encoder tests them (bool cannot be subclassed).
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return None


def is_finite(value: int | float) -> bool:
    """Whether a number has a JSON form: every int does; a float unless it is NaN or infinite."""
    return isinstance(value, int) or value - value == 0.0


def number_text(value: int | float) -> str:
    """A number as JSON writes it: ``3`` for ``IntEnum`` members too, never their repr."""
    if isinstance(value, int):
        try:
            return int.__repr__(value)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            return f"(an integer of about {int(value.bit_length() * 0.30103) + 1} digits)"
    return float.__repr__(value)


def json_key(key: object) -> str | None:
    """An object key as JSON writes it, or None for a key ``json.dumps`` refuses (a tuple...)."""
    if isinstance(key, str):
        return str.__str__(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        if key != key:
            return "NaN"
        if key - key != 0.0:
            return "Infinity" if key > 0 else "-Infinity"
        return float.__repr__(key)
    return None


class NotJson(Exception):
    """A value ``json.dumps`` cannot write, where it is (``parts``) and what it is."""

    def __init__(self, parts: tuple[str | int, ...], what: str) -> None:
        super().__init__(parts, what)
        self.parts = parts
        self.what = what


CYCLE = "a container that holds itself (a cycle)"


def cycle_place(root: object, parts: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Where a cycle found at ``parts`` closes: the first place on the way from ``root`` that
    holds a container already on that way.

    A walk that starts below the root (the collector checks what it does not describe, an
    unknown field say, from where it is) does not see the containers above it, so it finds a
    cycle back to one of them a step late; the way from the root tells the first repeat.
    """
    seen = {id(root)}
    value: Any = root
    for depth, step in enumerate(parts):
        value = _child(value, step)
        if value is _NOWHERE:
            return parts
        if id(value) in seen and json_type(value) in ("array", "object"):
            return parts[: depth + 1]
        seen.add(id(value))
    return parts


_NOWHERE = object()


def _child(container: Any, step: str | int) -> Any:
    if isinstance(container, dict):
        found = dict.get(container, step, _NOWHERE) if type(step) is str else _NOWHERE
        if found is not _NOWHERE:
            return found
        for key, item in dict.items(container):  # a key JSON writes as ``step`` (``5`` as "5")
            if json_key(key) == step:
                return item
        return _NOWHERE
    if isinstance(container, (list, tuple)) and type(step) is int and 0 <= step < len(container):
        return container[step]
    return _NOWHERE


def kind_name(value: object) -> str:
    """``a Decimal``, ``a set``: what a value JSON cannot hold is, for the error message."""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


class Walk:
    """A depth-first walk of JSON-like containers with an explicit stack: any depth, cycles found.

    Each frame is (the step from its parent, the container, its (step, child) pairs); the path of
    a place is built only when one is reported, so a walk of depth ``d`` takes memory of ``d``.
    """

    def __init__(self, root: object, parts: tuple[str | int, ...]) -> None:
        self.parts = parts
        self.frames: list[tuple[str | int, Any, Iterator[tuple[str | int, Any]]]] = []
        self.active: set[int] = set()
        self.push("", root)

    def path(self, step: str | int | None = None) -> tuple[str | int, ...]:
        steps = [frame[0] for frame in self.frames[1:]]
        return (*self.parts, *steps, *(() if step is None else (step,)))

    def push(self, step: str | int, container: Any) -> None:
        if id(container) in self.active:
            raise NotJson(self.path(step), CYCLE)
        self.active.add(id(container))
        self.frames.append((step, container, self._children(container, step)))

    def pop(self) -> None:
        self.active.discard(id(self.frames.pop()[1]))

    def _children(self, container: Any, step: str | int) -> Iterator[tuple[str | int, Any]]:
        if not isinstance(container, dict):
            yield from enumerate(container)
            return
        for key, item in container.items():
            if type(key) is str:
                yield key, item
                continue
            name = json_key(key)
            if name is None:
                raise NotJson(self.path(), f"a key of type {type(key).__name__}")
            if name in container:
                raise NotJson(self.path(name), f"two keys that JSON writes alike ({key!r} and {name!r})")
            yield name, item


def plain_json(value: object) -> object:
    """``value`` rebuilt of plain dicts, lists, str, int, float, bool and None, as JSON reads back.

    Keys become the strings JSON writes (``1`` -> ``"1"``), subclasses their base types, tuples
    lists; NaN and infinities stay (the validators report them). Raises ``NotJson`` for a value
    with no JSON form, a container holding itself, or two keys JSON writes alike. A loop, not
    recursion, so any depth is fine.
    """
    kind = json_type(value)
    if kind is None:
        raise NotJson((), kind_name(value))
    if kind not in ("array", "object"):
        return _plain(value, kind)
    root: Any = {} if kind == "object" else []
    copies = [root]
    walk = Walk(value, ())
    while walk.frames:
        target = copies[-1]
        for step, item in walk.frames[-1][2]:
            item_kind = json_type(item)
            if item_kind is None:
                raise NotJson(walk.path(step), kind_name(item))
            if item_kind in ("array", "object"):
                copy: Any = {} if item_kind == "object" else []
                _put(target, step, copy)
                walk.push(step, item)
                copies.append(copy)
                break
            _put(target, step, _plain(item, item_kind))
        else:
            walk.pop()
            copies.pop()
    return root


def _put(target: Any, step: str | int, item: object) -> None:
    if isinstance(target, dict):
        target[step] = item
    else:
        target.append(item)


def _plain(value: Any, kind: JsonType) -> object:
    if kind == "string":
        return str.__str__(value)
    if kind == "number":
        return int(value) if isinstance(value, int) else float(value)
    return value

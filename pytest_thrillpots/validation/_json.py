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


def kind_name(value: object) -> str:
    """``a Decimal``, ``a set``: what a value JSON cannot hold is, for the error message."""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def plain_json(value: object) -> object:
    """``value`` rebuilt of plain dicts, lists, str, int, float, bool and None, as JSON reads back.

    Keys become the strings JSON writes (``1`` -> ``"1"``), subclasses their base types, tuples
    lists; NaN and infinities stay (the validators report them). Raises ``NotJson`` for a value
    with no JSON form, a container holding itself, or two keys JSON writes alike. A loop, not
    recursion, so any depth is fine.
    """
    root: list[object] = [None]
    # Each task: (value, the container to put it in, the key or index there, the path to it, the active ids).
    tasks: list[tuple[object, Any, Any, tuple[str | int, ...]]] = [(value, root, 0, ())]
    active: dict[int, int] = {}  # id -> how many open containers on the current branch use it
    exits: list[tuple[int, int]] = []
    while tasks:
        item, target, slot, parts = tasks.pop()
        while exits and len(parts) <= exits[-1][0]:  # the walk left those containers
            active.pop(exits.pop()[1], None)
        kind = json_type(item)
        if kind is None:
            raise NotJson(parts, kind_name(item))
        if kind == "object":
            assert isinstance(item, dict)
            if id(item) in active:
                raise NotJson(parts, "a container that holds itself (a cycle)")
            copy: dict[str, object] = {}
            target[slot] = copy
            active[id(item)] = 1
            exits.append((len(parts), id(item)))
            children = []
            for key, child in item.items():
                name = json_key(key)
                if name is None:
                    raise NotJson(parts, f"a key of type {type(key).__name__}")
                if type(key) is not str and name in item:
                    raise NotJson((*parts, name), f"two keys that JSON writes alike ({key!r} and {name!r})")
                copy[name] = None
                children.append((child, copy, name, (*parts, name)))
            tasks.extend(reversed(children))
        elif kind == "array":
            assert isinstance(item, (list, tuple))
            if id(item) in active:
                raise NotJson(parts, "a container that holds itself (a cycle)")
            items: list[object] = [None] * len(item)
            target[slot] = items
            active[id(item)] = 1
            exits.append((len(parts), id(item)))
            tasks.extend(reversed([(child, items, index, (*parts, index)) for index, child in enumerate(item)]))
        elif kind == "string":
            target[slot] = str.__str__(item)
        elif kind == "number":
            target[slot] = int(item) if isinstance(item, int) else float(item)  # type: ignore[arg-type]
        else:
            target[slot] = item
    return root[0]

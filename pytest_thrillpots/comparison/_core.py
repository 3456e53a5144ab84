"""The walk behind assert_events_equal: what counts as equal, and where two values differ.

Two events compare as JSON means them (docs/assertions.md says the same for users):

- ``10 == 10.0``, but ``true`` is not ``1`` and ``false`` is not ``0``, anywhere;
- a value that is not JSON (``pytest.approx``, a dirty-equals matcher, a datetime) decides by its
  own ``==``, the expected side's first;
- a NaN equals a NaN (JSON has none, and two lines reading ``NaN`` must not be a difference);
- a value is equal to itself, and two values that contain themselves (cycles) are equal when no
  finite walk tells them apart; a cycle on one side only differs where the other side ends.

The equal path is one C-speed check: ``==`` (structure, keys, values) and the msgpack bytes of
both sides (which tell ``true`` from ``1`` and NaN from null). Both agree only on values that are
equal as JSON; anything else (a matcher, a NaN, a tuple, nesting too deep) goes to the walk, which
decides. The walk runs on an explicit stack (generators trampolined by ``_run``), so no depth and
no cycle raises ``RecursionError``.

With ``ignore_order``, array items cancel out by a digest equal exactly for items equal as JSON
(inner arrays as multisets), matchers are matched by augmenting paths, and the items left over are
paired by the leaves they share: linear in the items, but for the sorting of their digests.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, TypeAlias

import msgspec

from pytest_thrillpots.spec._paths import PathPart

Difference: TypeAlias = tuple[list[PathPart], object, object]
"""``(path, expected, actual)``; ``ABSENT`` where a side has nothing."""

Ignores: TypeAlias = tuple[tuple[PathPart, ...], ...]
"""The rest of each ``ignore=`` path still to be matched below a place."""

_Path: TypeAlias = "tuple[_Path, PathPart] | None"
"""A place as a chain ``(parent, part)``: one step costs one tuple, whatever the depth."""

_Found: TypeAlias = list[tuple[_Path, object, object]]
_Walk: TypeAlias = Generator[Any, Any, Any]


# --- the equal path ---------------------------------------------------------------------------------

_pack = msgspec.msgpack.Encoder().encode
_pack_sorted = msgspec.msgpack.Encoder(order="deterministic").encode
"""The same bytes with every object's keys sorted: for events equal but for their keys' order."""


def _shortcut(actual: object, expected: object) -> bool | None:
    """True when the two are equal as JSON, told at C speed; False when it cannot tell, None when
    ``==`` met nesting past the interpreter's limit (or a cycle) and cannot tell below either.

    ``==`` alone counts ``True == 1`` and the bytes alone write a UUID as its string; only values
    equal as JSON pass both. Never True for values the walk would find different: a property test
    (tests/test_assertions.py) holds the two to the same verdict.
    """
    try:
        same = actual == expected  # `==` as such: the operator the docstring's argument is about
        if not same:
            return False
        return _pack(actual) == _pack(expected) or _pack_sorted(actual) == _pack_sorted(expected)
    except RecursionError:
        return None
    except (TypeError, ValueError, OverflowError, msgspec.EncodeError):  # not msgpack: a matcher, a big int
        return False


# --- the walk ------------------------------------------------------------------------------------------

_NULL, _BOOL, _NUMBER, _STRING, _OBJECT, _ARRAY, _OTHER = range(7)
_KINDS: dict[type, int] = {
    type(None): _NULL,
    bool: _BOOL,
    int: _NUMBER,
    float: _NUMBER,
    str: _STRING,
    dict: _OBJECT,
    list: _ARRAY,
    tuple: _ARRAY,
}


def _kind(value: object) -> int:
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, (int, float)):  # IntEnum, numpy.float64 (bool cannot be subclassed)
        return _NUMBER
    if isinstance(value, str):
        return _STRING
    if isinstance(value, Mapping):
        return _OBJECT
    if isinstance(value, (list, tuple)):
        return _ARRAY
    return _OTHER


def _scalars_equal(kind: int, expected: Any, actual: Any) -> bool:
    if kind == _NUMBER:
        return bool(expected == actual) or (expected != expected and actual != actual)  # NaN equals NaN
    return kind == _NULL or bool(expected == actual)


def _decided_by_eq(expected: object, expected_kind: int, actual: object) -> bool:
    """A value that is not JSON decides by its ``==``: the expected side's, when it is the one."""
    return bool(expected == actual) if expected_kind == _OTHER else bool(actual == expected)


def _descend(ignores: Ignores, part: PathPart) -> Ignores | None:
    """The ignore paths below ``part``; None when ``part`` itself is ignored."""
    rest = []
    for pattern in ignores:
        head = pattern[0]
        if head == "*":
            matched = isinstance(part, int)
        else:
            matched = isinstance(head, str) == isinstance(part, str) and head == part
        if matched:
            if len(pattern) == 1:
                return None
            rest.append(pattern[1:])
    return tuple(rest)


_SHORTCUT_PAUSE = 500
"""Levels below a place ``==`` found too deep that the walk does not ask ``==`` again."""


def _run(walk: _Walk) -> Any:
    """Drive a walk whose steps ``yield`` their sub-walks (and get back what those return)."""
    stack = [walk]
    sent: Any = None
    while True:
        try:
            child = stack[-1].send(sent)
        except StopIteration as done:
            stack.pop()
            if not stack:
                return done.value
            sent = done.value
            continue
        stack.append(child)
        sent = None


def _path_list(path: _Path) -> list[PathPart]:
    parts: list[PathPart] = []
    while path is not None:
        path, part = path
        parts.append(part)
    parts.reverse()
    return parts

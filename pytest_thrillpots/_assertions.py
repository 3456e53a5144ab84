"""Assertion helpers: what users meet in a failing test.

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

import bisect
import functools
import hashlib
import math
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import msgspec
import orjson

from pytest_thrillpots._errors import (
    ThrillpotsError,
    UnknownFieldError,
    did_you_mean,
    raised_at_the_call,
)
from pytest_thrillpots._render import (
    MAX_MESSAGE_WIDTH,
    MAX_VALUE_WIDTH,
    Occurrences,
    cut,
    difference_lines,
    value_text,
    violation_lines,
)
from pytest_thrillpots.coverage import _recorder as _coverage
from pytest_thrillpots.spec import EVENT_TYPES, check_event_type, field_paths, first_unknown_part, resolve_field_path
from pytest_thrillpots.spec._paths import ABSENT, PathPart, from_keyword, parse_human, to_human, value_at
from pytest_thrillpots.validation._validate import validate
from pytest_thrillpots.validation._violation import Violation

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


def json_equal(a: object, b: object) -> bool:
    """Equality as JSON means it: ``10 == 10.0``, but ``true`` is not ``1`` (``b`` is the expected side)."""
    if a is b or _shortcut(a, b) is True:
        return True
    return not _Comparison(ignore_order=False).differences(b, a, (), first_only=True)


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


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _number_key(value: Any) -> bytes:
    """The same bytes exactly for the numbers JSON counts equal (7, 7.0 and -0.0 vs 0 alike)."""
    if isinstance(value, int):
        return b"i%x" % int(value)
    number = float(value)
    if math.isnan(number):
        return b"nan"
    if math.isinf(number):
        return b"+inf" if number > 0 else b"-inf"
    if number.is_integer():
        return b"i%x" % int(number)
    return b"f" + number.hex().encode()


def _leaf_digest(kind: int, value: Any) -> bytes:
    if kind == _STRING:
        return _hash(b"s" + str.__str__(value).encode("utf-8", "surrogatepass"))
    if kind == _NUMBER:
        return _hash(b"n" + _number_key(value))
    if kind == _BOOL:
        return _hash(b"t" if value else b"f")
    return _hash(b"z")


def _feature_leaf(kind: int, value: Any) -> object:
    if kind == _NUMBER:
        return (kind, "nan" if value != value else value)
    return (kind, value)


_FEATURE_DEPTH = 12
"""How deep inside an item its leaves count as the features items are paired by."""

_CANDIDATES = 8
"""For a feature many items share, how many of them (the nearest in position) an item weighs."""

_MATCHER_COMPARISONS = 20_000
"""How many comparisons matching matchers may spend beyond each one's likely partners. Past it, a
matcher is tried against its likely partners only: a report may then show a difference a longer
search would have paired away (never the other way round)."""

_RANKING_POSTINGS = 64
"""A leaf held by more right-hand items than this does not rank a matcher's candidates."""


class _Comparison:
    """One comparison of two values: its settings, the pairs on the current path, its digests."""

    def __init__(self, *, ignore_order: bool, shortcuts: bool = True) -> None:
        self.ignore_order = ignore_order
        self.shortcuts = shortcuts
        """False only in tests: the walk alone, to hold the C-speed check to its verdict."""
        self._open: set[tuple[int, int, Ignores]] = set()
        self._digests: dict[tuple[int, Ignores], tuple[object, bytes | None]] = {}
        """By ``id``; each entry holds its value too, so no id is reused while the memo lives."""

    def differences(
        self, expected: object, actual: object, ignores: Ignores, *, first_only: bool = False
    ) -> list[Difference]:
        found: _Found = []
        _run(self._walk(expected, actual, None, ignores, found, first_only, 0))
        return [(_path_list(path), e, a) for path, e, a in found]

    # Each step is a generator: `yield` hands a sub-walk to `_run`, so depth costs heap, not stack.

    def _walk(self, e: Any, a: Any, path: _Path, ignores: Ignores, found: _Found, first: bool, pause: int) -> _Walk:
        if e is a:
            return
        ke, ka = _kind(e), _kind(a)
        if ke == _OTHER or ka == _OTHER:
            if not _decided_by_eq(e, ke, a):
                found.append((path, e, a))
            return
        if ke != ka:
            found.append((path, e, a))
            return
        if ke < _OBJECT:
            if not _scalars_equal(ke, e, a):
                found.append((path, e, a))
            return
        if pause:
            pause -= 1
        elif self.shortcuts:
            verdict = _shortcut(a, e)
            if verdict is True:
                return
            if verdict is None:
                pause = _SHORTCUT_PAUSE
        key = (id(e), id(a), ignores)
        if key in self._open:  # a cycle back to a pair being compared: nothing found on the way in
            return
        self._open.add(key)
        if ke == _OBJECT:
            yield self._object(e, a, path, ignores, found, first, pause)
        elif self.ignore_order:
            yield self._multiset(e, a, path, ignores, found, first, pause)
        else:
            yield self._array(e, a, path, ignores, found, first, pause)
        self._open.discard(key)

    def _child(
        self, e: Any, a: Any, path: _Path, ignores: Ignores, found: _Found, first: bool, pause: int
    ) -> _Walk | None:
        """A leaf pair decided at once (None), or the walk of a pair of containers."""
        if e is a:
            return None
        kind = _kind(e)
        if kind < _OBJECT and _kind(a) == kind:
            if not _scalars_equal(kind, e, a):
                found.append((path, e, a))
            return None
        return self._walk(e, a, path, ignores, found, first, pause)

    def _object(
        self, e: Mapping[Any, Any], a: Mapping[Any, Any], path: _Path, ignores: Ignores, found: _Found,
        first: bool, pause: int,
    ) -> _Walk:  # fmt: skip
        for key in e:
            below = _descend(ignores, key) if ignores else ignores
            if below is None:
                continue
            if key in a:
                step = self._child(e[key], a[key], (path, key), below, found, first, pause)
                if step is not None:
                    yield step
            else:
                found.append(((path, key), e[key], ABSENT))
            if first and found:
                return
        for key in a:
            if key not in e and (not ignores or _descend(ignores, key) is not None):
                found.append(((path, key), ABSENT, a[key]))
                if first:
                    return

    def _array(
        self, e: Sequence[Any], a: Sequence[Any], path: _Path, ignores: Ignores, found: _Found,
        first: bool, pause: int,
    ) -> _Walk:  # fmt: skip
        for index in range(max(len(e), len(a))):
            below = _descend(ignores, index) if ignores else ignores
            if below is None:
                continue
            if index >= len(a):
                found.append(((path, index), e[index], ABSENT))
            elif index >= len(e):
                found.append(((path, index), ABSENT, a[index]))
            else:
                step = self._child(e[index], a[index], (path, index), below, found, first, pause)
                if step is not None:
                    yield step
            if first and found:
                return

    # --- arrays as multisets ---------------------------------------------------------------------

    def _digest(self, value: Any, ignores: Ignores) -> _Walk:
        """A digest equal exactly for values equal as JSON (arrays as multisets, ``ignores`` left out);
        None for a value only ``==`` can judge: one holding a matcher, a non-string key or a cycle."""
        key = (id(value), ignores)
        if key in self._digests:
            return self._digests[key][1]
        self._digests[key] = (value, None)  # a cycle back to here: the value is not JSON
        kind = _kind(value)
        result: bytes | None = None
        if kind == _OBJECT:
            entries = []
            for name in value:
                below = _descend(ignores, name) if ignores else ignores
                if below is None:
                    continue
                if not isinstance(name, str):
                    break
                child = yield from self._item_digest(value[name], below)
                if child is None:
                    break
                encoded = str.__str__(name).encode("utf-8", "surrogatepass")
                entries.append(len(encoded).to_bytes(8, "big") + encoded + child)
            else:
                entries.sort()
                result = _hash(b"{" + b"".join(entries))
        elif kind == _ARRAY:
            items = []
            for index, item in enumerate(value):
                below = _descend(ignores, index) if ignores else ignores
                if below is None:
                    continue
                child = yield from self._item_digest(item, below)
                if child is None:
                    break
                items.append(child)
            else:
                items.sort()
                result = _hash(b"[" + b"".join(items))
        self._digests[key] = (value, result)
        return result

    def _item_digest(self, value: Any, ignores: Ignores) -> _Walk:
        kind = _kind(value)
        if kind < _OBJECT:
            return _leaf_digest(kind, value)
        if kind == _OTHER:
            return None
        return (yield self._digest(value, ignores))

    def _equal(self, e: Any, a: Any, ignores: Ignores) -> _Walk:
        found: _Found = []
        yield self._walk(e, a, None, ignores, found, True, 0)
        return not found

    def _multiset(
        self, e: Sequence[Any], a: Sequence[Any], path: _Path, ignores: Ignores, found: _Found,
        first: bool, pause: int,
    ) -> _Walk:  # fmt: skip
        """Arrays as multisets: equal items cancel out by digest, repeats are counted, matchers are
        matched (Kuhn's augmenting paths), and what is left is paired by content."""
        expected = _Items(e, ignores)
        actual = _Items(a, ignores)
        for items in (expected, actual):
            for position in range(len(items)):
                _, value, below = items.entry(position)
                digest = yield from self._item_digest(value, below)
                items.add(position, digest)
        matched = yield self._match_opaque(expected, actual)
        unpaired_expected = [p for p in expected.opaque if p not in matched[0]]
        unpaired_actual = [p for p in actual.opaque if p not in matched[1]]
        classes = list(expected.first)
        classes.extend(digest for digest in actual.first if digest not in expected.first)
        for digest in classes:
            here, there = expected.count(digest), actual.count(digest)
            if here == there:
                continue
            left_over_here = expected.positions(digest)[there + matched[2].get(digest, 0) :] if here > there else []
            left_over_there = actual.positions(digest)[here + matched[3].get(digest, 0) :] if there > here else []
            if not left_over_here and not left_over_there:
                continue
            if here and there:
                index, item, _ = expected.entry(expected.first[digest])
                found.append(((path, index), Occurrences(item, here), Occurrences(item, there)))
                if first:
                    return
            else:
                unpaired_expected.extend(left_over_here)
                unpaired_actual.extend(left_over_there)
        unpaired_expected.sort()
        unpaired_actual.sort()
        pairs, lone_expected, lone_actual = _pair_by_content(expected, unpaired_expected, actual, unpaired_actual)
        for mine, theirs in pairs:
            index, value, below = expected.entry(mine)
            step = self._child(value, actual.entry(theirs)[1], (path, index), below, found, first, pause)
            if step is not None:
                yield step
            if first and found:
                return
        for mine in lone_expected:
            index, value, _ = expected.entry(mine)
            found.append(((path, index), value, ABSENT))
        for theirs in lone_actual:
            index, value, _ = actual.entry(theirs)
            found.append(((path, index), ABSENT, value))

    def _match_opaque(self, expected: _Items, actual: _Items) -> _Walk:
        """Pair the items only ``==`` can judge (matchers) with equal items of the other side.

        Maximum bipartite matching (Kuhn's augmenting paths), so overlapping matchers such as
        ``approx(1.0, abs=0.5)`` and ``approx(1.4, abs=0.1)`` pair up in any order.

        Left: the expected side's opaque items and the surplus copies of its digest classes; right,
        the same of the actual side. Edges join an opaque item to anything equal to it; surplus
        copies of two classes are never equal (their digests differ). Returns the matched opaque
        positions of each side and, per digest, how many surplus copies of each side were matched.
        """
        if not expected.opaque and not actual.opaque:
            return set(), set(), {}, {}
        left: list[tuple[str, Any]] = [("opaque", p) for p in expected.opaque]
        for digest, surplus in expected.surplus(actual, limit=len(actual.opaque)).items():
            left.extend([("class", digest)] * surplus)
        right: list[tuple[str, Any]] = [("opaque", p) for p in actual.opaque]
        for digest, surplus in actual.surplus(expected, limit=len(expected.opaque)).items():
            right.extend([("class", digest)] * surplus)
        verdicts: dict[tuple[tuple[str, Any], tuple[str, Any]], bool] = {}
        budget = [_MATCHER_COMPARISONS]

        def sample(items: _Items, node: tuple[str, Any]) -> tuple[Any, Ignores]:
            position = node[1] if node[0] == "opaque" else items.first[node[1]]
            _, value, below = items.entry(position)
            return value, below

        def edge(u: int, v: int) -> _Walk:
            node_u, node_v = left[u], right[v]
            if node_u[0] == "class" and node_v[0] == "class":
                return False
            pair = (node_u, node_v)
            if pair not in verdicts:
                budget[0] = max(0, budget[0] - 1)
                value_u, below = sample(expected, node_u)
                value_v, _ = sample(actual, node_v)
                verdicts[pair] = yield self._equal(value_u, value_v, below)
            return verdicts[pair]

        # Each left node tries first the right nodes sharing its rarer leaves (its partner, mostly),
        # then the rest: an item that finds its partner costs one comparison, not one per item.
        postings: dict[_Feature, list[int]] = {}
        features_of: dict[tuple[str, Any], set[_Feature]] = {}
        for v, node in enumerate(right):
            if node not in features_of:  # a class's surplus copies share their features
                features_of[node] = _features(*sample(actual, node))
            for feature in features_of[node]:
                postings.setdefault(feature, []).append(v)
        ranked: dict[tuple[str, Any], list[int]] = {}

        def candidates(u: int) -> Iterator[int]:
            node = left[u]
            if node not in ranked:
                score: dict[int, float] = {}
                for feature in _features(*sample(expected, node)):
                    vs = postings.get(feature, ())
                    if 0 < len(vs) <= _RANKING_POSTINGS:
                        for v in vs:
                            score[v] = score.get(v, 0.0) + 1 / len(vs)
                ranked[node] = sorted(score, key=lambda v: (-score[v], v))
            first = ranked[node]
            yield from first
            tried = set(first)
            for free in (True, False):  # then the free nodes, then those a re-routing could free
                for v in range(len(right)):
                    if not budget[0]:
                        return
                    if v not in tried and (owner[v] is None) is free:
                        yield v

        owner: list[int | None] = [None] * len(right)

        def augment(u: int, seen: set[int]) -> _Walk:
            for v in candidates(u):
                if v in seen:
                    continue
                if not (yield edge(u, v)):
                    continue
                seen.add(v)
                current = owner[v]
                if current is None or (yield augment(current, seen)):
                    owner[v] = u
                    return True
            return False

        for u in range(len(left)):
            yield augment(u, set())
        matched_here: set[int] = set()
        matched_there: set[int] = set()
        copies_here: dict[bytes, int] = {}
        copies_there: dict[bytes, int] = {}
        for v, owned_by in enumerate(owner):
            if owned_by is None:
                continue
            for node, opaque, copies in (
                (left[owned_by], matched_here, copies_here),
                (right[v], matched_there, copies_there),
            ):
                if node[0] == "opaque":
                    opaque.add(node[1])
                else:  # a class's surplus copies are interchangeable: count them
                    copies[node[1]] = copies.get(node[1], 0) + 1
        return matched_here, matched_there, copies_here, copies_there


class _Items:
    """One side's array items not ignored, their digests grouped (kept lean: a big array's items
    must not each leave objects behind for the garbage collector to scan)."""

    def __init__(self, values: Sequence[Any], ignores: Ignores) -> None:
        self.values = values
        self.ignores = ignores
        self.indices: Sequence[int] = range(len(values))
        self.belows: list[Ignores] | None = None
        if ignores:
            indices, belows = [], []
            for index in range(len(values)):
                below = _descend(ignores, index)
                if below is not None:
                    indices.append(index)
                    belows.append(below)
            self.indices, self.belows = indices, belows
        self.first: dict[bytes, int] = {}
        """Each digest's first position; positions of digests held more than once are in ``repeats``."""
        self.repeats: dict[bytes, list[int]] = {}
        self.opaque: list[int] = []

    def __len__(self) -> int:
        return len(self.indices)

    def entry(self, position: int) -> tuple[int, Any, Ignores]:
        """The item's index in its array, the item, and the ignore paths below it."""
        index = self.indices[position]
        return index, self.values[index], self.ignores if self.belows is None else self.belows[position]

    def add(self, position: int, digest: bytes | None) -> None:
        if digest is None:
            self.opaque.append(position)
        elif digest not in self.first:
            self.first[digest] = position
        elif digest in self.repeats:
            self.repeats[digest].append(position)
        else:
            self.repeats[digest] = [self.first[digest], position]

    def count(self, digest: bytes) -> int:
        repeats = self.repeats.get(digest)
        return len(repeats) if repeats is not None else int(digest in self.first)

    def positions(self, digest: bytes) -> list[int]:
        repeats = self.repeats.get(digest)
        if repeats is not None:
            return repeats
        return [self.first[digest]] if digest in self.first else []

    def surplus(self, other: _Items, *, limit: int) -> dict[bytes, int]:
        """How many more copies of each digest this side holds than ``other``, at most ``limit``."""
        out = {}
        if limit:
            for digest in self.first:
                extra = self.count(digest) - other.count(digest)
                if extra > 0:
                    out[digest] = min(extra, limit)
        return out


_Feature: TypeAlias = tuple[tuple[PathPart, ...], object]
"""A leaf of an item and where it sits in the item."""


def _features(value: Any, ignores: Ignores) -> set[_Feature]:
    """What an item is paired by: each leaf (down to ``_FEATURE_DEPTH``) with where it sits."""
    features: set[_Feature] = set()
    seen: set[int] = set()
    stack: list[tuple[tuple[PathPart, ...], Any, Ignores]] = [((), value, ignores)]
    while stack:
        where, item, below = stack.pop()
        kind = _kind(item)
        if kind < _OBJECT:
            features.add((where, _feature_leaf(kind, item)))
            continue
        if kind == _OTHER or id(item) in seen or len(where) >= _FEATURE_DEPTH:
            continue
        seen.add(id(item))
        if not item:
            features.add((where, (kind, "empty")))
        children = item.items() if kind == _OBJECT else (("*", child) for child in item)
        for index, (part, child) in enumerate(children):
            deeper = _descend(below, index if part == "*" and kind == _ARRAY else part) if below else below
            if deeper is not None:
                stack.append(((*where, part), child, deeper))
    return features


def _spread(item_features: list[set[_Feature]]) -> dict[tuple[PathPart, ...], float]:
    """For each place inside the items, how many different values it holds per item holding it
    (1.0 for an id, near 0 for a field all items share)."""
    held: dict[tuple[PathPart, ...], int] = {}
    values: dict[tuple[PathPart, ...], set[object]] = {}
    for features in item_features:
        for where, leaf in features:
            held[where] = held.get(where, 0) + 1
            values.setdefault(where, set()).add(leaf)
    return {where: len(values[where]) / count for where, count in held.items()}


def _pair_by_content(
    expected: _Items, here: list[int], actual: _Items, there: list[int]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair the items left on each side by the leaves they share.

    A shared leaf weighs more the fewer items hold it, and more where the items' values are all
    different (an id, not an amount): two items with the same ``player_id`` pair up before two with
    the same ``win_amount``. Near-linear: an item weighs every item that shares a rare leaf with it,
    and for a leaf many share, only the ``_CANDIDATES`` nearest in position. Items that share
    nothing are paired in the order they come; what is left on one side is absent from the other.
    """
    if not here or not there:
        return [], here, there
    if len(here) == 1 and len(there) == 1:
        return [(here[0], there[0])], [], []
    expected_features = [_features(*expected.entry(p)[1:]) for p in here]
    actual_features = [_features(*actual.entry(p)[1:]) for p in there]
    postings: dict[_Feature, list[int]] = {}
    for j, features in enumerate(actual_features):
        for feature in features:
            postings.setdefault(feature, []).append(j)
    frequency: dict[_Feature, int] = {f: len(js) for f, js in postings.items()}
    for features in expected_features:
        for feature in features:
            if feature in frequency:
                frequency[feature] += 1
    spread_here, spread_there = _spread(expected_features), _spread(actual_features)
    weight = {
        feature: (spread_here.get(feature[0], 0.0) + spread_there[feature[0]]) / 2 / count
        for feature, count in frequency.items()
    }
    scale = len(there) / len(here)
    scored: list[tuple[float, float, int, int]] = []
    for i, features in enumerate(expected_features):
        candidates: set[int] = set()
        for feature in features:
            js = postings.get(feature)
            if js is None:
                continue
            if len(js) <= _CANDIDATES:
                candidates.update(js)
            else:
                middle = bisect.bisect_left(js, i * scale)
                start = max(0, min(middle - _CANDIDATES // 2, len(js) - _CANDIDATES))
                candidates.update(js[start : start + _CANDIDATES])
        for j in candidates:
            score = sum(weight[f] for f in features & actual_features[j])
            scored.append((-score, abs(j - i * scale), i, j))
    scored.sort()
    taken_here: set[int] = set()
    taken_there: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, i, j in scored:
        if i not in taken_here and j not in taken_there:
            taken_here.add(i)
            taken_there.add(j)
            pairs.append((here[i], there[j]))
    rest_here = [p for i, p in enumerate(here) if i not in taken_here]
    rest_there = [p for j, p in enumerate(there) if j not in taken_there]
    pairs.extend(zip(rest_here, rest_there, strict=False))
    count = min(len(rest_here), len(rest_there))
    return sorted(pairs), rest_here[count:], rest_there[count:]


# --- the helpers ---------------------------------------------------------------------------------------


@raised_at_the_call
def assert_valid(payload: object, event_type: str, *, strict: bool = False, allow_legacy_winners: bool = False) -> None:
    """Raise ``AssertionError`` listing every violation of the spec in ``payload``."""
    __tracebackhide__ = True  # the failure is in the caller's payload, not in this helper
    violations = validate(payload, event_type, strict=strict, allow_legacy_winners=allow_legacy_winners)
    if _coverage.RECORDER is not None:
        _coverage.RECORDER.count_asserted(event_type)
    if violations:
        count = len(violations)
        header = (
            f"{event_type} is not valid{' (strict)' if strict else ''}: {count} violation{'s' if count != 1 else ''}"
        )
        raise AssertionError("\n".join([header, *violation_lines(violations)]))


@functools.lru_cache(maxsize=256)
def _ignore_patterns(ignore: tuple[str, ...]) -> Ignores:
    """``ignore=`` paths as patterns (``*`` any index), each checked against the spec model."""
    patterns = []
    for path in ignore:
        try:
            parts = parse_human(path)
        except ValueError as exc:
            raise UnknownFieldError(cut(str(exc), MAX_MESSAGE_WIDTH)) from None
        # The spec model decides, so free-form objects (metadata), open maps (multipliers) and array
        # items (`pots[0]`, `pots[*]`) are as ignorable as the fields they sit in.
        if all(first_unknown_part(event_type, parts) is not None for event_type in EVENT_TYPES):
            shape = to_human(["*" if isinstance(p, int) else p for p in parts])
            known = sorted({known for event_type in EVENT_TYPES for known in field_paths(event_type)})
            raise UnknownFieldError(
                f"ignore={cut(repr(path), MAX_VALUE_WIDTH)} names no field of any ThrillPots event."
                + did_you_mean(cut(shape, MAX_VALUE_WIDTH), known)
            )
        patterns.append(tuple(parts))
    return tuple(patterns)


def event_differences(
    actual: object, expected: object, *, ignore: Iterable[str] = (), ignore_order: bool = False
) -> list[Difference]:
    """The paths where two events differ, as ``(path, expected, actual)``; empty when equal."""
    patterns = _ignore_patterns(tuple(ignore))
    if actual is expected or _shortcut(actual, expected) is True:
        return []
    return _sorted(_Comparison(ignore_order=ignore_order).differences(expected, actual, patterns))


def _sorted(differences: list[Difference]) -> list[Difference]:
    def order(part: PathPart) -> tuple[int, Any]:
        if isinstance(part, int):
            return (0, part)
        return (1, part) if isinstance(part, str) else (2, repr(part))

    return sorted(differences, key=lambda difference: [order(p) for p in difference[0]])


def assert_events_equal(
    actual: object, expected: object, *, ignore: Iterable[str] = (), ignore_order: bool = False
) -> None:
    """Raise ``AssertionError`` showing only the differing paths as ``- expected`` / ``+ actual``.

    ``ignore`` takes field paths (``"timestamp"``, ``"community_winners[*].player_id"``);
    ``ignore_order`` compares arrays as multisets.
    """
    __tracebackhide__ = True  # the failure is in the caller's events, not in this helper
    patterns: Ignores = ()
    if ignore:
        ignore = tuple(ignore)
        try:
            patterns = _ignore_patterns(ignore)
        except ThrillpotsError as exc:  # a mistake in the call shows at the call (as raised_at_the_call does)
            raise exc.with_traceback(None) from None
    if _coverage.RECORDER is not None:
        _coverage.RECORDER.compare(actual, expected, tuple(ignore))
    if actual is expected or _shortcut(actual, expected) is True:
        return
    differences = _sorted(_Comparison(ignore_order=ignore_order).differences(expected, actual, patterns))
    if differences:
        count = len(differences)
        header = f"events differ at {count} path{'s' if count != 1 else ''}"
        raise AssertionError("\n".join([header, *difference_lines(differences)]))


class SpecMatcher:
    """Equal to any payload that is a valid ``event_type`` and has the named field values.

    The payload is parsed JSON or JSON text (``bytes``/``str``), as ``validate()`` takes it.

    ``assert event == matches_spec("WinEvent", player_id="p-1")``. After a successful
    comparison its ``repr`` is the payload's, so pytest's own diff of a larger structure shows
    only the parts that really differ (the dirty-equals trick).
    """

    __slots__ = ("_matched", "_paths", "event_type", "expected_fields", "strict")

    def __init__(self, event_type: str, *, strict: bool = False, **expected_fields: Any) -> None:
        self.event_type = check_event_type(event_type)
        self.expected_fields = expected_fields
        self.strict = strict
        self._paths = {name: resolve_field_path(event_type, _keyword_path(name)) for name in expected_fields}
        self._matched: object = ABSENT

    def violations(self, other: object) -> list[Violation]:
        return validate(other, self.event_type, strict=self.strict)

    @staticmethod
    def _payload(other: object) -> object:
        """JSON text (``bytes`` or ``str``, as validate() takes it) parsed; anything else as it is."""
        if isinstance(other, (bytes, bytearray, memoryview, str)):
            try:
                return orjson.loads(other)
            except orjson.JSONDecodeError:
                return ABSENT
        return other

    def field_differences(self, other: object) -> list[Difference]:
        out: list[Difference] = []
        for name, want in self.expected_fields.items():
            parts = self._paths[name]
            got = value_at(other, parts)
            if got is ABSENT or not json_equal(got, want):
                out.append((parts, want, got))
        return out

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpecMatcher):
            return other is self
        if _coverage.RECORDER is not None:
            _coverage.RECORDER.match(self.event_type, self._paths.values())
        payload = self._payload(other)
        if not isinstance(payload, Mapping) or self.violations(payload) or self.field_differences(payload):
            self._matched = ABSENT
            return False
        self._matched = other
        return True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self._matched is not ABSENT:
            try:
                return repr(self._matched)
            except RecursionError:  # nested past the interpreter's limit: its text, cut
                return _short(self._matched, value_text)
        args = "".join(f", {k}={_short(v, repr)}" for k, v in self.expected_fields.items())
        strict = ", strict=True" if self.strict else ""
        return f"matches_spec({self.event_type!r}{args}{strict})"

    def explain(self, other: object, *, colour: bool = False) -> list[str]:
        """Why ``other`` does not match: its violations, then its field differences."""
        lines = [f"payload does not match {self!r}"]
        payload = self._payload(other)
        if not isinstance(payload, Mapping):
            if payload is ABSENT:  # JSON text that does not parse: say where
                lines.append("spec violations:")
                lines.extend(violation_lines(self.violations(other)))
            else:
                lines.append(f"  expected a {self.event_type} object, got {type(payload).__name__}")
            return lines
        with _coverage.paused():  # the comparison that failed already counted this event
            violations = self.violations(payload)
        if violations:
            lines.append("spec violations:")
            lines.extend(violation_lines(violations))
        differences = self.field_differences(payload)
        if differences:
            lines.append("field differences:")
            lines.extend(difference_lines(differences, colour=colour))
        return lines


def _short(value: object, show: Callable[[object], str]) -> str:
    """``show(value)`` on one bounded line, whatever the value (a repr that fails gets its text)."""
    try:
        text = show(value)
    except Exception:
        text = value_text(value)
    return cut(text, MAX_VALUE_WIDTH)


def _keyword_path(name: str) -> str:
    """``community_winners__0__win_amount`` -> ``community_winners[0].win_amount``."""
    return to_human(from_keyword(name))


@raised_at_the_call
def matches_spec(event_type: str, *, strict: bool = False, **expected_fields: Any) -> SpecMatcher:
    """A matcher: ``assert event == matches_spec("WinEvent", player_id="p-1")``.

    Equal when the payload is a valid ``event_type`` and every named field equals the given
    value. Nested fields use ``__``: ``currency_multipliers__base_currency="EUR"``.
    """
    return SpecMatcher(event_type, strict=strict, **expected_fields)

"""One comparison of two values: the walk over objects and arrays, and arrays as multisets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pytest_thrillpots._render import (
    Occurrences,
)
from pytest_thrillpots.comparison._core import (
    _ARRAY,
    _OBJECT,
    _OTHER,
    _SHORTCUT_PAUSE,
    Difference,
    Ignores,
    _decided_by_eq,
    _descend,
    _Found,
    _kind,
    _Path,
    _path_list,
    _run,
    _scalars_equal,
    _shortcut,
    _Walk,
)
from pytest_thrillpots.comparison._digest import _MATCHER_COMPARISONS, _RANKING_POSTINGS, _hash, _leaf_digest
from pytest_thrillpots.comparison._pairing import _Feature, _features, _Items, _pair_by_content
from pytest_thrillpots.spec._paths import ABSENT


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


def json_equal(a: object, b: object) -> bool:
    """Equality as JSON means it: ``10 == 10.0``, but ``true`` is not ``1`` (``b`` is the expected side)."""
    if a is b or _shortcut(a, b) is True:
        return True
    return not _Comparison(ignore_order=False).differences(b, a, (), first_only=True)

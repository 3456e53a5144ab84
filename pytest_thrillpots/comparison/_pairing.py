"""Pairing what is left of two multisets by content: the leaves items share, weighed by how rare."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any, TypeAlias

from pytest_thrillpots.comparison._core import _ARRAY, _OBJECT, _OTHER, Ignores, _descend, _kind
from pytest_thrillpots.comparison._digest import _CANDIDATES, _FEATURE_DEPTH, _feature_leaf
from pytest_thrillpots.spec._paths import PathPart


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

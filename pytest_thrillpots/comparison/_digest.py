"""Digests equal exactly for values equal as JSON: how array items cancel out as a multiset."""

from __future__ import annotations

import hashlib
import math
from typing import Any

from pytest_thrillpots.comparison._core import _BOOL, _NUMBER, _STRING


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

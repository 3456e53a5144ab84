"""Keys given twice in one JSON object: parsers disagree on which value wins, so each is a violation.

One rule for ``validate()`` on text and for the command's reader alike.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from pytest_thrillpots.spec._paths import to_pointer
from pytest_thrillpots.validation._violation import Violation


class _KeysGivenTwice(dict):  # type: ignore[type-arg]
    duplicates: list[str]


def duplicate_keys(raw: bytes, parsed: Any) -> list[Violation]:
    """A violation for each object key given twice: parsers disagree on which value wins.

    ``parsed`` is a parser's reading of ``raw`` (orjson's or msgspec's). Compact JSON as most producers write it comes
    back byte for byte from orjson when no key was given twice, which skips the slow search.
    """
    if len(raw) < 11:  # the shortest text with a key given twice: {"":0,"":0}
        return []
    try:
        if raw.rstrip(b"\r\n") == orjson.dumps(parsed):
            return []
    except orjson.JSONEncodeError:
        pass  # nested deeper than orjson writes: search the slow way

    any_found = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal any_found
        keys = [key for key, _ in items]
        if len(set(keys)) == len(keys):
            return dict(items)
        any_found = True
        marked = _KeysGivenTwice(items)
        marked.duplicates = sorted({k for k in keys if keys.count(k) > 1})
        return marked

    found: list[Violation] = []
    try:
        # Only the keys matter here: numbers are not read, so none is too long or too large to parse.
        parsed = json.loads(raw, object_pairs_hook=pairs, parse_int=_unread, parse_float=_unread)
        if any_found:
            _collect(parsed, [], found)
    except (ValueError, RecursionError):
        return []
    return found


def _unread(text: str) -> None:
    return None


def _collect(value: Any, parts: list[str | int], found: list[Violation]) -> None:
    if isinstance(value, _KeysGivenTwice):
        for key in value.duplicates:
            found.append(
                Violation(
                    to_pointer([*parts, key]),
                    "json",
                    "each key once",
                    "duplicate key",
                    f"duplicate key {key!r}: JSON parsers disagree on which value wins",
                )
            )
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, [*parts, key], found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, [*parts, index], found)

"""How values, differences and violations are shown to people: one line each, bounded, colour optional."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from pytest_thrillpots.spec._paths import ABSENT, PathPart, to_human
from pytest_thrillpots.validation._violation import Violation

MAX_DIFFERENCES = 20
"""How many differences a report shows before it says how many more there are."""


MAX_VALUE_WIDTH = 80


def render_value(value: object) -> str:
    """A JSON value on one line, cut to a readable width."""
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, Occurrences):
        return f"{render_value(value.item)} ({value.count} {'time' if value.count == 1 else 'times'})"
    try:
        text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        text = repr(value)
    if len(text) > MAX_VALUE_WIDTH:
        text = f"{text[: MAX_VALUE_WIDTH - 1]}… ({len(text)} characters)"
    return text


@dataclass(frozen=True)
class Occurrences:
    """How often an array holds an item, for arrays compared as multisets."""

    item: object
    count: int


def colour_codes(enabled: bool) -> tuple[str, str, str]:
    if not enabled or os.environ.get("NO_COLOR"):
        return "", "", ""
    return "\x1b[31m", "\x1b[32m", "\x1b[0m"


def difference_lines(
    differences: Sequence[tuple[list[PathPart], object, object]], *, colour: bool = False
) -> list[str]:
    """``path`` then ``- expected`` / ``+ actual`` for each difference, trimmed to a readable length."""
    red, green, reset = colour_codes(colour)
    lines: list[str] = []
    for parts, expected, actual in differences[:MAX_DIFFERENCES]:
        lines.append(f"  {to_human(parts)}")
        lines.append(f"    {red}- expected: {render_value(expected)}{reset}")
        lines.append(f"    {green}+ actual:   {render_value(actual)}{reset}")
    hidden = len(differences) - MAX_DIFFERENCES
    if hidden > 0:
        lines.append(f"  ... and {hidden} more difference{'s' if hidden != 1 else ''}")
    return lines


def violation_lines(violations: Sequence[Violation]) -> list[str]:
    lines = []
    for v in violations[:MAX_DIFFERENCES]:
        lines.append(f"  {v}")
    hidden = len(violations) - MAX_DIFFERENCES
    if hidden > 0:
        lines.append(f"  ... and {hidden} more violation{'s' if hidden != 1 else ''}")
    return lines

"""How values, differences and violations are shown to people: one line each, bounded, colour optional.

Every line this module writes has a bound, whatever it shows: a value, a key or a message longer
than its width is cut with a visible ``… (N characters)``, a path too deep or too long keeps its
start and its end, and characters a terminal would act on (newlines, escape sequences) are written
as escapes. Two different values are never shown as two identical lines: when the cut would hide
where they differ the window moves there, and when their texts are the same their types are named.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import orjson

from pytest_thrillpots.spec._paths import ABSENT, PathPart, pointer_index_parts, to_human
from pytest_thrillpots.validation._violation import Violation

MAX_DIFFERENCES = 20
"""How many differences a report shows before it says how many more there are."""

MAX_VALUE_WIDTH = 80
"""The characters of a value shown on a line (its cut adds ``… (N characters)``)."""

MAX_KEY_WIDTH = 40
"""The characters of one key shown in a path."""

MAX_PATH_WIDTH = 120
"""The characters of a path shown on a line: a longer one keeps its start and its end."""

MAX_MESSAGE_WIDTH = 240
"""The characters of a violation's message shown on a line."""

_ORJSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
"""orjson writes these types as JSON it made up (a dataclass as an object, a datetime as a string):
passed through, they reach the walk, which shows them as Python does."""


@dataclass(frozen=True)
class Occurrences:
    """How often an array holds an item, for arrays compared as multisets."""

    item: object
    count: int


def render_value(value: object) -> str:
    """A value on one line, cut to a readable width."""
    text, suffix = _text_and_suffix(value)
    return cut(text, MAX_VALUE_WIDTH) + suffix


def value_text(value: object) -> str:
    """The whole text of a value, uncut: JSON, with ``NaN``, ``Infinity`` and ``(cycle)`` where
    JSON has no word, and Python's ``repr`` for what is not JSON (a set, a matcher, a datetime)."""
    if value is ABSENT:
        return "(absent)"
    try:
        text = orjson.dumps(value, option=_ORJSON_OPTIONS)
    except TypeError:  # not JSON orjson knows, a cycle, nesting deeper than 255, an integer past 64 bits
        return _walk_text(value)
    if b"null" in text:  # orjson writes NaN and the infinities as null too
        return _walk_text(value)
    return text.decode()


def cut(text: str, width: int, at: int = 0) -> str:
    """``text`` if it fits in ``width``, else a window of it that shows character ``at``, then
    ``… (N characters)``."""
    size = len(text)
    if size <= width:
        return text
    suffix = f" ({size} characters)"
    if at < width - 1 - min(10, width // 8):  # the head shows it, and a little of what follows
        return f"{text[: width - 1]}…{suffix}"
    start = at - width // 2
    if start + width - 1 >= size:  # the end is near: show it
        return f"…{text[size - (width - 1) :]}{suffix}"
    return f"…{text[start : start + width - 2]}…{suffix}"


def render_path(parts: Sequence[PathPart]) -> str:
    """A path as people read it (``pots[0].current_value``), each key and the whole bounded."""
    shown = [_cut_key(p) if isinstance(p, str) and len(p) > MAX_KEY_WIDTH else p for p in parts]
    text = _printable(to_human(shown))
    size = len(text)
    if size <= MAX_PATH_WIDTH:
        return text
    head = (MAX_PATH_WIDTH - 1) // 2
    tail = MAX_PATH_WIDTH - 1 - head
    return f"{text[:head]}…{text[size - tail :]} ({size} characters)"


def colour_codes(enabled: bool) -> tuple[str, str, str]:
    """Red, green and reset when ``enabled``, and ``NO_COLOR`` (https://no-color.org) is unset or empty."""
    if not enabled or os.environ.get("NO_COLOR"):
        return "", "", ""
    return "\x1b[31m", "\x1b[32m", "\x1b[0m"


def difference_lines(
    differences: Sequence[tuple[list[PathPart], object, object]], *, colour: bool = False
) -> list[str]:
    """``path`` then ``- expected`` / ``+ actual`` for each difference, each line bounded."""
    red, green, reset = colour_codes(colour)
    lines: list[str] = []
    for parts, expected, actual in differences[:MAX_DIFFERENCES]:
        shown_expected, shown_actual = _two_sides(expected, actual)
        lines.append(f"  {render_path(parts)}")
        lines.append(f"    {red}- expected: {shown_expected}{reset}")
        lines.append(f"    {green}+ actual:   {shown_actual}{reset}")
    hidden = len(differences) - MAX_DIFFERENCES
    if hidden > 0:
        lines.append(f"  ... and {hidden} more difference{'s' if hidden != 1 else ''}")
    return lines


def violation_lines(violations: Sequence[Violation]) -> list[str]:
    """``field: message [rule]`` for each violation, each line bounded."""
    lines = []
    for v in violations[:MAX_DIFFERENCES]:
        field = render_path(pointer_index_parts(v.path))
        lines.append(f"  {field}: {cut(_printable(v.message), MAX_MESSAGE_WIDTH)} [{v.rule}]")
    hidden = len(violations) - MAX_DIFFERENCES
    if hidden > 0:
        lines.append(f"  ... and {hidden} more violation{'s' if hidden != 1 else ''}")
    return lines


def _two_sides(expected: object, actual: object) -> tuple[str, str]:
    """The two values of a difference, cut alike so that where they differ shows on both lines."""
    expected_text, expected_suffix = _text_and_suffix(expected)
    actual_text, actual_suffix = _text_and_suffix(actual)
    if expected_text == actual_text:
        expected_text = cut(expected_text, MAX_VALUE_WIDTH)
        if expected_suffix == actual_suffix:
            # Different values, the same text (a UUID and its string, two NaN Decimals): say what they are.
            expected_kind, actual_kind = _type_name(expected), _type_name(actual)
            same = ", with the same text but not equal" if expected_kind == actual_kind else ""
            return f"{expected_text} ({expected_kind})", f"{expected_text} ({actual_kind}{same})"
        return expected_text + expected_suffix, expected_text + actual_suffix
    at = _common_prefix(expected_text, actual_text)
    return (
        cut(expected_text, MAX_VALUE_WIDTH, at) + expected_suffix,
        cut(actual_text, MAX_VALUE_WIDTH, at) + actual_suffix,
    )


def _text_and_suffix(value: object) -> tuple[str, str]:
    """A value's printable text, and for an item counted in a multiset how many times."""
    if isinstance(value, Occurrences):
        return _printable(value_text(value.item)), f" ({value.count} {'time' if value.count == 1 else 'times'})"
    return _printable(value_text(value)), ""


def _type_name(value: object) -> str:
    return cut(type(value.item if isinstance(value, Occurrences) else value).__qualname__, MAX_KEY_WIDTH)


def _common_prefix(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share (slices compare at C speed, so a 1 MB text is cheap)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _cut_key(key: str) -> str:
    return f"{key[: MAX_KEY_WIDTH - 1]}… ({len(key)} characters)"


def _printable(text: str) -> str:
    """``text`` with every character a terminal would not print as itself (a newline, an escape
    sequence's ESC, a right-to-left mark) written as ``\\uXXXX``; at C speed, whatever its length."""
    if text.isprintable():
        return text
    return text.translate({ord(c): _escape(c) for c in set(text) if not c.isprintable()})


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _walk_text(value: object) -> str:
    """The text of a value orjson cannot write, built without recursion: any depth, any cycle."""
    pieces: list[str] = []
    open_containers: set[int] = set()
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Text):
            pieces.append(item.text)
            if item.closes is not None:
                open_containers.discard(item.closes)
            continue
        if isinstance(item, (Mapping, list, tuple)):
            if id(item) in open_containers:
                pieces.append("(cycle)")
                continue
            open_containers.add(id(item))
            if isinstance(item, Mapping):
                pieces.append("{")
                stack.append(_Text("}", id(item)))
                entries = list(item.items())
                for index in range(len(entries) - 1, -1, -1):
                    key, child = entries[index]
                    stack.append(child)
                    stack.append(_Text(("," if index else "") + _key_text(key) + ":"))
            else:
                pieces.append("[")
                stack.append(_Text("]", id(item)))
                for index in range(len(item) - 1, -1, -1):
                    stack.append(item[index])
                    if index:
                        stack.append(_Text(","))
            continue
        pieces.append(_leaf_text(item))
    return "".join(pieces)


@dataclass(frozen=True, slots=True)
class _Text:
    """A piece of text on the walk's stack; a closing bracket also says which container it closes."""

    text: str
    closes: int | None = None


def _leaf_text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return int.__repr__(value)
        except ValueError:  # past sys.get_int_max_str_digits()
            return f"(an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits)"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return orjson.dumps(float(value)).decode()
    if isinstance(value, str):
        return _string_text(value)
    try:
        return repr(value)
    except Exception:  # a repr that fails (or recurses without end) must not hide the report
        return f"<{type(value).__name__} object>"


def _string_text(value: str) -> str:
    try:
        return orjson.dumps(str.__str__(value)).decode()
    except TypeError:  # a lone surrogate: json escapes it, and _printable shows it as \udXXX
        return json.dumps(value, ensure_ascii=False)


def _key_text(key: object) -> str:
    if isinstance(key, str):
        return _string_text(key)
    if key is None or isinstance(key, (bool, int, float)):
        return '"' + _leaf_text(key) + '"'
    return _string_text(str(key))

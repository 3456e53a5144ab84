"""Field paths, the one codec for each spelling.

JSON Pointers (RFC 6901) inside, ``pots[0].current_value`` for people, and ``pots__0__current_value``
where a path is a Python keyword (factory overrides, pins). An array index is a part of ASCII
digits only: ``"¹"`` is a key, never an index.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

PathPart = str | int

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HUMAN_TOKEN = re.compile(r"""\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\*)\]|\[("(?:[^"\\]|\\.)*")\]""")

ROOT_LABEL = "<event>"


def as_part(text: str) -> PathPart:
    """A path segment as a part: ASCII digits are an index, anything else a key."""
    return int(text) if text.isascii() and text.isdigit() else text


def to_pointer(parts: Sequence[PathPart]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_parts(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON Pointer: it must be empty or start with '/'")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def pointer_index_parts(pointer: str) -> list[PathPart]:
    """``/pots/0/current_value`` -> ``["pots", 0, "current_value"]``: unescaped, indexes as ints."""
    return [as_part(p) for p in pointer_parts(pointer)]


def from_keyword(name: str) -> tuple[PathPart, ...]:
    """``community_winners__0__win_amount`` -> ``("community_winners", 0, "win_amount")``."""
    return tuple(as_part(p) for p in name.split("__"))


def to_keyword(parts: Sequence[PathPart]) -> str:
    """``("community_winners", 0, "win_amount")`` -> ``community_winners__0__win_amount``."""
    return "__".join(str(p) for p in parts)


def to_human(parts: Sequence[PathPart]) -> str:
    """`["pots", 0, "current_value"]` -> `pots[0].current_value`."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, int) or part == "*":
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out) or ROOT_LABEL


def human_from_pointer(pointer: str) -> str:
    return to_human(pointer_index_parts(pointer))


def parse_human(path: str) -> list[PathPart]:
    """`community_winners[*].player_id` -> `["community_winners", "*", "player_id"]`.

    Accepts the forms `to_human` writes, and JSON Pointers as they are.
    """
    if path.startswith("/") or path == "":
        return pointer_index_parts(path)
    parts: list[PathPart] = []
    pos = 0
    while pos < len(path):
        match = _HUMAN_TOKEN.match(path, pos)
        if match is None or match.end() == pos or (pos == 0 and path.startswith(".")):
            raise ValueError(
                f"cannot read field path {path!r} at character {pos + 1}: write it as "
                "'player_id', 'pots[0].current_value' or 'community_winners[*].win_amount'"
            )
        name, index, quoted = match.groups()
        if name is not None:
            parts.append(name)
        elif index is not None:
            parts.append(index if index == "*" else int(index))
        else:
            parts.append(quoted[1:-1].replace('\\"', '"').replace("\\\\", "\\"))
        pos = match.end()
    return parts


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()
"""What ``value_at`` finds where a payload has nothing."""


def value_at(value: object, parts: Sequence[PathPart]) -> object:
    """The value at ``parts`` inside ``value``, or ``ABSENT``."""
    for part in parts:
        # Two branches, not one `or`: each narrows `part` to the index type its container takes.
        if isinstance(value, Mapping) and isinstance(part, str) and part in value:  # noqa: SIM114
            value = value[part]
        elif isinstance(value, (list, tuple)) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return ABSENT
    return value

"""The documents ``thrillpots diff`` judges: how deep and how large, checked before any walk.

Every walk over a schema or a pact is recursive, and YAML aliases let a few hundred bytes stand
for millions of values. A document past these limits is refused with one line (exit 2) before
it is walked, instead of a ``RecursionError`` (exit 1, which a CI gate reads as "breaking") or
minutes of work.
"""

from __future__ import annotations

from typing import Any, Final

from pytest_thrillpots._errors import ContractSourceError

MAX_DEPTH: Final = 256
"""Arrays and objects nested in one document (a schema 100 fields deep nests about 200)."""


MAX_VALUES: Final = 100_000
"""Values in one document, counted with YAML aliases expanded (the ThrillPots AsyncAPI document holds 433)."""


MAX_SCHEMA_DEPTH: Final = 128
"""Schemas nested in one comparison walk, across ``$ref`` to other documents."""


MAX_COMPARED: Final = 50_000
"""Pairs of schemas compared for one event: ``$ref`` to ``$ref`` can fan a few small files out to millions."""


def too_deep(where: str) -> ContractSourceError:
    return ContractSourceError(
        f"{where} nests arrays and objects more than {MAX_DEPTH} levels deep; "
        f"thrillpots diff judges documents up to {MAX_DEPTH} levels"
    )


def check_size(document: Any, where: str) -> None:
    """Raise ``ContractSourceError`` when ``document`` is nested too deeply, holds too many values
    (aliases expanded), or contains itself (a YAML alias inside its own anchor).

    Iterative, and linear in the values as written: a value reached twice (a YAML alias) is
    measured once.
    """
    measured: dict[int, tuple[int, int]] = {}  # id -> (values, depth) of a finished container
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    written = 0
    while stack:
        value, children_done = stack.pop()
        if not isinstance(value, (dict, list)) or id(value) in measured:
            continue
        children = list(value.values()) if isinstance(value, dict) else value
        if not children_done:
            written += 1 + sum(not isinstance(child, (dict, list)) for child in children)
            open_ids.add(id(value))
            stack.append((value, True))
            for child in children:
                if isinstance(child, (dict, list)):
                    if id(child) in open_ids:
                        raise ContractSourceError(f"{where} contains itself (a YAML alias inside its own anchor)")
                    stack.append((child, False))
            continue
        size, depth = 1, 1
        for child in children:
            child_size, child_depth = measured.get(id(child), (1, 0))
            size += child_size
            depth = max(depth, child_depth + 1)
        open_ids.discard(id(value))
        measured[id(value)] = (size, depth)
        if depth > MAX_DEPTH:
            raise too_deep(where)
        if size > MAX_VALUES:
            if written < size:
                raise ContractSourceError(
                    f"{where} expands, through YAML aliases, to more than {MAX_VALUES:,} values; "
                    "thrillpots diff refuses documents that large (write the repeated parts once, or without aliases)"
                )
            raise ContractSourceError(
                f"{where} holds more than {MAX_VALUES:,} values; thrillpots diff judges documents up to that size"
            )

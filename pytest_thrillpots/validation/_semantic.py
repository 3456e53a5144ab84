"""The conventions the seed does not state, checked by ``validate(..., semantic=True)``.

The schemas say a timestamp is a Number; the conventions say it is whole epoch milliseconds in
UTC, that a jackpot starts before it ends, that money has two decimals, and so on. The
factories follow them, and producer teams lint real payloads against them with their own rule
codes (docs/spec.md, "Conventions"). Each check reads a value only where it has the spec's
type: a wrong type is the schema's violation, reported once, by the schema rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final, Literal, TypeGuard, get_args

from pytest_thrillpots.spec import Node, spec
from pytest_thrillpots.spec._paths import PathPart, to_pointer
from pytest_thrillpots.validation._json import is_finite, json_type, number_text
from pytest_thrillpots.validation._violation import Violation

SemanticRule = Literal[
    "timestamp_ms",
    "time_order",
    "money",
    "count",
    "currency_code",
    "currency_unlisted",
    "base_multiplier",
    "multiplier",
    "brand_mismatch",
    "empty_id",
    "duplicate_id",
]
SEMANTIC_RULES: Final[tuple[SemanticRule, ...]] = get_args(SemanticRule)

TIMESTAMP_FIELDS: Final = frozenset({"timestamp", "timestamp_start", "timestamp_end", "last_updated"})
MONEY_FIELDS: Final = frozenset(
    {"win_amount", "value", "current_value", "preferred_contribution_value", "contribution_value"}
)
COUNT_FIELDS: Final = frozenset({"contribution_count"})
CURRENCY_FIELDS: Final = frozenset({"currency", "jackpot_currency", "base_currency"})
"""Field names the conventions give a meaning; a test proves each one is in the spec."""

EARLIEST_MS: Final = 946_684_800_000  # 2000-01-01T00:00:00Z
LATEST_MS: Final = 4_102_444_800_000  # 2100-01-01T00:00:00Z
_CURRENCY_CODE = re.compile(r"[A-Z]{3}\Z")

Finding = tuple[tuple[PathPart, ...], SemanticRule, str, str, str]
"""(path, rule, expected, actual, message) of one broken convention."""


def _number(value: object) -> TypeGuard[float]:
    """A number the conventions can judge: a JSON number (``_json``), NaN and infinities aside.

    Whole numbers stay ints throughout (``10**400`` is compared exactly, never made a float).
    """
    return json_type(value) == "number" and is_finite(value)  # type: ignore[arg-type]


def _whole(value: float) -> bool:
    return isinstance(value, int) or value.is_integer()


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def semantic_violations(payload: object, event_type: str) -> list[Violation]:
    """Every convention ``payload`` breaks: field conventions first, then the event-wide ones.

    ``payload`` is plain parsed JSON (``_json.plain_json`` makes it so for values built in Python).
    """
    if not isinstance(payload, Mapping):
        return []
    found = [*_fields(spec(event_type), payload, ()), *_event_rules(event_type, spec(event_type), payload)]
    return [
        Violation(to_pointer(path), rule, expected, actual, message) for path, rule, expected, actual, message in found
    ]


def _fields(node: Node, value: Mapping[str, Any], parts: tuple[PathPart, ...]) -> Iterator[Finding]:
    for name, child in node.fields.items():
        if name not in value:
            continue
        item = value[name]
        path = (*parts, name)
        yield from _leaf(name, child, item, path)
        yield from _nested(child, item, path)
    if node.structure == "CurrencyMultipliers":
        yield from _multipliers(value, parts)


def _nested(node: Node, value: Any, path: tuple[PathPart, ...]) -> Iterator[Finding]:
    if node.kind == "object" and isinstance(value, Mapping) and node.fields:
        yield from _fields(node, value, path)
    elif node.kind == "array" and isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            yield from _nested(node.items, item, (*path, index))


def _leaf(name: str, node: Node, value: Any, path: tuple[PathPart, ...]) -> Iterator[Finding]:
    if name in TIMESTAMP_FIELDS and _number(value) and not _is_epoch_ms(value):
        hint = (
            " (that looks like seconds: send milliseconds)" if EARLIEST_MS // 1000 <= value < LATEST_MS // 1000 else ""
        )
        yield (
            path,
            "timestamp_ms",
            "whole epoch milliseconds (UTC) between 2000 and 2100",
            f"number {number_text(value)}",
            f"expected whole epoch milliseconds (UTC) between 2000 and 2100, got {number_text(value)}{hint}",
        )
    elif name in MONEY_FIELDS and _number(value) and not _is_money(value):
        yield (
            path,
            "money",
            "an amount >= 0 with at most two decimals",
            f"number {number_text(value)}",
            f"expected an amount >= 0 with at most two decimals, got {number_text(value)}",
        )
    elif name in COUNT_FIELDS and _number(value) and not (value >= 0 and _whole(value)):
        yield (
            path,
            "count",
            "a whole number >= 0",
            f"number {number_text(value)}",
            f"expected a whole number >= 0, got {number_text(value)}",
        )
    elif name in CURRENCY_FIELDS and isinstance(value, str) and not _CURRENCY_CODE.match(value):
        yield (
            path,
            "currency_code",
            "a three-letter upper-case currency code (ISO 4217)",
            f"string {value!r}",
            f'expected a three-letter upper-case currency code like "EUR", got {value!r}',
        )
    elif _is_id(name) and node.kind == "string" and isinstance(value, str) and not value.strip():
        yield (path, "empty_id", "a non-empty id", f"string {value!r}", f"expected a non-empty id, got {value!r}")


def _is_epoch_ms(value: float) -> bool:
    return _whole(value) and EARLIEST_MS <= value < LATEST_MS


def _is_money(value: float) -> bool:
    """At least 0, with at most two decimals as JSON writes the number (the shortest text that
    reads back as it: ``123456.789`` has three, ``0.30000000000000004`` seventeen, ``4.35`` two)."""
    if value < 0:
        return False
    if _whole(value):
        return True
    mantissa, _, exponent = float.__repr__(value).partition("e")
    return len(mantissa.partition(".")[2]) - int(exponent or 0) <= 2


def _multipliers(value: Mapping[str, Any], parts: tuple[PathPart, ...]) -> Iterator[Finding]:
    table = value.get("multipliers")
    if not isinstance(table, Mapping):
        return
    for code, multiplier in table.items():
        if _number(multiplier) and multiplier <= 0:
            yield (
                (*parts, "multipliers", code),
                "multiplier",
                "a multiplier > 0",
                f"number {number_text(multiplier)}",
                f"expected a multiplier > 0 for {code}, got {number_text(multiplier)}",
            )
        if not _CURRENCY_CODE.match(code):  # a wrong multiplier does not make its key right
            yield (
                (*parts, "multipliers", code),
                "currency_code",
                "a three-letter upper-case currency code",
                f"key {code!r}",
                f"expected a three-letter upper-case currency code as a key, got {code!r}",
            )
    base = value.get("base_currency")
    if isinstance(base, str):
        multiplier = table.get(base)
        if multiplier is None:
            yield (
                (*parts, "multipliers", base),
                "base_multiplier",
                "the base currency's multiplier, 1.0",
                "missing",
                f"the base currency {base} has no multiplier (expected {base}: 1.0)",
            )
        elif _number(multiplier) and multiplier != 1:
            yield (
                (*parts, "multipliers", base),
                "base_multiplier",
                "1.0",
                f"number {number_text(multiplier)}",
                f"the base currency {base} must have the multiplier 1.0, got {number_text(multiplier)}",
            )


def _event_rules(event_type: str, node: Node, event: Mapping[str, Any]) -> Iterator[Finding]:
    yield from _time_order(event)
    multipliers = event.get("currency_multipliers")
    table = multipliers.get("multipliers") if isinstance(multipliers, Mapping) else None
    if isinstance(table, Mapping):
        payout_arrays = [
            name
            for name, child in node.fields.items()
            if child.items is not None and child.items.structure == "PayoutRecord"
        ]
        yield from _listed_currencies(event, table, payout_arrays)
    brand = event.get("brand_id")
    if isinstance(brand, str) and isinstance(multipliers, Mapping):
        other = multipliers.get("brand_id")
        if isinstance(other, str) and other != brand:
            yield (
                ("currency_multipliers", "brand_id"),
                "brand_mismatch",
                f"the event's brand_id {brand!r}",
                f"string {other!r}",
                f"the currency multipliers are for brand {other!r}, the event for {brand!r}",
            )
    winners = event.get("winners")
    if event_type == "RaffleWinEvent" and isinstance(brand, str) and isinstance(winners, list):
        for index, winner in enumerate(winners):
            other = winner.get("brand_id") if isinstance(winner, Mapping) else None
            if isinstance(other, str) and other != brand:
                yield (
                    ("winners", index, "brand_id"),
                    "brand_mismatch",
                    f"the event's brand_id {brand!r}",
                    f"string {other!r}",
                    f"a raffle draw pays the players of brand {brand!r}, not {other!r}",
                )
    pots = event.get("pots")
    if isinstance(pots, list):
        seen: set[str] = set()
        for index, pot in enumerate(pots):
            pot_id = pot.get("id") if isinstance(pot, Mapping) else None
            if isinstance(pot_id, str):
                if pot_id in seen:
                    yield (
                        ("pots", index, "id"),
                        "duplicate_id",
                        "a pot id unique within pots",
                        f"string {pot_id!r}",
                        f"pot id {pot_id!r} appears more than once in pots",
                    )
                seen.add(pot_id)


def _time_order(event: Mapping[str, Any]) -> Iterator[Finding]:
    start, end, updated = event.get("timestamp_start"), event.get("timestamp_end"), event.get("last_updated")
    if _number(start) and _number(updated) and start > updated:
        yield (
            ("timestamp_start",),
            "time_order",
            "timestamp_start <= last_updated",
            f"number {number_text(start)}",
            f"timestamp_start {number_text(start)} is after last_updated {number_text(updated)}",
        )
    if _number(start) and _number(end) and start >= end:
        yield (
            ("timestamp_end",),
            "time_order",
            "timestamp_end after timestamp_start",
            f"number {number_text(end)}",
            f"timestamp_end {number_text(end)} is not after timestamp_start {number_text(start)}",
        )


def _listed_currencies(
    event: Mapping[str, Any], table: Mapping[str, Any], payout_arrays: list[str]
) -> Iterator[Finding]:
    listed = ", ".join(table)
    currency = event.get("jackpot_currency")
    if isinstance(currency, str) and currency not in table:
        yield (
            ("jackpot_currency",),
            "currency_unlisted",
            f"one of the event's multiplier currencies ({listed})",
            f"string {currency!r}",
            f"jackpot_currency {currency!r} has no multiplier in currency_multipliers",
        )
    for field in payout_arrays:
        records = event.get(field)
        if not isinstance(records, list):
            continue
        for index, record in enumerate(records):
            currency = record.get("currency") if isinstance(record, Mapping) else None
            if isinstance(currency, str) and currency not in table:
                yield (
                    (field, index, "currency"),
                    "currency_unlisted",
                    f"one of the event's multiplier currencies ({listed})",
                    f"string {currency!r}",
                    f"the winner's currency {currency!r} has no multiplier in currency_multipliers",
                )

"""Violation, the rule codes, and the one wording of each rule.

Every part that reports a violation (the validator, the NDJSON reader, the semantic rules, the
Pact mismatch report) builds it here, so a missing field or a wrong type reads the same wherever
it is found.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

import orjson

from pytest_thrillpots.spec import Node, lookup
from pytest_thrillpots.spec._paths import PathPart, human_from_pointer, to_pointer
from pytest_thrillpots.validation._json import is_finite, json_type, number_text
from pytest_thrillpots.validation._legacy import CANONICAL_WINNER, LEGACY_WINNER, is_winner_item

if TYPE_CHECKING:
    from pytest_thrillpots.validation._semantic import SemanticRule


Rule = Literal["missing", "type", "null", "enum", "unknown_field", "legacy_tuple", "not_object", "json"]


RULES: tuple[Rule, ...] = get_args(Rule)


FIELDS = ("path", "rule", "expected", "actual", "message")


@dataclass(frozen=True)
class Violation:
    """One way a payload breaks the spec.

    The validator records what it found and where; a violation's pointer and words are built
    from that record when first read (``pending``), and from then on it is like any other.
    """

    # Declared by hand, not slots=True: one slot more than the fields, for the pending record.
    __slots__ = ("_source", "actual", "expected", "message", "path", "rule")

    path: str
    """Where, as a JSON Pointer (RFC 6901); ``""`` is the whole payload."""
    rule: Rule | SemanticRule
    """A stable code: missing, type, null, enum, unknown_field, legacy_tuple, not_object, json;
    with ``semantic=True`` also one of ``SEMANTIC_RULES`` (the conventions)."""
    expected: str
    """What the spec asks for, in its terms (``number``, ``"Jackpot" or "Raffle"``)."""
    actual: str
    """What the payload holds (``string "no"``, ``null``, ``missing``)."""
    message: str
    """One sentence for people."""

    _source: ClassVar[tuple[Callable[..., Fields], tuple[Any, ...]]]
    """A pending violation's record: the builder of its fields, and what it is given (a slot)."""

    @property
    def field(self) -> str:
        """The path as people read it: ``pots[0].current_value``."""
        return _human(self.path)

    def __str__(self) -> str:
        return f"{self.field}: {self.message} [{self.rule}]"

    def __getattr__(self, name: str) -> Any:
        # Reached only for a slot never set: the fields of a pending violation, built now.
        if name not in FIELDS or name == "rule":
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        build, args = _get_source(self)
        path, _, expected, actual, message = build(*args)
        _set_path(self, path)
        _set_expected(self, expected)
        _set_actual(self, actual)
        _set_message(self, message)
        return getattr(self, name)

    def __reduce__(self) -> tuple[type[Violation], tuple[Any, ...]]:
        return (Violation, tuple(getattr(self, field) for field in FIELDS))


_new = object.__new__
_set = object.__setattr__
_get_source = Violation.__dict__["_source"].__get__
_set_path = Violation.__dict__["path"].__set__
_set_expected = Violation.__dict__["expected"].__set__
_set_actual = Violation.__dict__["actual"].__set__
_set_message = Violation.__dict__["message"].__set__

Fields = tuple[str, "Rule | SemanticRule", str, str, str]
"""A violation's five fields: path, rule, expected, actual, message."""


def pending(rule: Rule, build: Callable[..., Fields], *args: Any) -> Violation:
    """A violation of ``rule`` whose fields ``build(*args)`` makes when one is first read.

    Most violations are counted or matched on their rule and never shown, and building the
    pointer and the message is most of the cost of a violation.
    """
    violation: Violation = _new(Violation)
    _set(violation, "rule", rule)
    _set(violation, "_source", (build, args))
    return violation


def describe_value(value: object, limit: int = 40) -> str:
    """A value as failure messages show it: ``string "no"``, ``number 12``, ``null``, ``array``.

    Python values are shown as the JSON they stand for (``_json``): an ``IntEnum`` member as its
    number, a ``str`` subclass as its text.
    """
    if type(value) is str and len(value) <= limit:  # the common case first
        return f"string {_json_string(value)}"
    kind = json_type(value)
    if kind == "null":
        return "null"
    if kind == "boolean":
        return f"boolean {'true' if value else 'false'}"
    if kind == "string":
        assert isinstance(value, str)
        text = _json_string(str.__str__(value[:limit]))
        if len(value) > limit:
            text = f'{text[:-1]}…" ({len(value)} characters)'
        return f"string {text}"
    if kind == "number":
        assert isinstance(value, (int, float))
        if not is_finite(value):
            return f"number {float.__repr__(value)} (not valid JSON)"
        return f"number {number_text(value)}"
    if kind == "array":
        assert isinstance(value, (list, tuple))
        return f"array of {len(value)} item{'s' if len(value) != 1 else ''}" if value else "empty array"
    if kind == "object":
        return "object"
    return f"{type(value).__name__} (not a JSON value)"


def _json_string(text: str) -> str:
    try:
        return orjson.dumps(text).decode()
    except orjson.JSONEncodeError:  # a lone surrogate, which only json's escaping can show
        return json.dumps(text, ensure_ascii=False)


_NON_FINITE_TOKEN = re.compile(r"-?(?:NaN|Infinity)")


def json_violation(exc: orjson.JSONDecodeError, *, single_line: bool = False) -> Violation:
    """The ``json`` violation for text that does not parse, with where it stopped.

    ``single_line`` words the position as a column, for NDJSON lines reported by line number.
    """
    token = _NON_FINITE_TOKEN.match(exc.doc, max(exc.pos - 1, 0)) or _NON_FINITE_TOKEN.match(exc.doc, exc.pos)
    # orjson stops after the sign of -Infinity; the token starts at the sign.
    back = exc.pos - token.start() if token is not None else 0
    where = f"at column {exc.pos - back + 1}" if single_line else f"at line {exc.lineno} column {exc.colno - back}"
    if "not valid UTF-8" in exc.msg:
        # orjson says "surrogates not allowed" for any bad byte; the cause people need is the encoding.
        reason = "the text is not valid UTF-8 (JSON text must be UTF-8)"
    elif "depth limit" in exc.msg:
        reason = f"nested more than 1024 levels deep {where} (the parser's limit; no event nests that deep)"
    elif token is not None:
        reason = f"{token[0]} {where} is not a JSON number (JSON has no NaN or Infinity)"
    else:
        reason = f"{exc.msg} {where}"
    return Violation("", "json", "a JSON document", "unparseable text", f"not valid JSON: {reason}")


@functools.lru_cache(maxsize=4096)
def cached_pointer(parts: tuple[PathPart, ...]) -> str:
    return to_pointer(parts)


@functools.lru_cache(maxsize=4096)  # the same places break in many events
def _human(pointer: str) -> str:
    return human_from_pointer(pointer)


@functools.lru_cache(maxsize=4096)
def cached_lookup(event_type: str, parts: tuple[PathPart, ...]) -> Node | None:
    return lookup(event_type, parts)


# The one wording of each rule: (pointer, the words) -> the five fields. The eager builders below
# and the collector's recorded violations (which precompute a place's pointer and expected) use them.


def missing_fields(pointer: str, expected: str) -> Fields:
    return (pointer, "missing", expected, "missing", f"expected {expected}, but the field is missing")


def null_fields(pointer: str, expected: str) -> Fields:
    return (pointer, "null", expected, "null", f"expected {expected}, got null (null is not allowed here)")


def type_fields(pointer: str, expected: str, value: object) -> Fields:
    actual = describe_value(value)
    return (pointer, "type", expected, actual, f"expected {expected}, got {actual}")


def enum_fields(pointer: str, expected: str, value: object) -> Fields:
    actual = describe_value(value)
    return (pointer, "enum", expected, actual, f"expected {expected}, got {actual}")


def not_object_fields(event_type: str, value: object) -> Fields:
    actual = describe_value(value)
    return ("", "not_object", f"{event_type} object", actual, f"expected a JSON object (a {event_type}), got {actual}")


def legacy_fields(pointer: str, value: object) -> Fields:
    return (
        pointer,
        "legacy_tuple",
        f"PayoutRecord object {CANONICAL_WINNER}",
        describe_value(value),
        f"legacy tuple form {LEGACY_WINNER}; the canonical winner shape is {CANONICAL_WINNER} "
        "(use upgrade_legacy_winners() to convert, or allow_legacy_winners=True to accept it)",
    )


def unknown_fields(pointer: str, structure: str | None, value: object) -> Fields:
    where = f"{structure} " if structure else ""
    actual = describe_value(value)
    return (
        pointer,
        "unknown_field",
        "no such field",
        actual,
        f"unknown field, not listed in the {where}spec (strict mode), got {actual}",
    )


def not_finite_fields(pointer: str, value: float) -> Fields:
    """A NaN or an infinity where the spec allows any JSON value (``metadata``): JSON has neither."""
    actual = describe_value(value)
    return (pointer, "type", "a JSON value", actual, f"expected a JSON value, got {actual}")


def enum_words(options: Iterable[object]) -> str:
    """An enum's options as messages show them: ``"Jackpot" or "Raffle"``."""
    return " or ".join(json.dumps(o) for o in options)


@functools.lru_cache(maxsize=4096)  # a field missing from one event tends to be missing from the next
def missing_violation(event_type: str, member: tuple[PathPart, ...]) -> Violation:
    return Violation(*missing_fields(cached_pointer(member), _expected(event_type, list(member), None)))


def unknown_violation(event_type: str, parts: list[PathPart], name: str, value: object) -> Violation:
    owner = node_at(event_type, parts)
    return Violation(*unknown_fields(cached_pointer((*parts, name)), owner.structure if owner else None, value))


def enum_violation(parts: list[PathPart], options: Iterable[object], value: object) -> Violation:
    return Violation(*enum_fields(cached_pointer(tuple(parts)), enum_words(options), value))


def type_violation(
    parts: list[PathPart], instance: object, types: list[str], event_type: str, allow_legacy_winners: bool
) -> Violation:
    if not parts:
        return Violation(*not_object_fields(event_type, instance))
    pointer = cached_pointer(tuple(parts))
    if not allow_legacy_winners and isinstance(instance, (list, tuple)) and is_winner_item(event_type, parts):
        return Violation(*legacy_fields(pointer, instance))
    expected = _expected(event_type, parts, types)
    if instance is None:
        return Violation(*null_fields(pointer, expected))
    return Violation(*type_fields(pointer, expected, instance))


def node_at(event_type: str, parts: list[PathPart]) -> Node | None:
    if is_winner_item(event_type, parts[:2]) and parts[2:3] == [1]:
        # Inside a legacy tuple's amount: the spec's CurrencyValue.
        return cached_lookup("CurrencyValue", tuple(parts[3:]))
    return cached_lookup(event_type, tuple(parts))


def _expected(event_type: str, parts: list[PathPart], types: list[str] | None) -> str:
    return expected_at(event_type, tuple(parts), tuple(types) if types is not None else None)


@functools.lru_cache(maxsize=4096)
def expected_at(event_type: str, parts: tuple[PathPart, ...], types: tuple[str, ...] | None) -> str:
    node = node_at(event_type, list(parts))
    if node is not None:
        return node.describe()
    return " or ".join(types) if types else "a value"


def legacy_tuple_violation(parts: list[PathPart], instance: object, *, extra_item: bool) -> Violation:
    """A legacy winner tuple of the wrong length: an item beyond the second, or too few."""
    actual = describe_value(instance)
    if extra_item:
        expected = f"legacy winner tuple {LEGACY_WINNER} (2 items)"
        message = f"expected {expected}, got an extra item: {actual}"
    else:
        expected = f"legacy winner tuple {LEGACY_WINNER}"
        message = f"expected {expected}, got {actual}"
    return Violation(cached_pointer(tuple(parts)), "type", expected, actual, message)

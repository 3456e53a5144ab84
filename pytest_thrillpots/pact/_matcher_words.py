"""Matchers in people's words: what a pact expects at a path (``integer``, ``regex ^[A-Z]{3}$``, ``min 1 item``)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Final

from pytest_thrillpots.pact._reading import (
    Matcher,
    MatchingRule,
)
from pytest_thrillpots.spec import Node

FORMAT_NAMES: Final = {
    "date": "date",
    "time": "time",
    "datetime": "date and time",
    "timestamp": "date and time",
}


SEMVER: Final = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")


def spec_words(node: Node) -> str:
    """The spec's type of a field, as a phrase: ``a string``, ``"Jackpot" or "Raffle"``, ``an array of strings``."""
    text = node.describe()
    if text.startswith('"'):
        return text
    return f"an {text}" if text[0] in "aeiou" else f"a {text}"


def matcher_words(matcher: Matcher, example: Any) -> str:
    """What one matcher asks for, in the pact's own terms, without an article: ``integer``,
    ``string matching regex ^[A-Z]{3}$``, ``array with at least 1 item``, ``"Jackpot" or "Raffle"``."""
    kind, options = matcher.kind, matcher.options
    if kind == "type":
        sizes = size_words(matcher, example)
        return f"array with {sizes}" if sizes else json_type(example)
    if kind == "equality":
        return f"the pinned value {shown_value(example)}"
    if kind == "regex":
        pattern = str(options.get("regex"))
        literals = alternation(pattern)
        return " or ".join(json.dumps(v) for v in literals) if literals else f"string matching regex {pattern}"
    if kind == "include":
        return f"string including {json.dumps(options.get('value'))}"
    if kind in FORMAT_NAMES:
        return f"{FORMAT_NAMES[kind]} in the format {options.get('format')}"
    words = {
        "semver": "semantic version (1.2.3)",
        "contentType": f"string of content type {options.get('value')}",
        "integer": "integer",
        "decimal": "decimal number",
        "number": "number",
        "boolean": "boolean",
        "null": "null",
        "notEmpty": "non-empty value",
        "eachKey": "object",
        "eachValue": "object",
        "values": "object",
        "arrayContains": "array",
        "statusCode": "HTTP status",
    }
    return words.get(kind, f"value its {kind!r} matcher passes")


_ALTERNATION = re.compile(r"\^\(((?:[^|()\\]|\\.)+(?:\|(?:[^|()\\]|\\.)+)*)\)\$")


def size_words(matcher: Matcher, example: Any) -> str | None:
    """A type matcher's bounds on an array, ``at least 1 item``, ``1 to 4 items``; None without bounds."""
    low, high = matcher.options.get("min"), matcher.options.get("max")
    if matcher.kind != "type" or not isinstance(example, list) or (low is None and high is None):
        return None
    if low is not None and high is not None:
        return f"{low} to {high} items"
    if low is not None:
        return f"at least {low} item{'s' if low != 1 else ''}"
    return f"at most {high} item{'s' if high != 1 else ''}"


_LITERAL = re.compile(r"(?:[^.^$*+?{}\[\]|()\\]|\\[^A-Za-z0-9])+")
"""Regex text that matches only itself: no operator, and escapes of punctuation only (``\\.``, not ``\\d``)."""


def alternation(pattern: str) -> list[str] | None:
    """The literals of an anchored alternation (``^(Jackpot|Raffle)$``, as the plugin writes an enum), else None."""
    match = _ALTERNATION.fullmatch(pattern)
    if match is None:
        return None
    literals = []
    for escaped in match.group(1).split("|"):
        if _LITERAL.fullmatch(escaped) is None:
            return None
        literals.append(re.sub(r"\\(.)", r"\1", escaped))
    return literals


def with_article(words: str) -> str:
    if words.startswith(('"', "the ", "null")) or words[0].isdigit():
        return words
    return f"an {words}" if words[0] in "aeiou" else f"a {words}"


def rule_words(matchers: Sequence[Matcher], combine: str, example: Any) -> str:
    """A rule's matchers in the pact's terms, without articles: ``integer or null``."""
    return (" or " if combine == "OR" else " and ").join(dict.fromkeys(matcher_words(m, example) for m in matchers))


def expects_words(matchers: Sequence[Matcher], combine: str, example: Any) -> str:
    words = [with_article(matcher_words(m, example)) for m in matchers]
    return (" or " if combine == "OR" else " and ").join(dict.fromkeys(words))


def one_rule_words(rule: MatchingRule, example: Any) -> str:
    return expects_words(rule.matchers, rule.combine, example)


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shown_value(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"

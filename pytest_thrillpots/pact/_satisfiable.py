"""The walk of one interaction against the spec: what each matcher lets through at each field."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from pytest_thrillpots._errors import PactFileError
from pytest_thrillpots.pact._interactions import PRESENT_STATE
from pytest_thrillpots.pact._matcher_words import (
    SEMVER,
    expects_words,
    json_type,
    matcher_words,
    one_rule_words,
    shown_value,
    spec_words,
    with_article,
)
from pytest_thrillpots.pact._reading import (
    WILDCARD,
    Matcher,
    MatchingRule,
    best_rule,
    rule_from_json,
    rules_from_json,
)
from pytest_thrillpots.spec import Node
from pytest_thrillpots.spec._paths import PathPart, to_human

RuleAt = Callable[[Sequence[PathPart]], MatchingRule | None]


JSON_TYPES: Final = ("string", "number", "boolean", "object", "array", "null")


TEXT_MATCHERS: Final = frozenset({"regex", "include", "semver", "date", "time", "datetime", "timestamp", "contentType"})
"""Matchers of text: the Pact core applies them to a number's or a boolean's JSON text, which the
spec does not fix (``25.0`` or ``25``), so on a field the spec types otherwise they contradict it."""


CONTAINER_MATCHERS: Final = frozenset({"eachKey", "eachValue", "values", "arrayContains"})
"""Matchers that judge an object's keys or values, or an array's items, by rules of their own:
the verifier compares nothing else below them."""


def node_types(node: Node) -> set[str]:
    return {node.kind, "null"} if node.nullable else {node.kind}


def human_path(parts: Sequence[PathPart]) -> str:
    return to_human(["*" if isinstance(p, int) else p for p in parts]) if parts else "<event>"


@dataclass
class Verdict:
    """What one matcher lets through at a field: the JSON types it accepts, and why no value of the spec passes."""

    accepts: set[str]
    problem: str | None = None
    code: str = "matcher_type"
    narrower: str | None = None


@dataclass
class SpecWalker:
    rule_at: RuleAt
    states: tuple[str, ...] = ()
    found: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def present_state(self, parts: Sequence[PathPart]) -> bool:
        """True when a provider state asks the producer for the field present (``metadata is present``)."""
        return PRESENT_STATE.format(path=human_path(parts)) in self.states

    def add(self, severity: Severity, parts: Sequence[PathPart], code: str, message: str) -> None:
        path = human_path(parts)
        key = (path, code)
        if key not in self.found or (severity == "error" and self.found[key].severity == "warning"):
            self.found[key] = Finding(severity, path, code, message)

    def results(self) -> list[Finding]:
        order = {"error": 0, "warning": 1}
        return sorted(self.found.values(), key=lambda f: (f.path, order[f.severity], f.code))

    def walk(self, node: Node | None, example: Any, parts: tuple[PathPart, ...]) -> None:
        if node is None:
            self.add("error", parts, "unknown_field", "the spec has no such field: no event carries it")
            return
        rule = self.rule_at(parts)
        self.judge(node, example, rule, parts)
        if node.free_form:
            return  # any content: every key and value inside is one the spec allows
        if (
            rule is not None
            and len(rule.path) == len(parts)
            and any(m.kind in CONTAINER_MATCHERS for m in rule.matchers)
        ):
            return  # the example's keys and items only illustrate: the matcher's own rules were judged above
        if node.kind == "object" and isinstance(example, Mapping):
            for name, value in example.items():
                self.walk(node.child(str(name)), value, (*parts, str(name)))
        elif node.kind == "array" and isinstance(example, list):
            for index, item in enumerate(example):
                self.walk(node.items, item, (*parts, index))

    def judge(self, node: Node, example: Any, rule: MatchingRule | None, parts: tuple[PathPart, ...]) -> None:
        """The findings of one field's rule (its own or inherited; equality without one) against its spec node."""
        matchers = rule.matchers if rule is not None else (Matcher("equality"),)
        combine = rule.combine if rule is not None else "AND"
        spec_types = node_types(node)
        inherited = rule is not None and len(rule.path) < len(parts)
        verdicts = [self.verdict(m, node, example, parts, inherited=inherited) for m in matchers]
        if combine == "AND":
            accepts = set(JSON_TYPES)
            for verdict in verdicts:
                accepts &= verdict.accepts
            problems = [v for v in verdicts if v.problem]
        else:
            accepts = set().union(*(v.accepts for v in verdicts))
            passing = [v for v in verdicts if not v.problem and v.accepts & spec_types]
            problems = [] if passing else [v for v in verdicts if v.problem]
        unknown = [v for v in verdicts if v.code == "unknown_matcher" and v.problem]
        if unknown:
            for verdict in unknown:
                assert verdict.problem is not None
                self.add("error", parts, verdict.code, verdict.problem)
            return
        possible = accepts & spec_types
        if not possible:
            self.add("error", parts, *self.contradiction(node, example, matchers, combine, rule))
            return
        for verdict in problems:
            assert verdict.problem is not None
            self.add("error", parts, verdict.code, verdict.problem)
        if problems:
            return
        if node.nullable and "null" not in accepts and not self.present_state(parts):
            self.add(
                "warning",
                parts,
                "nullable",
                f"the spec lets it be null and the pact expects {expects_words(matchers, combine, example)}: "
                "it fails when the producer sends null",
            )
        if combine == "AND" or len(verdicts) == 1:
            for verdict in verdicts:
                if verdict.narrower:
                    self.add("warning", parts, "narrower_type", verdict.narrower)

    def contradiction(
        self, node: Node, example: Any, matchers: Sequence[Matcher], combine: str, rule: MatchingRule | None
    ) -> tuple[str, str]:
        spec_said = spec_words(node)
        kinds = [m.kind for m in matchers]
        if rule is None or kinds == ["equality"]:
            return (
                "pinned_value",
                f"the pact pins {shown_value(example)}, but the spec has {spec_said} here: no event can pass",
            )
        if kinds == ["null"]:
            return "null", f"the pact expects null, but the spec has {spec_said} here: no event can pass"
        expects = expects_words(matchers, combine, example)
        return "matcher_type", f"the pact expects {expects}, but the spec has {spec_said} here: no event can pass"

    def verdict(
        self, matcher: Matcher, node: Node, example: Any, parts: tuple[PathPart, ...], *, inherited: bool
    ) -> Verdict:
        kind = matcher.kind
        options = matcher.options
        if kind in ("equality", "type"):
            verdict = Verdict({json_type(example)})
            if kind == "type" and ("min" in options or "max" in options) and isinstance(example, list):
                low, high = options.get("min"), options.get("max")
                if isinstance(low, int) and isinstance(high, int) and low > high:
                    verdict.problem = f"the pact asks for at least {low} and at most {high} items: no array has both"
                    verdict.code = "size"
            pinned = kind == "equality" and node.is_leaf and not node.free_form
            if pinned and json_type(example) in node_types(node) and not node.fits(example):
                verdict.problem = (
                    f"the pact pins {shown_value(example)}, but the spec has {spec_words(node)} here: no event can pass"
                )
                verdict.code = "pinned_value"
            return verdict
        if kind in ("number", "integer", "decimal"):
            verdict = Verdict({"number"})
            if kind != "number" and node.kind == "number":
                verdict.narrower = (
                    "the spec allows any number and the pact expects an integer: it fails when the producer sends 2.5"
                    if kind == "integer"
                    else "the spec allows any number and the pact expects a decimal: it fails when the producer sends "
                    "a whole number such as 2 (most JSON writers drop the .0)"
                )
            return verdict
        if kind == "boolean":
            return Verdict({"boolean"})
        if kind == "null":
            return Verdict({"null"})
        if kind in TEXT_MATCHERS:
            verdict = Verdict({"string"})
            if node.enum is not None:
                allowed = [v for v in node.enum if isinstance(v, str) and text_passes(matcher, v)]
                if allowed == [] and decidable(matcher):
                    verdict.problem = (
                        f"the pact expects {with_article(matcher_words(matcher, example))}, but the spec has "
                        f"{spec_words(node)} here: no event can pass"
                    )
                    verdict.code = "pinned_value"
            elif (
                kind in ("regex", "include", "semver")
                and isinstance(example, str)
                and not text_passes(matcher, example)
            ):
                verdict.problem = f"the pact's own example {shown_value(example)} is not {with_article(matcher_words(matcher, example))}"
                verdict.code = "example"
            return verdict
        if kind == "notEmpty":
            return Verdict({"string", "number", "boolean", "array", "object"})
        if kind in ("eachKey", "eachValue", "values"):
            verdict = Verdict({"object"})
            if node.kind == "object":
                verdict.problem = self.each(matcher, node, example, parts)
                verdict.code = "each_key" if kind == "eachKey" else "each_value"
            return verdict
        if kind == "arrayContains":
            verdict = Verdict({"array"})
            if node.kind == "array" and node.items is not None:
                self.variants(matcher, node.items, example, parts)
            return verdict
        if kind == "statusCode":
            return Verdict(set(), "statusCode matches HTTP response statuses: a message has none", "unknown_matcher")
        return Verdict(
            set(),
            f"the Pact specification has no {kind!r} matcher: a verifier fails the interaction on it",
            "unknown_matcher",
        )

    def each(self, matcher: Matcher, node: Node, example: Any, parts: tuple[PathPart, ...]) -> str | None:
        """eachKey / eachValue on an object: the keys and values the spec always sends must pass."""
        inner = inner_rule(matcher)
        if node.free_form or inner is None or matcher.kind == "values":
            return None
        if matcher.kind == "eachKey":
            failing = [
                name
                for name in node.fields
                if not all(text_passes(m, name) for m in inner.matchers if m.kind in TEXT_MATCHERS)
            ]
            if failing:
                return (
                    f"the pact expects every key to be {one_rule_words(inner, '')}, but the spec always sends "
                    f"{', '.join(json.dumps(n) for n in failing)}: no event can pass"
                )
            return None
        values = [*node.fields.items(), *([("further keys", node.extra_values)] if node.extra_values else [])]
        given = list(example.values()) if isinstance(example, Mapping) else []
        for name, child in values:
            # a type matcher takes its type from the pact's own value for that key, else its first value
            sample = (
                example[name]
                if isinstance(example, Mapping) and name in example
                else given[0]
                if given
                else sample_of(child)
            )
            verdicts = [self.verdict(m, child, sample, (*parts, name), inherited=True) for m in inner.matchers]
            if inner.combine == "AND":
                accepts = set(JSON_TYPES).intersection(*(v.accepts for v in verdicts))
            else:
                accepts = set().union(*(v.accepts for v in verdicts))
            if not accepts & node_types(child):
                return (
                    f"the pact expects every value to be {one_rule_words(inner, sample)}, but the spec has "
                    f"{spec_words(child)} at {name}: no event can pass"
                )
        return None

    def variants(self, matcher: Matcher, items: Node, example: Any, parts: tuple[PathPart, ...]) -> None:
        for variant in matcher.options.get("variants") or []:
            if not isinstance(variant, Mapping):
                continue
            index = variant.get("index")
            item = (
                example[index]
                if isinstance(example, list) and isinstance(index, int) and index < len(example)
                else None
            )
            rules = rules_from_json(
                variant.get("rules") or {}, where=f"an arrayContains variant of {human_path(parts)}"
            )
            sub = SpecWalker(functools.partial(best_rule, rules))
            sub.walk(items, item, ())
            for finding in sub.found.values():
                inner_path = "" if finding.path == "<event>" else finding.path
                self.add(
                    finding.severity,
                    (*parts, "*"),
                    finding.code,
                    f"arrayContains variant {index}{' at ' + inner_path if inner_path else ''}: {finding.message}",
                )

    def rule_paths(self, root: Node, rules: Iterable[MatchingRule], event_type: str) -> None:
        """A rule for a path the spec lacks matches nothing ThrillPots sends (unless the contents have it too)."""
        for rule in rules:
            node: Node | None = root
            for depth, part in enumerate(rule.path):
                if node is None or node.free_form:
                    break
                if part == WILDCARD and node.kind == "object":
                    node = node.extra_values or (next(iter(node.fields.values()), None) if node.fields else None)
                    continue
                node = node.child(part)
                if node is None:
                    prefix = rule.path[: depth + 1]
                    if (human_path(prefix), "unknown_field") not in self.found:
                        self.add(
                            "warning",
                            prefix,
                            "unknown_field",
                            f"the rule of {rule.text} is for a field {event_type} does not have: it matches nothing "
                            "ThrillPots sends",
                        )
                    break


def inner_rule(matcher: Matcher) -> MatchingRule | None:
    listed = matcher.options.get("rules")
    if not listed:
        return None
    try:
        return rule_from_json(listed, where=f"the rules of an {matcher.kind} matcher")
    except PactFileError:
        return None


def sample_of(node: Node) -> Any:
    """A value of the spec's type, for a nested rule that has no example of its own."""
    return {"string": "x", "number": 1, "boolean": True, "array": [], "object": {}}[node.kind]


def decidable(matcher: Matcher) -> bool:
    return matcher.kind in ("regex", "include", "semver")


def text_passes(matcher: Matcher, text: str) -> bool:
    if matcher.kind == "regex":
        try:
            return re.search(str(matcher.options.get("regex", "")), text) is not None
        except re.error:
            return True  # a dialect Python does not read: the verifier decides
    if matcher.kind == "include":
        return str(matcher.options.get("value", "")) in text
    if matcher.kind == "semver":
        return SEMVER.match(text) is not None
    return True


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One way an interaction asks for what the spec does not promise."""

    severity: Severity
    path: str
    """The field as people write it, ``*`` for every item (``pots[*].current_value``); ``""`` for the interaction."""
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]" if self.path else f"{self.message} [{self.code}]"

    def to_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "path": self.path, "code": self.code, "message": self.message}

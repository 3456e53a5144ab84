"""Pacts against the spec, statically: can any event the spec allows satisfy each message interaction?

``check_pacts(sources)`` reads every message interaction of V3 and V4 pacts (whoever wrote them)
and, without running a producer, tells which event each one is (its ``event_type`` metadata,
else the event type its contents fit) and, for every path its contents and matching rules
touch, whether an event the spec allows can pass there:

- a field the spec does not have can never be sent (error ``unknown_field``);
- a matcher that contradicts the spec's type can never pass (error ``matcher_type``): an
  ``integer`` on a string, a ``regex`` on a number (the spec promises a number, not its text),
  a ``type`` matcher whose example has another JSON type than the spec's;
- a pinned value the spec forbids (error ``pinned_value``), ``null`` where the spec has none
  (error ``null``), a matcher no verifier applies to a message (error ``unknown_matcher``);
- a value where the spec lets the field be ``null`` (warning ``nullable``: it fails when the
  producer sends null), and an ``integer`` or ``decimal`` where the spec says any number
  (warning ``narrower_type``).

The Pact semantics are the Pact core's (pact-rust, which pact-python, pact-js and the Pact
CLI verify with): a rule applies to its path and everything below it, the best fitting path
wins, and a path without a rule compares by equality.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from pytest_thrillpots._errors import PactFileError, did_you_mean
from pytest_thrillpots.pact._interactions import PRESENT_STATE
from pytest_thrillpots.pact._reading import (
    WILDCARD,
    Matcher,
    MatchingRule,
    MessageInteraction,
    OtherInteraction,
    best_rule,
    read_pact,
    rule_from_json,
    rules_from_json,
)
from pytest_thrillpots.pact._sources import legacy_description
from pytest_thrillpots.spec import EVENT_TYPES, Node, spec
from pytest_thrillpots.spec._paths import PathPart, to_human

Severity = Literal["error", "warning"]

JSON_TYPES: Final = ("string", "number", "boolean", "object", "array", "null")
TEXT_MATCHERS: Final = frozenset({"regex", "include", "semver", "date", "time", "datetime", "timestamp", "contentType"})
"""Matchers of text: the Pact core applies them to a number's or a boolean's JSON text, which the
spec does not fix (``25.0`` or ``25``), so on a field the spec types otherwise they contradict it."""
CONTAINER_MATCHERS: Final = frozenset({"eachKey", "eachValue", "values", "arrayContains"})
"""Matchers that judge an object's keys or values, or an array's items, by rules of their own:
the verifier compares nothing else below them."""
FORMAT_NAMES: Final = {
    "date": "date",
    "time": "time",
    "datetime": "date and time",
    "timestamp": "date and time",
}
SEMVER: Final = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")

RuleAt = Callable[[Sequence[PathPart]], MatchingRule | None]


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


@dataclass(frozen=True)
class InteractionCheck:
    """What the check found in one interaction."""

    consumer: str
    description: str
    event_type: str | None
    """The event it is: its ``event_type`` metadata, else the event type its contents fit."""
    findings: tuple[Finding, ...] = ()
    index: int = 0

    @property
    def satisfiable(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "event_type": self.event_type,
            "satisfiable": self.satisfiable,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class PactCheck:
    """One pact file's interactions, checked."""

    source: str
    consumer: str
    provider: str
    specification: str | None
    interactions: tuple[InteractionCheck, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "consumer": self.consumer,
            "provider": self.provider,
            "specification": self.specification,
            "interactions": [i.to_dict() for i in self.interactions],
        }


@dataclass(frozen=True)
class PactCheckReport:
    """``check_pacts``'s answer: every interaction of every pact given, and the pacts skipped."""

    pacts: tuple[PactCheck, ...]
    skipped: tuple[str, ...] = ()
    """The pact files of other providers, each with why it was skipped."""

    @property
    def interactions(self) -> list[InteractionCheck]:
        return [i for pact in self.pacts for i in pact.interactions]

    @property
    def satisfiable(self) -> bool:
        """True when every interaction can be satisfied by an event the spec allows."""
        return all(i.satisfiable for i in self.interactions)

    def summary(self) -> str:
        checked = self.interactions
        failing = [i for i in checked if not i.satisfiable]
        warned = [i for i in checked if i.satisfiable and i.warnings]
        errors = sum(len(i.errors) for i in checked)
        warnings = sum(len(i.warnings) for i in checked)
        pacts = f"{len(self.pacts)} pact{'s' if len(self.pacts) != 1 else ''}"
        head = f"{len(checked)} interaction{'s' if len(checked) != 1 else ''} in {pacts}"
        if failing:
            return (
                f"{len(failing)} of {head} cannot be satisfied by any event the spec allows "
                f"({_count(errors, 'error')}, {_count(warnings, 'warning')})"
            )
        tail = f" ({len(warned)} with {_count(warnings, 'warning')})" if warnings else ""
        return f"all {head} can be satisfied by events the spec allows{tail}"

    def text(self) -> str:
        lines: list[str] = []
        for pact in self.pacts:
            spec_version = f", specification {pact.specification}" if pact.specification else ""
            lines.append(f"{pact.source} ({pact.consumer} -> {pact.provider}{spec_version})")
            for check in pact.interactions:
                status = "FAILS" if not check.satisfiable else "warns" if check.warnings else "ok"
                kind = f" ({check.event_type})" if check.event_type else ""
                lines.append(f"  {status:<5} {check.description!r}{kind}")
                lines.extend(f"          {finding.severity}: {finding}" for finding in check.findings)
        lines.extend(f"skipped {reason}" for reason in self.skipped)
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        checked = self.interactions
        return {
            "satisfiable": self.satisfiable,
            "summary": self.summary(),
            "counts": {
                "interactions": len(checked),
                "unsatisfiable": sum(not i.satisfiable for i in checked),
                "errors": sum(len(i.errors) for i in checked),
                "warnings": sum(len(i.warnings) for i in checked),
            },
            "pacts": [p.to_dict() for p in self.pacts],
            "skipped": list(self.skipped),
        }


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def check_pacts(sources: Iterable[str | Path], *, provider: str = "thrillpots") -> PactCheckReport:
    """Check every message interaction of the pact files and directories in ``sources``.

    Raises ``PactFileError`` naming a file that cannot be read or is not a pact, and
    ``PactVerificationError`` for a source that is neither a file nor a directory of pacts, or
    a pact file named on its own whose provider is not ``provider``.
    """
    from pytest_thrillpots._errors import PactVerificationError
    from pytest_thrillpots.pact._sources import local_pact_files, read_pact_file

    pacts: list[PactCheck] = []
    skipped: list[str] = []
    for source in sources:
        location, files = local_pact_files(source)
        for path in files:
            document = read_pact(read_pact_file(path), source=str(path))
            if document.provider != provider:
                if location == path:
                    raise PactVerificationError(
                        f"{path} is a pact with provider {document.provider!r}, not {provider!r}: "
                        f"check it with --provider {document.provider}"
                    )
                skipped.append(f"{path}: a pact with provider {document.provider!r}, not {provider!r}")
                continue
            checks = [check_interaction(m) for m in document.messages]
            checks.extend(_other(other, document.consumer) for other in document.others)
            checks.sort(key=lambda c: c.index)
            pacts.append(
                PactCheck(str(path), document.consumer, document.provider, document.specification, tuple(checks))
            )
    if not pacts:
        raise PactVerificationError(
            f"no pact for provider {provider!r} in the sources given"
            + (f" (skipped: {'; '.join(skipped)})" if skipped else "")
        )
    return PactCheckReport(tuple(pacts), tuple(skipped))


def check_document(document: object, *, source: str = "the pact") -> list[InteractionCheck]:
    """Check every interaction of one pact document (parsed JSON), in the pact's order."""
    pact = read_pact(document, source=source)
    checks = [check_interaction(m) for m in pact.messages]
    checks.extend(_other(other, pact.consumer) for other in pact.others)
    return sorted(checks, key=lambda c: c.index)


def _other(other: OtherInteraction, consumer: str) -> InteractionCheck:
    finding = Finding(
        "error",
        "",
        "not_message",
        f"a {other.kind} interaction: ThrillPots publishes asynchronous messages only, so nothing it sends can "
        "satisfy it",
    )
    return InteractionCheck(consumer, other.description, None, (finding,), other.index)


def check_interaction(interaction: MessageInteraction) -> InteractionCheck:
    """Which event one message interaction is, and what in it no event the spec allows can satisfy."""

    def result(event_type: str | None, findings: Iterable[Finding]) -> InteractionCheck:
        return InteractionCheck(
            interaction.consumer, interaction.description, event_type, tuple(findings), interaction.index
        )

    if not interaction.is_json or isinstance(interaction.contents, bytes):
        return result(
            None,
            [
                Finding(
                    "error",
                    "",
                    "not_json",
                    f"its contents are {interaction.content_type}, not JSON: every ThrillPots event is a JSON object",
                )
            ],
        )
    named = interaction.metadata.get("event_type")
    if named is not None:
        if named in EVENT_TYPES:
            return result(str(named), _check_as(interaction, str(named)))
        return result(
            None,
            [
                Finding(
                    "error",
                    "",
                    "event_type",
                    f"its event_type metadata {json.dumps(named)} names no ThrillPots event."
                    + (did_you_mean(named, EVENT_TYPES) if isinstance(named, str) else "")
                    + f" (the events are {', '.join(EVENT_TYPES)})",
                )
            ],
        )
    legacy = legacy_description(interaction.description)
    if legacy is not None:
        return result(legacy[0], _check_as(interaction, legacy[0]))
    by_type = {name: _check_as(interaction, name) for name in EVENT_TYPES}
    fitting = [name for name, findings in by_type.items() if not any(f.severity == "error" for f in findings)]
    if fitting:
        chosen = fitting[0]
        others = f"; they fit {', '.join(fitting[1:])} as well" if len(fitting) > 1 else ""
        note = Finding(
            "warning",
            "",
            "event_type",
            f"no event_type in its message metadata: taken as {chosen}, the event its contents fit{others}. "
            'Producers route a message by that metadata: add {"event_type": "' + chosen + '"}',
        )
        return result(chosen, [note, *by_type[chosen]])
    contents = interaction.contents if isinstance(interaction.contents, Mapping) else {}

    def distance(name: str) -> tuple[int, int]:
        return sum(f.severity == "error" for f in by_type[name]), -len(set(contents) & set(spec(name).fields))

    closest = min(EVENT_TYPES, key=distance)
    note = Finding(
        "error",
        "",
        "event_type",
        f"no event_type in its message metadata, and its contents fit no event: checked as {closest}, the closest",
    )
    return result(closest, [note, *by_type[closest]])


def _check_as(interaction: MessageInteraction, event_type: str) -> list[Finding]:
    walker = _Walker(interaction.rule_at, interaction.state_names)
    walker.walk(spec(event_type), interaction.contents, ())
    walker.rule_paths(spec(event_type), interaction.rules.values(), event_type)
    return walker.results()


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


def _spec_types(node: Node) -> set[str]:
    return {node.kind, "null"} if node.nullable else {node.kind}


def _shown(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _human(parts: Sequence[PathPart]) -> str:
    return to_human(["*" if isinstance(p, int) else p for p in parts]) if parts else "<event>"


@dataclass
class _Verdict:
    """What one matcher lets through at a field: the JSON types it accepts, and why no value of the spec passes."""

    accepts: set[str]
    problem: str | None = None
    code: str = "matcher_type"
    narrower: str | None = None


@dataclass
class _Walker:
    rule_at: RuleAt
    states: tuple[str, ...] = ()
    found: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def present_state(self, parts: Sequence[PathPart]) -> bool:
        """True when a provider state asks the producer for the field present (``metadata is present``)."""
        return PRESENT_STATE.format(path=_human(parts)) in self.states

    def add(self, severity: Severity, parts: Sequence[PathPart], code: str, message: str) -> None:
        path = _human(parts)
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
        spec_types = _spec_types(node)
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
                f"the spec lets it be null and the pact expects {_expects(matchers, combine, example)}: "
                "it fails when the producer sends null",
            )
        if combine == "AND" or len(verdicts) == 1:
            for verdict in verdicts:
                if verdict.narrower:
                    self.add("warning", parts, "narrower_type", verdict.narrower)

    def contradiction(
        self, node: Node, example: Any, matchers: Sequence[Matcher], combine: str, rule: MatchingRule | None
    ) -> tuple[str, str]:
        spec_said = _spec_words(node)
        kinds = [m.kind for m in matchers]
        if rule is None or kinds == ["equality"]:
            return (
                "pinned_value",
                f"the pact pins {_shown(example)}, but the spec has {spec_said} here: no event can pass",
            )
        if kinds == ["null"]:
            return "null", f"the pact expects null, but the spec has {spec_said} here: no event can pass"
        expects = _expects(matchers, combine, example)
        return "matcher_type", f"the pact expects {expects}, but the spec has {spec_said} here: no event can pass"

    def verdict(
        self, matcher: Matcher, node: Node, example: Any, parts: tuple[PathPart, ...], *, inherited: bool
    ) -> _Verdict:
        kind = matcher.kind
        options = matcher.options
        if kind in ("equality", "type"):
            verdict = _Verdict({json_type(example)})
            if kind == "type" and ("min" in options or "max" in options) and isinstance(example, list):
                low, high = options.get("min"), options.get("max")
                if isinstance(low, int) and isinstance(high, int) and low > high:
                    verdict.problem = f"the pact asks for at least {low} and at most {high} items: no array has both"
                    verdict.code = "size"
            pinned = kind == "equality" and node.is_leaf and not node.free_form
            if pinned and json_type(example) in _spec_types(node) and not node.fits(example):
                verdict.problem = (
                    f"the pact pins {_shown(example)}, but the spec has {_spec_words(node)} here: no event can pass"
                )
                verdict.code = "pinned_value"
            return verdict
        if kind in ("number", "integer", "decimal"):
            verdict = _Verdict({"number"})
            if kind != "number" and node.kind == "number":
                verdict.narrower = (
                    "the spec allows any number and the pact expects an integer: it fails when the producer sends 2.5"
                    if kind == "integer"
                    else "the spec allows any number and the pact expects a decimal: it fails when the producer sends "
                    "a whole number such as 2 (most JSON writers drop the .0)"
                )
            return verdict
        if kind == "boolean":
            return _Verdict({"boolean"})
        if kind == "null":
            return _Verdict({"null"})
        if kind in TEXT_MATCHERS:
            verdict = _Verdict({"string"})
            if node.enum is not None:
                allowed = [v for v in node.enum if isinstance(v, str) and _text_passes(matcher, v)]
                if allowed == [] and _decidable(matcher):
                    verdict.problem = (
                        f"the pact expects {_a(matcher_words(matcher, example))}, but the spec has "
                        f"{_spec_words(node)} here: no event can pass"
                    )
                    verdict.code = "pinned_value"
            elif (
                kind in ("regex", "include", "semver")
                and isinstance(example, str)
                and not _text_passes(matcher, example)
            ):
                verdict.problem = (
                    f"the pact's own example {_shown(example)} is not {_a(matcher_words(matcher, example))}"
                )
                verdict.code = "example"
            return verdict
        if kind == "notEmpty":
            return _Verdict({"string", "number", "boolean", "array", "object"})
        if kind in ("eachKey", "eachValue", "values"):
            verdict = _Verdict({"object"})
            if node.kind == "object":
                verdict.problem = self.each(matcher, node, example, parts)
                verdict.code = "each_key" if kind == "eachKey" else "each_value"
            return verdict
        if kind == "arrayContains":
            verdict = _Verdict({"array"})
            if node.kind == "array" and node.items is not None:
                self.variants(matcher, node.items, example, parts)
            return verdict
        if kind == "statusCode":
            return _Verdict(set(), "statusCode matches HTTP response statuses: a message has none", "unknown_matcher")
        return _Verdict(
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
                if not all(_text_passes(m, name) for m in inner.matchers if m.kind in TEXT_MATCHERS)
            ]
            if failing:
                return (
                    f"the pact expects every key to be {_rule_words(inner, '')}, but the spec always sends "
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
                else _sample(child)
            )
            verdicts = [self.verdict(m, child, sample, (*parts, name), inherited=True) for m in inner.matchers]
            if inner.combine == "AND":
                accepts = set(JSON_TYPES).intersection(*(v.accepts for v in verdicts))
            else:
                accepts = set().union(*(v.accepts for v in verdicts))
            if not accepts & _spec_types(child):
                return (
                    f"the pact expects every value to be {_rule_words(inner, sample)}, but the spec has "
                    f"{_spec_words(child)} at {name}: no event can pass"
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
            rules = rules_from_json(variant.get("rules") or {}, where=f"an arrayContains variant of {_human(parts)}")
            sub = _Walker(functools.partial(best_rule, rules))
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
                    if (_human(prefix), "unknown_field") not in self.found:
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


def _sample(node: Node) -> Any:
    """A value of the spec's type, for a nested rule that has no example of its own."""
    return {"string": "x", "number": 1, "boolean": True, "array": [], "object": {}}[node.kind]


def _decidable(matcher: Matcher) -> bool:
    return matcher.kind in ("regex", "include", "semver")


def _text_passes(matcher: Matcher, text: str) -> bool:
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


def _spec_words(node: Node) -> str:
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
        return f"the pinned value {_shown(example)}"
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


def _a(words: str) -> str:
    if words.startswith(('"', "the ", "null")) or words[0].isdigit():
        return words
    return f"an {words}" if words[0] in "aeiou" else f"a {words}"


def rule_words(matchers: Sequence[Matcher], combine: str, example: Any) -> str:
    """A rule's matchers in the pact's terms, without articles: ``integer or null``."""
    return (" or " if combine == "OR" else " and ").join(dict.fromkeys(matcher_words(m, example) for m in matchers))


def _expects(matchers: Sequence[Matcher], combine: str, example: Any) -> str:
    words = [_a(matcher_words(m, example)) for m in matchers]
    return (" or " if combine == "OR" else " and ").join(dict.fromkeys(words))


def _rule_words(rule: MatchingRule, example: Any) -> str:
    return _expects(rule.matchers, rule.combine, example)

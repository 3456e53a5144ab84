"""The verification's outcome: ``VerificationResult``, or a failure report in the validator's words.

For each failing interaction the report names the consumer, the description, and each path with
what was expected and what the producer sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pytest_thrillpots._errors import PactVerificationError
from pytest_thrillpots._render import MAX_DIFFERENCES, render_value
from pytest_thrillpots.pact._matcher_words import alternation, json_type, rule_words, size_words
from pytest_thrillpots.pact._reading import Matcher, MessageInteraction
from pytest_thrillpots.pact._satisfiable import inner_rule
from pytest_thrillpots.pact._server import SentKey, SentMessage
from pytest_thrillpots.pact._sources import InteractionKey
from pytest_thrillpots.spec import EVENT_TYPES, lookup, spec
from pytest_thrillpots.spec._paths import (
    ABSENT,
    PathPart,
    human_from_pointer,
    parse_human,
    pointer_index_parts,
    to_human,
    to_pointer,
    value_at,
)
from pytest_thrillpots.validation._violation import Rule, Violation, describe_value, missing_violation


def report(
    results: Mapping[str, Any],
    output: str,
    sent: Mapping[SentKey, SentMessage],
    provider: str,
    failed: bool,
    pacts: Mapping[InteractionKey, MessageInteraction] | None = None,
    refused: Mapping[InteractionKey, Sequence[str]] | None = None,
    expected: Iterable[InteractionKey] = (),
) -> VerificationResult:
    """The verification's outcome; raises with the failure report when an interaction that counts failed.

    ``pacts`` are the pacts' message interactions, read before the run: each failing path
    says what the pact's matching rule expected there, in the pact's terms. ``refused`` are the
    interactions that fail whatever the verifier says, and why (it passes them without checking).
    ``expected``: the interactions read from the pacts the verifier was given, each of which its
    results must hold (one it did not read is never verified, so it fails).
    """
    __tracebackhide__ = True
    pacts = pacts or {}
    refused = dict(refused or {})
    listed = list(results.get("interactionResults", []))
    if failed and all(r.get("result") == "OK" or r.get("pending") for r in listed):
        # The run failed, not an interaction (a pact it could not load): its own words say why.
        when = (
            f"after verifying {len(listed)} interactions, none of them failing"
            if listed
            else "before verifying any interaction"
        )
        raise PactVerificationError(f"the Pact verifier of provider {provider!r} failed {when}:\n{output.strip()}")
    reported = {_key(r) for r in listed}
    for consumer, description, states in dict.fromkeys(expected):
        if (consumer, description, states) not in reported:
            refused[consumer, description, states] = [NEVER_VERIFIED]
            listed.append({"consumer": consumer, "description": description, "providerStates": list(states)})
    results = {
        **results,
        "interactionResults": [{**r, "result": "REFUSED"} if _key(r) in refused else r for r in listed],
    }
    interactions = tuple(
        InteractionResult(
            consumer=r.get("consumer", "?"),
            description=r.get("description", "?"),
            passed=r.get("result") == "OK",
            pending=bool(r.get("pending")),
        )
        for r in results.get("interactionResults", [])
    )
    blocking = [r for r in results.get("interactionResults", []) if r.get("result") != "OK" and not r.get("pending")]
    pending = [r for r in results.get("interactionResults", []) if r.get("result") != "OK" and r.get("pending")]
    if not interactions:
        raise PactVerificationError(
            f"no interaction for provider {provider!r} in the pacts given: check the provider name "
            "(pact files are named <consumer>-<provider>.json) and the sources"
        )
    if blocking:
        raise AssertionError(_failure_text(blocking, sent, provider, len(interactions), pacts, refused))
    return VerificationResult(
        interactions=interactions,
        output=output,
        pending_failures=_failure_text(pending, sent, provider, len(interactions), pacts, refused) if pending else "",
    )


NEVER_VERIFIED = "the Pact verifier never verified it: it is in the pacts given, but not in the verifier's results"


def _key(result: Mapping[str, Any]) -> InteractionKey:
    states = tuple(str(s) for s in result.get("providerStates") or [])
    return str(result.get("consumer", "?")), str(result.get("description", "?")), states


def _failure_text(
    failures: Sequence[Mapping[str, Any]],
    sent: Mapping[SentKey, SentMessage],
    provider: str,
    total: int,
    pacts: Mapping[InteractionKey, MessageInteraction],
    refused: Mapping[InteractionKey, Sequence[str]],
) -> str:
    lines = [f"Pact verification of {provider} failed: {len(failures)} of {total} interactions"]
    for result in failures:
        description = result.get("description", "?")
        states = ", ".join(result.get("providerStates") or [])
        lines.append("")
        lines.append(f"{result.get('consumer', '?')}: {description!r}" + (f" (given {states})" if states else ""))
        state_names = tuple(result.get("providerStates") or [])
        if _key(result) in refused:
            lines.extend("  " + line for line in refused[_key(result)])
            continue
        record = sent.get((description, state_names), SentMessage())
        if record.failure:
            lines.extend("  " + line for line in record.failure)
            continue
        pact = pacts.get((str(result.get("consumer", "?")), str(description), state_names))
        lines.extend(_mismatch_lines(result.get("mismatch") or {}, record, pact))
    return "\n".join(lines)


def _mismatch_lines(mismatch: Mapping[str, Any], record: SentMessage, pact: MessageInteraction | None) -> list[str]:
    violations: list[Violation | PactLine] = []
    other: list[str] = []
    for item in mismatch.get("mismatches") or [{"mismatch": mismatch.get("message") or str(dict(mismatch))}]:
        kind = item.get("type")
        text = str(item.get("mismatch", ""))
        if kind == "BodyMismatch":
            found: Sequence[Violation | PactLine] | None = None
            if pact is not None:
                found = _pact_lines(item, record, pact)
            if found is None:
                found = _body_violations(item, record)
            if found is not None:
                violations.extend(found)
                continue
            other.append(f"  {_human(item.get('path', '$'))}: {text}")
        elif kind == "MetadataMismatch":
            other.append(
                f"  message metadata {item.get('key')!r}: expected {item.get('expected')!r}, "
                f"got {item.get('actual')!r} [metadata]"
            )
        else:
            other.append(f"  {text}")
    violations.sort(
        key=lambda v: [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in pointer_index_parts(v.path)]
    )
    # one line per path and expectation (an OR rule's verifier reports each failing matcher)
    lines = list(dict.fromkeys(f"  {v}" for v in violations))[:MAX_DIFFERENCES]
    hidden = len(dict.fromkeys(str(v) for v in violations)) - MAX_DIFFERENCES
    if hidden > 0:
        lines.append(f"  ... and {hidden} more violation{'s' if hidden != 1 else ''}")
    return [*lines, *other]


@dataclass(frozen=True)
class PactLine:
    """One failing path in the pact's terms: what its matching rule expected, and what came."""

    path: str
    """A JSON Pointer, as a ``Violation``'s."""
    text: str
    code: str

    def __str__(self) -> str:
        return f"{human_from_pointer(self.path)}: {self.text} [{self.code}]"


CODES: dict[str, str] = {
    "equality": "enum",
    "regex": "regex",
    "include": "include",
    "date": "format",
    "time": "format",
    "datetime": "format",
    "timestamp": "format",
    "semver": "semver",
    "notEmpty": "not_empty",
    "contentType": "content_type",
    "eachKey": "each_key",
    "eachValue": "each_value",
    "values": "values",
    "arrayContains": "array_contains",
}
"""The rule code of a failing matcher (a JSON type matcher's is ``type``, ``null`` when null came)."""

TYPE_MATCHERS = frozenset({"type", "number", "boolean", "null"})
"""Matchers that ask for a JSON type only: where the spec asks for the same, the spec's words name it."""


def _pact_lines(item: Mapping[str, Any], record: SentMessage, pact: MessageInteraction) -> list[PactLine] | None:
    """One body mismatch as what the pact's rule expected at that path and what the producer sent; None
    when the mismatch has no such reading (then the spec's words are used)."""
    parts = _parts(str(item.get("path", "$")))
    if parts is None:
        return None
    text = str(item.get("mismatch", ""))
    event_type = record.event_type if record.event_type in EVENT_TYPES else None
    if text.startswith("Actual map is missing the following keys:"):
        names = [n.strip() for n in text.split(":", 1)[1].split(",") if n.strip()]
        lines = []
        for name in names:
            member = (*parts, name)
            expected = _expectation(pact, member, event_type)
            unknown = event_type is not None and lookup(event_type, member) is None and not _free(event_type, member)
            note = (
                f" ({event_type} has no such field: the pact asks for one the spec never promised)" if unknown else ""
            )
            lines.append(
                PactLine(to_pointer(member), f"expected {expected}, but the field is missing{note}", "missing")
            )
        return lines
    rule = pact.rule_at(parts)
    if rule is not None and len(rule.path) < len(parts) and rule.matchers[0].kind == "eachKey":
        # the key itself failed its rules: the path ends in the key
        inner = inner_rule(rule.matchers[0])
        words = rule_words(inner.matchers, inner.combine, "") if inner is not None else "its rules"
        owner = parts[:-1]
        return [
            PactLine(
                to_pointer(owner), f"expected every key to be {words}, got the key {json.dumps(parts[-1])}", "each_key"
            )
        ]
    actual = value_at(record.payload, parts)
    if actual is ABSENT:
        return None
    shown = describe_value(actual)
    if rule is not None and len(rule.path) < len(parts) and rule.matchers[0].kind == "eachValue":
        inner = inner_rule(rule.matchers[0])
        if inner is None:
            return None
        words = rule_words(inner.matchers, inner.combine, actual)
        whole = human_from_pointer(to_pointer(parts[:-1]))
        code = "null" if actual is None else "each_value"
        return [PactLine(to_pointer(parts), f"expected {words} (every value of {whole}), got {shown}", code)]
    if rule is not None and len(rule.path) < len(parts) and rule.matchers[0].kind == "values":
        # each value is compared with the pact's values, whatever its key: with its first one
        given = _example_at(pact.contents, parts[:-1])
        first = next(iter(given.values()), ABSENT) if isinstance(given, Mapping) else ABSENT
        whole = human_from_pointer(to_pointer(parts[:-1]))
        words = rule_words((Matcher("equality"),), "AND", first)
        return [PactLine(to_pointer(parts), f"expected {words} (every value of {whole}), got {shown}", "values")]
    example = _example_at(pact.contents, parts)
    matchers = rule.matchers if rule is not None else (Matcher("equality"),)
    combine = rule.combine if rule is not None else "AND"
    kinds = [m.kind for m in matchers]
    if kinds[0] == "arrayContains":
        variants = matchers[0].options.get("variants") or []
        items = [example[v["index"]] for v in variants if isinstance(example, list) and isinstance(v, Mapping)
                 and isinstance(v.get("index"), int) and v["index"] < len(example)]  # fmt: skip
        like = " and ".join(f"one like {render_value(i)}" for i in items) or "the pact's items"
        return [PactLine(to_pointer(parts), f"expected an array holding {like}, got {shown}", "array_contains")]
    words = rule_words(matchers, combine, example)
    node = lookup(event_type, parts) if event_type is not None else None
    if node is not None and set(kinds) <= TYPE_MATCHERS:
        # The pact asks for a JSON type: where it is the spec's, say it in the spec's words.
        asked = {json_type(example) if k == "type" else k for k in kinds} - {"null"}
        if asked == {node.kind}:
            words = replace(node, nullable="null" in kinds or None in (example,)).describe()
            sizes = size_words(matchers[0], example)
            if sizes:
                words = f"{words} with {sizes}"
    if kinds == ["equality"] or rule is None:
        code = "enum"
    elif actual is None and "null" not in kinds:
        code = "null"
    elif len(kinds) == 1 and kinds[0] == "regex" and alternation(str(matchers[0].options.get("regex"))):
        code = "enum"
    else:
        code = next((CODES[k] for k in kinds if k in CODES), "type")
    return [PactLine(to_pointer(parts), f"expected {words}, got {shown}", code)]


def _example_at(contents: object, parts: Sequence[PathPart]) -> object:
    """The pact's example at ``parts``; an item past the example's last is matched by the first."""
    value = contents
    for part in parts:
        if isinstance(value, list) and isinstance(part, int):
            if not value:
                return ABSENT
            value = value[part] if part < len(value) else value[0]
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return ABSENT
    return value


def _expectation(pact: MessageInteraction, parts: tuple[PathPart, ...], event_type: str | None) -> str:
    rule = pact.rule_at(parts)
    example = _example_at(pact.contents, parts)
    matchers = rule.matchers if rule is not None else (Matcher("equality"),)
    kinds = [m.kind for m in matchers]
    node = lookup(event_type, parts) if event_type is not None else None
    if node is not None and set(kinds) <= TYPE_MATCHERS:
        asked = {json_type(example) if k == "type" else k for k in kinds} - {"null"}
        if asked == {node.kind}:
            return replace(node, nullable="null" in kinds).describe()
    return rule_words(matchers, rule.combine if rule is not None else "AND", example)


def _free(event_type: str, parts: Sequence[PathPart]) -> bool:
    node = spec(event_type)
    for part in parts:
        if node.free_form:
            return True
        child = node.child(part)
        if child is None:
            return False
        node = child
    return node.free_form


def _parts(jsonpath: str) -> list[PathPart] | None:
    text = jsonpath.removeprefix("$").removeprefix(".")
    try:
        return parse_human(text) if text else []
    except ValueError:
        return None


def _human(jsonpath: str) -> str:
    parts = _parts(jsonpath)
    return to_human(parts) if parts is not None else jsonpath


def _body_violations(item: Mapping[str, Any], record: SentMessage) -> list[Violation] | None:
    """One pact body mismatch in the validator's terms, or None when it has no such reading."""
    parts = _parts(str(item.get("path", "$")))
    if parts is None or record.event_type not in EVENT_TYPES:
        return None
    event_type = record.event_type
    text = str(item.get("mismatch", ""))
    if text.startswith("Actual map is missing the following keys:"):
        names = [n.strip() for n in text.split(":", 1)[1].split(",") if n.strip()]
        out = []
        for name in names:
            out.append(missing_violation(event_type, (*parts, name)))
        return out
    actual = value_at(record.payload, parts)
    if actual is ABSENT:
        return None
    shown = describe_value(actual)
    if "to be equal to" in text:
        pinned = _json_or_text(item.get("expected"))
        return [
            Violation(
                to_pointer(parts),
                "enum",
                render_value(pinned),
                shown,
                f"expected the pinned value {render_value(pinned)}, got {shown}",
            )
        ]
    if text.endswith("to be a null value"):
        # the interaction of a nullable object's null form, which its provider state asks for
        return [Violation(to_pointer(parts), "type", "null", shown, f"expected null, got {shown}")]
    node = lookup(event_type, parts)
    if node is None:
        return None
    if (
        isinstance(actual, list)
        and node.kind == "array"
        and ("minimum" in text or "at least" in text or "empty" in text.lower())
    ):
        expected = f"{node.describe()} with at least 1 item"
        return [Violation(to_pointer(parts), "type", expected, shown, f"expected {expected}, got {shown}")]
    rule: Rule = "null" if actual is None else "enum" if node.enum is not None else "type"
    # null failed a nullable field: this is the interaction where the consumer reads it present.
    expected = replace(node, nullable=False).describe() if actual is None and node.nullable else node.describe()
    return [Violation(to_pointer(parts), rule, expected, shown, f"expected {expected}, got {shown}")]


def _json_or_text(value: object) -> object:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@dataclass(frozen=True)
class InteractionResult:
    consumer: str
    description: str
    passed: bool
    pending: bool = False


@dataclass(frozen=True)
class VerificationResult:
    """What ``verify_pacts`` verified (returned when nothing failed that should fail the build)."""

    interactions: tuple[InteractionResult, ...]
    output: str
    """The verifier's own report, without colours."""
    pending_failures: str = ""
    """The report of failed pending interactions, which do not fail the build."""

    @property
    def consumers(self) -> list[str]:
        return sorted({i.consumer for i in self.interactions})

"""The verification's outcome: ``VerificationResult``, or a failure report in the validator's words.

For each failing interaction the report names the consumer, the description, and each path with
what was expected and what the producer sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pytest_thrillpots._errors import PactVerificationError
from pytest_thrillpots._render import render_value, violation_lines
from pytest_thrillpots.pact._server import SentKey, SentMessage
from pytest_thrillpots.spec import EVENT_TYPES, lookup
from pytest_thrillpots.spec._paths import (
    ABSENT,
    PathPart,
    parse_human,
    pointer_index_parts,
    to_human,
    to_pointer,
    value_at,
)
from pytest_thrillpots.validation._violation import Rule, Violation, describe_value, missing_violation


def report(
    results: Mapping[str, Any], output: str, sent: Mapping[SentKey, SentMessage], provider: str, failed: bool
) -> VerificationResult:
    __tracebackhide__ = True
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
    if failed and not blocking:
        raise PactVerificationError(
            f"the Pact verifier failed before verifying any interaction of provider {provider!r}:\n{output.strip()}"
        )
    if not interactions:
        raise PactVerificationError(
            f"no interaction for provider {provider!r} in the pacts given: check the provider name "
            "(pact files are named <consumer>-<provider>.json) and the sources"
        )
    if blocking:
        raise AssertionError(_failure_text(blocking, sent, provider, len(interactions)))
    return VerificationResult(
        interactions=interactions,
        output=output,
        pending_failures=_failure_text(pending, sent, provider, len(interactions)) if pending else "",
    )


def _failure_text(
    failures: Sequence[Mapping[str, Any]], sent: Mapping[SentKey, SentMessage], provider: str, total: int
) -> str:
    lines = [f"Pact verification of {provider} failed: {len(failures)} of {total} interactions"]
    for result in failures:
        description = result.get("description", "?")
        states = ", ".join(result.get("providerStates") or [])
        lines.append("")
        lines.append(f"{result.get('consumer', '?')}: {description!r}" + (f" (given {states})" if states else ""))
        record = sent.get((description, tuple(result.get("providerStates") or [])), SentMessage())
        if record.failure:
            lines.extend("  " + line for line in record.failure)
            continue
        lines.extend(_mismatch_lines(result.get("mismatch") or {}, record))
    return "\n".join(lines)


def _mismatch_lines(mismatch: Mapping[str, Any], record: SentMessage) -> list[str]:
    violations: list[Violation] = []
    other: list[str] = []
    for item in mismatch.get("mismatches") or [{"mismatch": mismatch.get("message") or str(dict(mismatch))}]:
        kind = item.get("type")
        text = str(item.get("mismatch", ""))
        if kind == "BodyMismatch":
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
    return [*violation_lines(violations), *other]


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

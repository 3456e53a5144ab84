"""Reading pact documents: the message interactions of a V3 or V4 pact and their matching rules.

One reading for every part that looks inside a pact (routing messages before a verification,
the failure report, ``check-pacts``, the consumer-aware diff), whoever wrote the pact: this
plugin, pact-js, pact-jvm or any other implementation of the Pact specification.

- V3 message pacts list ``messages``: ``contents`` is the body, ``matchingRules.body`` its rules.
- V4 pacts list ``interactions``; those of type ``Asynchronous/Messages`` are messages, with
  ``contents.content`` (decoded when ``contents.encoded`` says so) and ``matchingRules.body``
  (``content`` in some implementations). Other interactions (HTTP, synchronous messages) are
  kept apart, never dropped.
- A rule is keyed by a JSONPath (``$.pots[*].current_value``, ``$['odd key']``, ``$.*``) and is
  ``{"combine": "AND" | "OR", "matchers": [...]}``, or one bare matcher as V2 wrote them.

Nothing here judges a pact against the spec: that is ``_check``. A document that is not a pact
raises ``PactFileError`` saying where and what.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from pytest_thrillpots._errors import PactFileError
from pytest_thrillpots.pact._interactions import EVENT_TYPE_METADATA
from pytest_thrillpots.spec._paths import PathPart

MESSAGE_TYPE: Final = "Asynchronous/Messages"
"""The V4 interaction type of a message a producer publishes."""

WILDCARD: Final = "*"
"""A rule path part that stands for every key or index (``[*]``, ``.*``)."""

BODY_CATEGORIES: Final = ("body", "content")
"""Where implementations put the rules of a message body (pact-rust and pact-js write ``body``)."""

JSON_CONTENT_TYPE: Final = re.compile(r"^application/(.+\+)?json\s*(;.*)?$", re.IGNORECASE)

Combine = Literal["AND", "OR"]


@dataclass(frozen=True)
class Matcher:
    """One matcher of a rule: its kind as the pact names it, and its other settings."""

    kind: str
    """``type``, ``regex``, ``integer``, ``equality``, ``datetime``, ``include``, ``eachKey``, ..."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Everything else the matcher holds: ``regex``, ``min``, ``max``, ``format``, ``value``, ``rules``, ``variants``."""

    def to_json(self) -> dict[str, Any]:
        return {"match": self.kind, **self.options}


@dataclass(frozen=True)
class MatchingRule:
    """The matchers a pact gives one path, and how they combine."""

    path: tuple[PathPart, ...]
    """The path as parts, ``WILDCARD`` for ``[*]`` and ``.*``; ``()`` is the whole body (``$``)."""
    text: str
    """The path as the pact writes it: ``$.pots[*].current_value``."""
    matchers: tuple[Matcher, ...]
    combine: Combine = "AND"

    def weight(self, parts: Sequence[PathPart]) -> tuple[int, int]:
        """How well this rule's path fits ``parts`` (0 when it does not), as Pact verifiers rank rules.

        A rule applies to its path and to everything below it; the best fitting rule wins: each
        named part doubles the weight, a wildcard keeps it, and a longer path wins a tie.
        """
        if len(self.path) > len(parts):
            return 0, 0
        weight = 2  # the root, "$"
        for rule_part, part in zip(self.path, parts, strict=False):
            if rule_part == WILDCARD:
                continue
            if rule_part != part and str(rule_part) != str(part):
                return 0, 0
            weight *= 2
        return weight, len(self.path)


@dataclass(frozen=True)
class ProviderState:
    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageInteraction:
    """One message a consumer expects, as its pact holds it."""

    consumer: str
    provider: str
    description: str
    event_type: str | None
    """The ``event_type`` message metadata, when the pact has it."""
    contents: Any
    """The message body, decoded: a JSON value, or ``bytes`` when the body is not JSON."""
    content_type: str | None
    rules: Mapping[str, MatchingRule]
    """The body's matching rules by their path as written (``$.player_id``)."""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    metadata_rules: Mapping[str, MatchingRule] = field(default_factory=dict)
    provider_states: tuple[ProviderState, ...] = ()
    pending: bool = False
    index: int = 0
    """Its position in the pact's list of interactions (or messages)."""

    @property
    def is_json(self) -> bool:
        return self.content_type is None or bool(JSON_CONTENT_TYPE.match(self.content_type))

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(state.name for state in self.provider_states)

    @property
    def has_contents(self) -> bool:
        """False when the pact gives no body (no contents, ``null`` or empty): the Pact verifier then
        compares nothing and passes any message."""
        return self.contents is not None and self.contents not in ("", b"")

    def rule_at(self, parts: Sequence[PathPart]) -> MatchingRule | None:
        """The rule a verifier applies at ``parts`` (its own or the best one above it), or None: equality."""
        return best_rule(self.rules, parts)


@dataclass(frozen=True)
class OtherInteraction:
    """An interaction that is not a message a producer publishes (HTTP, synchronous messages)."""

    description: str
    kind: str
    """Its V4 type (``Synchronous/HTTP``), or ``HTTP`` for a V3 request and response."""
    index: int
    provider_states: tuple[ProviderState, ...] = ()

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(state.name for state in self.provider_states)


@dataclass(frozen=True)
class PactDocument:
    consumer: str
    provider: str
    specification: str | None
    """The Pact specification version the document declares (``4.0``, ``3.0.0``), if any."""
    messages: tuple[MessageInteraction, ...]
    others: tuple[OtherInteraction, ...] = ()


def message_interactions(document: object, *, source: str = "the pact") -> list[MessageInteraction]:
    """The message interactions of a pact document (parsed JSON), in the pact's order.

    Raises ``PactFileError`` naming ``source`` when the document is not a pact. Interactions that
    are not messages are in ``read_pact(document).others``.
    """
    return list(read_pact(document, source=source).messages)


def read_pact(document: object, *, source: str = "the pact") -> PactDocument:
    """A pact document (parsed JSON) as its consumer, provider, messages and other interactions."""
    if not isinstance(document, Mapping):
        raise PactFileError(f"{source} is not a pact: a pact is a JSON object, not {_json_kind(document)}")
    consumer = _participant(document, "consumer", source)
    provider = _participant(document, "provider", source)
    key = "interactions" if "interactions" in document else "messages" if "messages" in document else None
    if key is None:
        raise PactFileError(f"{source} is not a pact: it has neither 'interactions' (V4) nor 'messages' (V3)")
    listed = document[key]
    if not isinstance(listed, list):
        raise PactFileError(f"{source}: '{key}' must be a list, not {_json_kind(listed)}")
    # What the Pact verifier would not read as messages is refused here, or it would go unverified
    # while check-pacts checked it: the verifier reads one list, chosen by the declared version.
    if "interactions" in document and "messages" in document:
        raise PactFileError(
            f"{source} lists both 'interactions' (V4) and 'messages' (V3): the Pact verifier reads only one of them, "
            "so the others would never be verified (a pact holds one list)"
        )
    specification = _specification(document)
    major = _major(specification)
    if key == "messages" and major is not None and major >= 4:
        raise PactFileError(
            f"{source} lists V3 'messages' but declares Pact specification {specification}: the Pact verifier reads "
            "only the 'interactions' of a V4 pact, so none of its messages would be verified (declare 3.0.0, or "
            "write V4 interactions)"
        )
    messages: list[MessageInteraction] = []
    others: list[OtherInteraction] = []
    for index, item in enumerate(listed):
        where = f"{source}, {key}[{index}]"
        if not isinstance(item, Mapping):
            raise PactFileError(f"{where} is not an interaction: {_json_kind(item)}")
        description = item.get("description")
        if not isinstance(description, str):
            raise PactFileError(f"{where} has no description (a string)")
        kind = item.get("type")
        if kind == MESSAGE_TYPE and major is not None and major < 4:
            raise PactFileError(
                f"{where} ({description!r}) is a V4 {MESSAGE_TYPE} interaction but the pact declares Pact "
                f"specification {specification}: the Pact verifier reads a V3 pact's interactions as HTTP requests, "
                "so this message would never be verified as one (declare 4.0)"
            )
        if key == "interactions" and kind != MESSAGE_TYPE and (kind is not None or "contents" not in item):
            states = _states(item, f"{where} ({description!r})")
            others.append(OtherInteraction(description, str(kind) if kind is not None else "HTTP", index, states))
            continue
        messages.append(_message(item, consumer, provider, description, index, f"{where} ({description!r})"))
    return PactDocument(consumer, provider, specification, tuple(messages), tuple(others))


def _major(specification: str | None) -> int | None:
    """The major version of a declared Pact specification (``4.0`` -> 4), or None."""
    match = re.match(r"\s*[vV]?(\d+)", specification or "")
    return int(match.group(1)) if match else None


def _participant(document: Mapping[str, Any], role: str, source: str) -> str:
    value = document.get(role)
    name = value.get("name") if isinstance(value, Mapping) else None
    if not isinstance(name, str) or not name:
        raise PactFileError(f'{source} is not a pact: it names no {role} ({{"{role}": {{"name": ...}}}})')
    return name


def _specification(document: Mapping[str, Any]) -> str | None:
    metadata = document.get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    for key in ("pactSpecification", "pact-specification"):
        entry = metadata.get(key)
        if isinstance(entry, Mapping) and isinstance(entry.get("version"), str):
            return str(entry["version"])
    return None


def _message(
    item: Mapping[str, Any], consumer: str, provider: str, description: str, index: int, where: str
) -> MessageInteraction:
    # "metaData" is how V3 message pacts spelt it (pact-jvm still writes it); the verifier reads both.
    metadata = (item.get("metadata") if "metadata" in item else item.get("metaData")) or {}
    if not isinstance(metadata, Mapping):
        raise PactFileError(f"{where}: the message metadata must be an object, not {_json_kind(metadata)}")
    contents, content_type = _contents(item, metadata, where)
    rules = item.get("matchingRules") or {}
    if not isinstance(rules, Mapping):
        raise PactFileError(f"{where}: 'matchingRules' must be an object, not {_json_kind(rules)}")
    event_type = metadata.get(EVENT_TYPE_METADATA)
    return MessageInteraction(
        consumer=consumer,
        provider=provider,
        description=description,
        event_type=event_type if isinstance(event_type, str) else None,
        contents=contents,
        content_type=content_type,
        rules=_body_rules(rules, where),
        metadata=dict(metadata),
        metadata_rules=_category(rules.get("metadata") or {}, where, "metadata", path_of=_metadata_path),
        provider_states=_states(item, where),
        pending=bool(item.get("pending")),
        index=index,
    )


def _contents(item: Mapping[str, Any], metadata: Mapping[str, Any], where: str) -> tuple[Any, str | None]:
    raw = item.get("contents")
    content_type = metadata.get("contentType") or metadata.get("content-type") or metadata.get("Content-Type")
    encoded: object = False
    if item.get("type") == MESSAGE_TYPE and isinstance(raw, Mapping) and "content" in raw:
        content_type = raw.get("contentType") or content_type
        encoded = raw.get("encoded", False)
        raw = raw["content"]
    content_type = str(content_type) if content_type is not None else None
    is_json = content_type is None or bool(JSON_CONTENT_TYPE.match(content_type))
    if encoded in (False, None):
        return raw, content_type
    if not isinstance(raw, str):
        raise PactFileError(f"{where}: contents encoded as {encoded!r} must be a string, not {_json_kind(raw)}")
    if str(encoded).lower() == "base64":
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise PactFileError(f"{where}: its contents are marked base64 but are not base64") from None
        if not is_json:
            return data, content_type
        try:
            return json.loads(data), content_type
        except ValueError as exc:
            raise PactFileError(f"{where}: its {content_type} contents are not JSON: {exc}") from None
    if str(encoded).lower() == "json":
        try:
            return json.loads(raw), content_type
        except ValueError as exc:
            raise PactFileError(f"{where}: its contents are marked JSON but are not: {exc}") from None
    raise PactFileError(f"{where}: unknown contents encoding {encoded!r} (a pact writes false, 'base64' or 'JSON')")


def _body_rules(rules: Mapping[str, Any], where: str) -> dict[str, MatchingRule]:
    out: dict[str, MatchingRule] = {}
    for category in BODY_CATEGORIES:
        out.update(_category(rules.get(category) or {}, where, category, path_of=parse_rule_path))
    # V2 wrote one flat map: {"$.body.player_id": {"match": "type"}}
    flat = {k: v for k, v in rules.items() if isinstance(k, str) and k.startswith("$.body")}
    for text, value in flat.items():
        path = "$" + text.removeprefix("$.body")
        rule = _rule(value, path, where, parse_rule_path)
        out[path] = rule
    return out


def rule_from_json(value: object, text: str = "$", *, where: str = "a matching rule") -> MatchingRule:
    """One rule as a pact writes it (``{"matchers": [...]}``, a list of matchers, or one bare
    matcher), for the rules nested in a matcher (``eachKey``, ``eachValue``, ``arrayContains``)."""
    return _rule(value, text, where, parse_rule_path)


def rules_from_json(value: object, *, where: str = "a matcher") -> dict[str, MatchingRule]:
    """Rules by path as a pact writes them (an ``arrayContains`` variant's ``rules``)."""
    return _category(value, where, "rules", path_of=parse_rule_path)


def best_rule(rules: Mapping[str, MatchingRule], parts: Sequence[PathPart]) -> MatchingRule | None:
    """The rule of ``rules`` a verifier applies at ``parts``: its own, or the best fitting one above it."""
    best: MatchingRule | None = None
    best_weight = (0, 0)
    for rule in rules.values():
        weight = rule.weight(parts)
        if weight[0] and weight > best_weight:
            best, best_weight = rule, weight
    return best


def _metadata_path(text: str) -> tuple[PathPart, ...]:
    return (text,)


def _category(value: object, where: str, category: str, *, path_of: Any) -> dict[str, MatchingRule]:
    if not isinstance(value, Mapping):
        raise PactFileError(f"{where}: matchingRules.{category} must be an object, not {_json_kind(value)}")
    return {str(text): _rule(rule, str(text), where, path_of) for text, rule in value.items()}


def _rule(value: object, text: str, where: str, path_of: Any) -> MatchingRule:
    try:
        path = path_of(text)
    except ValueError as exc:
        raise PactFileError(f"{where}: cannot read the matching rule path {text!r}: {exc}") from None
    combine: object = "AND"
    if isinstance(value, Mapping) and "matchers" in value:
        listed = value["matchers"]
        combine = str(value.get("combine", "AND")).upper()
    elif isinstance(value, list):
        listed = value
    else:
        listed = [value]
    if combine not in ("AND", "OR"):
        raise PactFileError(f"{where}: the rule of {text} combines its matchers by {combine!r}, not AND or OR")
    if not isinstance(listed, list) or not listed:
        raise PactFileError(f"{where}: the rule of {text} has no matchers")
    matchers = tuple(_matcher(m, text, where) for m in listed)
    return MatchingRule(path, text, matchers, "AND" if combine == "AND" else "OR")


def _matcher(value: object, text: str, where: str) -> Matcher:
    if not isinstance(value, Mapping):
        raise PactFileError(f"{where}: a matcher of {text} is {_json_kind(value)}, not an object")
    options = {str(k): v for k, v in value.items() if k != "match"}
    kind = value.get("match")
    if kind is None:  # V2: {"regex": "..."} or {"min": 1}
        if "regex" in options:
            kind = "regex"
        elif "min" in options or "max" in options:
            kind = "type"
    if not isinstance(kind, str) or not kind:
        raise PactFileError(f"{where}: a matcher of {text} has no 'match' (its kind): {json.dumps(value)}")
    return Matcher(kind, options)


def _states(item: Mapping[str, Any], where: str) -> tuple[ProviderState, ...]:
    listed = item.get("providerStates")
    if listed is None and isinstance(item.get("providerState"), str):  # V2
        listed = [{"name": item["providerState"]}]
    states = []
    for entry in listed or []:
        if isinstance(entry, str):
            states.append(ProviderState(entry))
            continue
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if not isinstance(name, str):
            raise PactFileError(f"{where}: a provider state has no name: {json.dumps(entry)}")
        params = entry.get("params") or {}
        if not isinstance(params, Mapping):
            raise PactFileError(f"{where}: the parameters of provider state {name!r} must be an object")
        states.append(ProviderState(name, dict(params)))
    return tuple(states)


_NAME = re.compile(r"\.([^.\[\]'\"\s]+)")
_BRACKET = re.compile(r"""\[(?:(\d+)|(\*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]""")


def parse_rule_path(text: str) -> tuple[PathPart, ...]:
    """A matching rule's JSONPath as parts: ``$.pots[*].id`` -> ``("pots", "*", "id")``."""
    if not text.startswith("$"):
        raise ValueError("a rule path starts with '$'")
    parts: list[PathPart] = []
    pos = 1
    while pos < len(text):
        name = _NAME.match(text, pos)
        if name is not None:
            parts.append(name.group(1))
            pos = name.end()
            continue
        bracket = _BRACKET.match(text, pos)
        if bracket is None:
            raise ValueError(f"unexpected {text[pos]!r} at character {pos + 1}")
        index, star, single, double = bracket.groups()
        if index is not None:
            parts.append(int(index))
        elif star is not None:
            parts.append(WILDCARD)
        else:
            quoted = single if single is not None else double
            parts.append(re.sub(r"\\(.)", r"\1", quoted))
        pos = bracket.end()
    return tuple(parts)


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, Mapping) else type(value).__name__

"""`validate`: every violation of the spec in a payload, with stable rule codes.

Three parts, each derived from the spec model:

- JSON text first meets a typed msgspec decoder (``_fastpath``), which accepts a valid event
  without building Python objects: the common case costs less than parsing alone;
- anything else goes to the violation collector generated from the model (``_collector``): a
  parse, then one walk that finds every violation;
- the schema engine (jsonschema-rs, ``_engine``) checks what the model does not describe: a
  RaffleWinEvent winner in the legacy tuple form (``allow_legacy_winners=True``), one winner at a
  time inside the collector's walk; and a whole event type if its schema ever took a form the
  generator does not cover (none does today; a test keeps that route working).

A parsed payload (a dict built in Python) goes to the collector's other variant, which also
checks that every value has a JSON form (``_json``) and copes with cycles and any depth.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec
import orjson

from pytest_thrillpots.coverage import _recorder as _coverage
from pytest_thrillpots.spec import check_event_type, raw_schemas
from pytest_thrillpots.spec._paths import to_human
from pytest_thrillpots.validation._codegen import collector
from pytest_thrillpots.validation._collector import Collector
from pytest_thrillpots.validation._duplicates import duplicate_keys
from pytest_thrillpots.validation._engine import engine, explain
from pytest_thrillpots.validation._fastpath import fast_decoder
from pytest_thrillpots.validation._json import CYCLE, NotJson, cycle_place, plain_json
from pytest_thrillpots.validation._lines import quote_counter
from pytest_thrillpots.validation._violation import (
    Violation,
    json_violation,
)

_TEXT = (bytes, bytearray, memoryview, str)


class _Route:
    """How ``validate()`` checks one event type in one mode: each part built once, when first needed.

    The text path's collector and decoder are built with the route; the others (for values built
    in Python, and with legacy winners allowed) on first use, so a command that meets only text
    compiles only what text needs.
    """

    __slots__ = (
        "decode",
        "event_type",
        "keys_present",
        "legacy_parsed",
        "legacy_python",
        "parsed",
        "python",
        "quotes",
        "strict",
    )

    def __init__(self, event_type: str, strict: bool) -> None:
        self.event_type, self.strict = event_type, strict
        parsed = collector(event_type, strict, True)
        fast = fast_decoder(event_type, strict) if parsed is not None else None
        self.decode: Callable[[Any], Any] | None = None if fast is None else fast.decode
        """The typed decoder (None: the text goes to the collector or the engine)."""
        self.keys_present: Callable[[Any], bool] | None = None if fast is None else fast.keys_present
        self.quotes: Callable[[Any], int] = quote_counter(event_type)
        """How many quotes the text of a decoded event holds when it has no unknown field and no key twice."""
        self.parsed: Collector | None = parsed
        """For what a JSON parser returns; None: the engine answers for this type."""
        self.python: Collector | None
        """For values built in Python."""
        self.legacy_parsed: Collector | None
        """With legacy winners allowed (each in the tuple form is checked by the engine)."""
        self.legacy_python: Collector | None

    def __getattr__(self, name: str) -> Collector | None:
        # Only for a part not built yet: build it, and keep it in its slot.
        if name not in ("python", "legacy_parsed", "legacy_python"):
            raise AttributeError(name)
        legacy = name.startswith("legacy") and "LegacyWinnerTuple" in raw_schemas()[self.event_type].get("$defs", {})
        built = collector(self.event_type, self.strict, name.endswith("parsed"), legacy=legacy)
        setattr(self, name, built)
        return built


_ROUTES: dict[str, _Route] = {}
_STRICT_ROUTES: dict[str, _Route] = {}


def _new_route(event_type: str, strict: bool) -> _Route:
    check_event_type(event_type)
    route = (_STRICT_ROUTES if strict else _ROUTES)[event_type] = _Route(event_type, bool(strict))
    return route


def validate(
    payload: object,
    event_type: str,
    *,
    strict: bool = False,
    allow_legacy_winners: bool = False,
    semantic: bool = False,
) -> list[Violation]:
    """Every violation of the spec in ``payload`` (an empty list when it is valid).

    ``payload`` is parsed JSON (a dict) or JSON text as ``bytes`` or ``str``. ``strict`` also
    reports fields the spec does not list; ``allow_legacy_winners`` accepts RaffleWinEvent
    winners in the legacy tuple form; ``semantic`` also checks the conventions (epoch
    milliseconds, money with two decimals...) with rule codes of their own (``SEMANTIC_RULES``).
    A parsed payload holding a value JSON has no form for raises ``TypeError``.
    """
    try:
        route = (_STRICT_ROUTES if strict else _ROUTES)[event_type]
    except (KeyError, TypeError):  # the first time, or not an event type at all (then it raises)
        route = _new_route(event_type, strict)
    if _coverage.RECORDER is not None:
        _coverage.RECORDER.count_validated(event_type)
    if type(payload) is bytes or isinstance(payload, _TEXT):
        text = payload if type(payload) is bytes else _plain_text(payload)
        decode = route.decode
        if decode is not None and not (semantic or allow_legacy_winners):
            try:
                decoded = decode(text)
            except (msgspec.MsgspecError, RecursionError):
                pass  # not valid, or not sure (a map with further keys): the collector decides
            else:
                # The decoder skips what it does not read (unknown fields) and keeps the last value
                # of a key given twice: only text with as many quotes as the decoded event accounts
                # for holds neither (``_lines``), so only that text is valid without a parse.
                keys_present = route.keys_present
                quotes = text.count(b'"') if type(text) is not str else text.count('"')  # type: ignore[arg-type]
                if (keys_present is None or keys_present(decoded)) and route.quotes(decoded) == quotes:
                    return []
        try:
            parsed = _parse(text)
        except (msgspec.MsgspecError, RecursionError):
            parsed = _reparsed(text)
            if isinstance(parsed, Violation):
                return [parsed]
        found = _of_parsed(route, parsed, event_type, strict, allow_legacy_winners, semantic)
        twice = duplicate_keys(text, parsed) if type(text) is bytes else _keys_given_twice(text, parsed)
        return [*twice, *found] if twice else found
    collect = route.legacy_python if allow_legacy_winners else route.python
    return _checked(collect or _by_engine, payload, event_type, strict, allow_legacy_winners, semantic)


def validate_parsed(
    payload: object, event_type: str, *, strict: bool, allow_legacy_winners: bool, semantic: bool
) -> list[Violation]:
    """``validate()`` of what a JSON parser returned (the reader's orjson): only JSON's values, no cycles.

    Such a value needs none of the checks of values built in Python, so it goes to the
    collector ``validate()`` gives the text it parses itself.
    """
    try:
        route = (_STRICT_ROUTES if strict else _ROUTES)[event_type]
    except KeyError:
        route = _new_route(event_type, strict)
    if _coverage.RECORDER is not None:
        _coverage.RECORDER.count_validated(event_type)
    return _of_parsed(route, payload, event_type, strict, allow_legacy_winners, semantic)


def _of_parsed(
    route: _Route, parsed: object, event_type: str, strict: bool, allow_legacy_winners: bool, semantic: bool
) -> list[Violation]:
    collect = route.legacy_parsed if allow_legacy_winners else route.parsed
    if collect is None:
        return _checked(_by_engine, parsed, event_type, strict, allow_legacy_winners, semantic)
    if allow_legacy_winners:  # the engine's error mapping may meet values the parser left
        return _checked(collect, parsed, event_type, strict, allow_legacy_winners, semantic)
    found = collect(parsed)
    if semantic:
        found.extend(_conventions(parsed, event_type))
    return found


Text = bytes | bytearray | memoryview | str


def _checked(
    check: Callable[..., list[Violation]],
    payload: object,
    event_type: str,
    strict: bool,
    allow_legacy_winners: bool,
    semantic: bool,
) -> list[Violation]:
    """``check``'s violations of a payload that may hold values with no JSON form (a TypeError)."""
    try:
        found = (
            check(payload) if check is not _by_engine else _by_engine(payload, event_type, strict, allow_legacy_winners)
        )
        if semantic:  # the conventions judge the JSON the payload stands for: plain values
            found.extend(_conventions(plain_json(payload), event_type))
    except NotJson as exc:
        parts = cycle_place(payload, exc.parts) if exc.what == CYCLE else exc.parts
        where = f" at {to_human(parts)}" if parts else ""
        raise TypeError(
            "validate() takes parsed JSON (dict, list, str, int, float, bool, None) or JSON text; "
            f"the payload holds a value JSON cannot represent: {exc.what}{where}"
        ) from None
    return found


def _conventions(payload: object, event_type: str) -> list[Violation]:
    from pytest_thrillpots.validation._semantic import semantic_violations

    return semantic_violations(payload, event_type)


_parse = msgspec.json.Decoder().decode
"""The parser for text to explain: whole numbers of any size stay ints (orjson makes floats of
them), duplicate keys keep the last value, like orjson; and it is a little faster."""


def _plain_text(payload: Text) -> bytes | bytearray | str:
    """JSON text as the parsers and the quote count take it: a ``str`` subclass as ``str``, a view as bytes."""
    if type(payload) is bytes or type(payload) is str or type(payload) is bytearray:
        return payload
    if isinstance(payload, str):
        return str.__str__(payload)
    return bytes(payload)


def _keys_given_twice(text: bytes | bytearray | str, parsed: object) -> list[Violation]:
    """A ``json`` violation at each key the text gives twice in one object, as ``thrillpots validate`` reports it."""
    if not isinstance(parsed, (dict, list)):
        return []
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    return duplicate_keys(raw, parsed)


def _reparsed(text: Text) -> object:
    """Text msgspec did not parse: orjson's reading (it nests a little deeper), or the ``json`` violation."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return json_violation(exc)


def _by_engine(payload: object, event_type: str, strict: bool, allow_legacy_winners: bool) -> list[Violation]:
    """The schema engine's verdict and its errors in our words, for what the collector does not cover."""
    validator = engine(event_type, strict, allow_legacy_winners)
    payload = plain_json(payload)  # the engine's idea of Python types is not json's: give it JSON's
    try:
        if validator.is_valid(payload):
            return []
        return _explain(validator, payload, event_type, allow_legacy_winners)
    except ValueError as exc:
        if _ENGINE_DEPTH_ERROR not in str(exc):  # pragma: no cover - plain_json left only JSON values
            raise
    # Nested deeper than the engine takes (about 255 levels), in metadata say. No value the spec
    # describes nests that deep, so the payload cut at MAX_CHECKED_DEPTH gets the same verdict.
    shallow = _within_depth(payload, MAX_CHECKED_DEPTH)
    if validator.is_valid(shallow):
        return []
    return _explain(validator, shallow, event_type, allow_legacy_winners)


_ENGINE_DEPTH_ERROR = "Recursion limit"
MAX_CHECKED_DEPTH = 64
"""How deep the engine looks: far below its limit, far above any structure of the spec."""


def _within_depth(value: object, depth: int) -> object:
    """``value`` with every array or object deeper than ``depth`` levels emptied."""
    if isinstance(value, Mapping):
        return {key: _within_depth(item, depth - 1) for key, item in value.items()} if depth else {}
    if isinstance(value, (list, tuple)):
        return [_within_depth(item, depth - 1) for item in value] if depth else []
    return value


_validator = engine  # the names pact/_interactions uses
_explain = explain

__all__ = ["validate"]

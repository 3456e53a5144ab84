"""The command's short way through an NDJSON line: a valid event told from its bytes, never parsed into dicts.

``thrillpots validate`` reads mostly valid events. For each line, ``line_check`` answers "a valid
event of this type" or "not sure"; only "not sure" lines take the full way (``check_lines``: a
parse, identification, the collector), which alone decides what is wrong. So this module can
only ever skip work, never judge: every yes it gives must be a line the full way finds valid,
with the same event type. Each yes rests on four facts, each derived from the spec model:

1. the strict typed decoder of a type (``_fastpath``) accepts the line. Strict mode reports
   more than default mode, and the canonical winner form is one the legacy option also takes,
   so the line is valid in every mode but ``semantic``; and every object in it holds exactly
   its listed keys (all are required, none other is taken);
2. no key is given twice, which the decoder does not see (the last value wins). Each key and
   string value the decoded event holds was written with two quotes; a key given twice, its
   overwritten value and an escaped quote (``\\"``) each add more. So the line holds no key twice
   exactly when it has as many quotes as the decoded event accounts for (``quote_counter``,
   generated from the model);
3. nothing in it is read differently by the full way's parser (orjson): the decoders refuse
   what orjson refuses, escapes and numbers alike (tests hold them to that), and in free-form
   values, whole numbers beyond 64 bits and deep nesting are left to the full way;
4. the full way identifies the line as that type: its top-level keys are exactly the type's
   fields, and a type is only offered when the one identification rule picks it for its own
   fields (``identification``). The type to try is guessed from a key only it lists; a wrong
   guess costs a failed decode, never a wrong answer.

tests/validation/test_lines.py holds ``check_lines`` with this way to ``check_lines`` without
it, line by line, for every mode and every kind of defect hypothesis can make.
"""

from __future__ import annotations

import functools
import keyword
from collections.abc import Callable
from typing import Any

import msgspec
import orjson

from pytest_thrillpots.spec import Node, identification, spec
from pytest_thrillpots.spec._schemas import EVENT_TYPES
from pytest_thrillpots.validation._fastpath import fast_decoder

LineCheck = Callable[[bytes], "str | None"]
"""The event type of a line that surely holds a valid event of it; None: not sure."""

MAX_FREE_FORM_DEPTH = 64
"""How deep a free-form value may nest for this way to take it (orjson's limit is 1024 in all)."""

_WIDEST_INT = 1 << 64
"""orjson reads a whole number this large or larger as a float (and may find it infinite)."""


def free_form_quotes(value: object) -> int:
    """The quotes that delimit a free-form value's strings and keys; -1 when the full way should read it."""
    if type(value) is dict:
        # Most metadata is one flat object of strings: counted in C, without the walk below.
        kinds = list(map(type, value.values()))
        strings = kinds.count(str)
        if strings == len(kinds) or strings + kinds.count(float) + kinds.count(bool) + kinds.count(NONE) == len(kinds):
            return 2 * (len(kinds) + strings)
    count = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_FREE_FORM_DEPTH:
            return -1
        if type(value) is dict:
            count += 2 * len(value)
            items: Any = value.values()
        else:  # a list: what the decoder gives for a free-form value is a dict, a list or a scalar
            items = value
        for item in items:  # scalars here, containers later
            kind = type(item)
            if kind is str:
                count += 2
            elif kind is dict or kind is list:
                stack.append((item, depth + 1))
            elif kind is int and not -_WIDEST_INT < item < _WIDEST_INT:
                return -1
    return count


NONE = type(None)


class _Counter:
    """Writes the expression of a decoded value's quote count, as ``_fastpath._typed`` shaped it."""

    def __init__(self) -> None:
        self.names = 0

    def fresh(self) -> str:
        self.names += 1
        return f"v{self.names}"

    def count(self, node: Node, x: str, in_array: bool) -> str | int:
        """The count of the value in ``x``: an int when every such value has the same."""
        counted = self._count(node, x, in_array)
        if not node.nullable or counted == 0:
            return counted
        name = self.fresh()
        inner = self._count(node, name, in_array)
        return f"(0 if ({name} := {x}) is None else {inner})"

    def _count(self, node: Node, x: str, in_array: bool) -> str | int:
        if node.enum is not None:
            if all(type(option) is str for option in node.enum):
                return 2
            return f"(2 if type({x}) is str else 0)"
        if node.kind == "string":
            return 2
        if node.kind in ("number", "boolean"):
            return 0
        if node.kind == "array":
            assert node.items is not None
            item = self.fresh()
            each = self.count(node.items, item, True)
            if isinstance(each, int):
                return 0 if each == 0 else f"{each} * len({x})"
            return f"sum([{each} for {item} in {x}])"
        if node.free_form:
            return f"FREE({x})"
        if node.extra_values is not None and in_array:  # read as a dict (``_fastpath``: under an array)
            value = self.fresh()
            each = self.count(node.extra_values, value, True)
            if isinstance(each, int):
                return f"{2 + each} * len({x})"
            return f"sum([2 + {each} for {value} in {x}.values()])"
        constant = 0
        parts: list[str] = []
        for name, child in node.fields.items():
            attribute = (
                f"{x}.{name}" if name.isidentifier() and not keyword.iskeyword(name) else f"getattr({x}, {name!r})"
            )
            counted = self.count(child, attribute, in_array)
            constant += 2
            if isinstance(counted, int):
                constant += counted
            else:
                parts.append(counted)
        if not parts:
            return constant
        return " + ".join([str(constant), *parts]) if constant else " + ".join(parts)


@functools.cache
def quote_counter(event_type: str) -> Callable[[Any], int]:
    """How many quotes the JSON text of a decoded ``event_type`` holds when no key is given twice."""
    counted = _Counter().count(spec(event_type), "event", False)
    source = f"def quotes(event):\n    return {counted}\n"
    namespace: dict[str, Any] = {"FREE": free_form_quotes}
    exec(compile(source, f"<thrillpots quote counter {event_type}>", "exec"), namespace)
    quotes: Callable[[Any], int] = namespace["quotes"]
    return quotes


Tries = tuple[str, Callable[[Any], Any], "Callable[[Any], bool] | None", Callable[[Any], int]]
"""A type's name, its strict decoder, the check of what the decoder's types cannot say, its quote counter."""

_ERRORS = (msgspec.MsgspecError, RecursionError)

MAX_GUESSES = 4096
"""How many quote counts ``line_check`` remembers the type of (a producer's events have few)."""


def _tries(event_type: str) -> Tries | None:
    fast = fast_decoder(event_type, True)
    if fast is None:
        return None
    return event_type, fast.decode, fast.keys_present, quote_counter(event_type)


@functools.cache
def line_check(event_type: str | None) -> LineCheck | None:
    """The short way for lines of ``event_type`` (None: any type, told by its keys); None when there is none."""
    if event_type is not None:
        tries = _tries(event_type)
        return None if tries is None else _checker([(b"", tries)], [])
    marked: list[tuple[bytes, Tries]] = []
    unmarked: list[Tries] = []
    for name in EVENT_TYPES:
        tries = _tries(name)
        fields = tuple(spec(name).fields)
        if tries is None or identification(dict.fromkeys(fields)).event_type != name:
            continue  # the full way would not call an event with exactly these keys a `name`
        others = {field for other in EVENT_TYPES if other != name for field in spec(other).fields}
        own = [field for field in fields if field not in others]
        if own:
            marked.append((orjson.dumps(own[0]), tries))
        else:
            unmarked.append(tries)
    return _checker(marked, unmarked) if marked or unmarked else None


def _attempt(raw: bytes, quotes: int, tries: Tries) -> str | None:
    name, decode, keys_present, counter = tries
    try:
        decoded = decode(raw)
    except _ERRORS:
        return None
    if keys_present is not None and not keys_present(decoded):
        return None
    return name if counter(decoded) == quotes else None


def _checker(marked: list[tuple[bytes, Tries]], unmarked: list[Tries]) -> LineCheck:
    if not unmarked and len(marked) == 1:
        only = marked[0][1]

        def check_one(raw: bytes) -> str | None:
            return _attempt(raw, raw.count(b'"'), only)

        return check_one

    # The type last found valid for a line with as many quotes: lines of one type and shape have
    # the same count, and most lines of a capture are of a few shapes.
    guesses: dict[int, Tries] = {}

    def check(raw: bytes) -> str | None:
        quotes = raw.count(b'"')
        guess = guesses.get(quotes)
        if guess is not None:
            name, decode, keys_present, counter = guess
            try:
                decoded = decode(raw)
            except _ERRORS:
                pass
            else:
                if (keys_present is None or keys_present(decoded)) and counter(decoded) == quotes:
                    return name
        for marker, tries in marked:
            if marker in raw:
                # Its own key is here: a valid event of any other type would not hold it.
                candidates = [tries]
                break
        else:
            candidates = unmarked
        for tries in candidates:
            if tries is not guess and (found := _attempt(raw, quotes, tries)) is not None:
                if len(guesses) < MAX_GUESSES or quotes in guesses:
                    guesses[quotes] = tries
                return found
        return None

    return check

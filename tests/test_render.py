"""How values, differences and violations are shown: one bounded, printable line each, and two
different values never as two identical lines."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pytest_thrillpots._render import (
    MAX_DIFFERENCES,
    MAX_KEY_WIDTH,
    MAX_MESSAGE_WIDTH,
    MAX_PATH_WIDTH,
    MAX_VALUE_WIDTH,
    Occurrences,
    cut,
    difference_lines,
    render_path,
    render_value,
    violation_lines,
)
from pytest_thrillpots.comparison._comparison import json_equal
from pytest_thrillpots.spec._paths import ABSENT, to_pointer
from pytest_thrillpots.validation._violation import Violation


def nested(depth: int, leaf: object = 1) -> Any:
    value: Any = leaf
    for _ in range(depth):
        value = [value]
    return value


def sides(expected: object, actual: object) -> tuple[str, str]:
    """The ``- expected`` and ``+ actual`` lines of one difference, without their labels."""
    _, left, right = difference_lines([([], expected, actual)])
    return left.removeprefix("    - expected: "), right.removeprefix("    + actual:   ")


# render_value


def test_a_long_value_is_cut_to_one_readable_line() -> None:
    assert render_value("x" * 200) == '"' + "x" * 78 + "… (202 characters)"
    assert render_value({"b": [1, None]}) == '{"b":[1,null]}'
    assert render_value({1: "non-string key"}) == '{"1":"non-string key"}'
    assert render_value({1, 2}) == "{1, 2}"
    assert render_value(ABSENT) == "(absent)"


def test_numbers_json_has_no_word_for_are_named_not_shown_as_null() -> None:
    assert render_value(float("nan")) == "NaN"
    assert render_value([float("inf"), -float("inf"), None]) == "[Infinity,-Infinity,null]"
    assert render_value({"seed": float("nan"), "metadata": None}) == '{"seed":NaN,"metadata":null}'
    assert render_value(10**5000) == "(an integer of about 5001 digits)"
    assert render_value([2**70, 1.5]) == "[1180591620717411303424,1.5]"


def test_a_value_that_contains_itself_shows_where_the_cycle_closes() -> None:
    cyclic: dict[str, Any] = {"x": 1}
    cyclic["self"] = cyclic
    looped: list[Any] = [1]
    looped.append(looped)
    assert render_value(cyclic) == '{"x":1,"self":(cycle)}'
    assert render_value([looped, looped]) == "[[1,(cycle)],[1,(cycle)]]"


def test_a_value_nested_past_the_interpreters_limit_is_shown_cut() -> None:
    assert render_value(nested(100_000)) == "[" * 79 + "… (200001 characters)"


def test_what_is_not_json_shows_as_python_writes_it() -> None:
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    assert render_value({"at": Decimal("1.5")}) == "{\"at\":Decimal('1.5')}"
    assert render_value([Broken()]) == "[<Broken object>]"


def test_characters_a_terminal_would_act_on_are_escaped() -> None:
    class Multiline:
        def __repr__(self) -> str:
            return "two\nlines"

    assert render_value("red \x1b[31m, del \x7f, csi \x9b") == '"red \\u001b[31m, del \\u007f, csi \\u009b"'
    assert render_value(Multiline()) == "two\\u000alines"
    assert render_value("\ud800") == '"\\ud800"'
    assert render_value("é 中 🎰") == '"é 中 🎰"'


# cut


def test_cut_keeps_short_text_and_cuts_long_text_at_the_start_by_default() -> None:
    assert cut("abc", 3) == "abc"
    assert cut("abcdef", 5) == "abcd… (6 characters)"


def test_cut_moves_its_window_to_the_character_asked_for() -> None:
    text = "a" * 500 + "b" + "a" * 500
    shown = cut(text, 80, 500)
    assert shown == "…" + "a" * 40 + "b" + "a" * 37 + "… (1001 characters)"
    assert cut(text, 80, 995) == "…" + text[-79:] + " (1001 characters)"


# render_path


def test_a_long_key_is_cut_inside_the_path() -> None:
    assert render_path(["k" * 1_000_000]) == '["' + "k" * (MAX_KEY_WIDTH - 1) + '… (1000000 characters)"]'
    assert render_path(["metadata", "k" * 50, 0]) == 'metadata["' + "k" * (MAX_KEY_WIDTH - 1) + '… (50 characters)"][0]'


def test_a_deep_path_keeps_its_start_and_its_end() -> None:
    text = "metadata" + "[0]" * 10_000 + ".x"
    head = (MAX_PATH_WIDTH - 1) // 2
    tail = MAX_PATH_WIDTH - 1 - head
    assert render_path(["metadata", *[0] * 10_000, "x"]) == f"{text[:head]}…{text[-tail:]} (30010 characters)"
    assert render_path([]) == "<event>"


def test_a_key_with_a_newline_or_an_escape_stays_on_its_line() -> None:
    assert render_path(["a\nb", "\x1b[2J"]) == '["a\\u000ab"]["\\u001b[2J"]'


# difference_lines


def test_differences_beyond_twenty_are_counted() -> None:
    many = [([f"k{i}"], i, -1) for i in range(MAX_DIFFERENCES + 5)]
    lines = difference_lines(many)  # type: ignore[arg-type]
    assert len(lines) == 3 * MAX_DIFFERENCES + 1
    assert lines[-1] == "  ... and 5 more differences"
    assert difference_lines(many[: MAX_DIFFERENCES + 1])[-1] == "  ... and 1 more difference"  # type: ignore[arg-type]


def test_difference_lines_colour_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    difference = [(["seed"], 1, 2)]
    assert difference_lines(difference) == ["  seed", "    - expected: 1", "    + actual:   2"]  # type: ignore[arg-type]
    coloured = ["  seed", "    \x1b[31m- expected: 1\x1b[0m", "    \x1b[32m+ actual:   2\x1b[0m"]
    assert difference_lines(difference, colour=True) == coloured  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "")  # https://no-color.org: set and empty does not count
    assert difference_lines(difference, colour=True) == coloured  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert difference_lines(difference, colour=True) == ["  seed", "    - expected: 1", "    + actual:   2"]  # type: ignore[arg-type]


def test_two_long_values_show_where_they_differ() -> None:
    assert sides("a" * 1000 + "b", "a" * 1000 + "c") == (
        "…" + "a" * 77 + 'b" (1003 characters)',
        "…" + "a" * 77 + 'c" (1003 characters)',
    )
    assert sides({"k": "x" * 100, "seed": 1}, {"k": "x" * 100, "seed": 2}) == (
        "…" + "x" * 68 + '","seed":1} (117 characters)',
        "…" + "x" * 68 + '","seed":2} (117 characters)',
    )


def test_values_with_the_same_text_are_told_apart_by_their_types() -> None:
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert sides(str(key), key) == (
        '"12345678-1234-5678-1234-567812345678" (str)',
        '"12345678-1234-5678-1234-567812345678" (UUID)',
    )
    assert sides(Decimal("NaN"), Decimal("NaN")) == (
        "Decimal('NaN') (Decimal)",
        "Decimal('NaN') (Decimal, with the same text but not equal)",
    )
    long_text = "y" * 200
    shown_str, shown_subclass = sides(long_text, type("Text", (str,), {})(long_text))
    assert shown_str == '"' + "y" * 78 + "… (202 characters) (str)"
    assert shown_subclass == '"' + "y" * 78 + "… (202 characters) (Text)"


def test_counts_of_a_repeated_item_are_kept_when_the_item_is_cut() -> None:
    item = {"player_id": "p" * 200}
    assert sides(Occurrences(item, 1), Occurrences(item, 2)) == (
        '{"player_id":"' + "p" * 65 + "… (216 characters) (1 time)",
        '{"player_id":"' + "p" * 65 + "… (216 characters) (2 times)",
    )


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**64, max_value=2**80)
    | st.floats()
    | st.text(max_size=4)
    | st.text(alphabet="ab\n\x1b\x7f", min_size=90, max_size=120)
    | st.sampled_from([uuid.UUID(int=1), str(uuid.UUID(int=1)), Decimal("1"), "1", float("nan"), 1.0, True])
)
VALUES = st.recursive(
    LEAVES,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=3) | st.text(alphabet="k\n", min_size=50, max_size=60), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(expected=VALUES, actual=VALUES)
@example(expected="a" * 1000 + "b", actual="a" * 1000 + "c")
@example(expected=[uuid.UUID(int=1)], actual=[str(uuid.UUID(int=1))])
@example(expected="\x01", actual="\\u0001")
def test_two_values_that_differ_never_read_the_same(expected: Any, actual: Any) -> None:
    if not json_equal(actual, expected):
        left, right = sides(expected, actual)
        assert left != right


@settings(max_examples=200, deadline=None)
@given(expected=VALUES, actual=VALUES, key=st.text(alphabet="k\x1b", max_size=300), depth=st.integers(0, 300))
def test_every_line_is_bounded_and_printable(expected: Any, actual: Any, key: str, depth: int) -> None:
    path = ["metadata", key, *[0] * depth]
    value_bound = len("    + actual:   ") + MAX_VALUE_WIDTH + len(" (123456789 characters)")
    type_note = len(" (, with the same text but not equal)") + MAX_KEY_WIDTH
    lines = difference_lines([(path, expected, actual), (path, Occurrences(expected, 1), Occurrences(expected, 2))])
    assert len(lines[0]) <= 2 + MAX_PATH_WIDTH + len(" (123456 characters)")
    assert all(len(line) <= value_bound + type_note for line in lines[1:])
    violation = Violation(to_pointer(path), "type", "string", "x", "m" * 1000 + key)
    (line,) = violation_lines([violation])
    assert len(line) <= 2 + MAX_PATH_WIDTH + 22 + 2 + MAX_MESSAGE_WIDTH + 22 + len(" [type]")
    assert all(line.isprintable() for line in [*lines, *violation_lines([violation])])


# violation_lines


def test_a_violation_reads_as_its_field_message_and_rule() -> None:
    violation = Violation(
        "/pots/1/is_progressive", "type", "boolean", 'string "no"', 'expected boolean, got string "no"'
    )
    assert violation_lines([violation]) == ['  pots[1].is_progressive: expected boolean, got string "no" [type]']
    assert violation_lines([violation]) == [f"  {violation}"]


def test_a_violation_under_a_huge_key_stays_one_short_line() -> None:
    violation = Violation("/" + "k" * 1_000_000, "unknown_field", "-", "-", "unknown field\nsecond line")
    assert violation_lines([violation]) == [
        '  ["' + "k" * (MAX_KEY_WIDTH - 1) + '… (1000000 characters)"]: unknown field\\u000asecond line [unknown_field]'
    ]


def test_violations_beyond_twenty_are_counted() -> None:
    many = [Violation(f"/x{i}", "missing", "string", "missing", "m") for i in range(MAX_DIFFERENCES + 3)]
    rendered = violation_lines(many)
    assert len(rendered) == MAX_DIFFERENCES + 1
    assert rendered[-1] == "  ... and 3 more violations"
    assert violation_lines(many[: MAX_DIFFERENCES + 1])[-1] == "  ... and 1 more violation"

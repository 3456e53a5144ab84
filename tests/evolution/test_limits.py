"""What `thrillpots diff` refuses to judge: documents nested too deeply, too large, or containing themselves.

Each is an input the tool cannot judge, so exit 2 with one line: never a traceback (exit 1,
which a CI gate reads as "breaking"), never "compatible", never minutes of work.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_thrillpots import ContractSourceError, diff_contracts
from pytest_thrillpots.cli import main
from pytest_thrillpots.evolution._limits import MAX_COMPARED, MAX_DEPTH, MAX_SCHEMA_DEPTH, MAX_VALUES, check_size


def nested_schema_text(levels: int, leaf: str = "number") -> str:
    """A schema ``levels`` objects deep (each level nests two JSON containers), written as text."""
    return '{"type": "object", "properties": {"a": ' * levels + f'{{"type": "{leaf}"}}' + "}}" * levels


def write_version(root: Path, name: str, files: dict[str, str]) -> Path:
    directory = root / name
    directory.mkdir()
    for file_name, text in files.items():
        (directory / f"{file_name}.schema.json").write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize("levels", [200, 495, 990, 5000])
def test_a_schema_nested_too_deeply_is_exit_2_with_one_line(
    tmp_path: Path, levels: int, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write_version(tmp_path, "old", {"E": nested_schema_text(levels)})
    new = write_version(tmp_path, "new", {"E": nested_schema_text(levels, "string")})
    assert main(["diff", str(old), str(new)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"thrillpots: error: {old}: {old.resolve().as_posix()}/E.schema.json nests arrays and objects more than "
        f"{MAX_DEPTH} levels deep; thrillpots diff judges documents up to {MAX_DEPTH} levels\n"
    )


def test_a_schema_just_within_the_depth_is_judged(tmp_path: Path) -> None:
    levels = MAX_DEPTH // 2 - 1  # two containers a level, and the leaf schema
    old = write_version(tmp_path, "old", {"E": nested_schema_text(levels)})
    new = write_version(tmp_path, "new", {"E": nested_schema_text(levels, "string")})
    (change,) = diff_contracts(old, new).changes
    assert (change.path, change.kind) == (".".join(["a"] * levels), "type_changed")


def test_deep_yaml_is_refused_like_deep_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "asyncapi.yaml"
    payload = "{type: object, properties: {a: " * 600 + "{type: number}" + "}}" * 600
    document.write_text(f"asyncapi: 3.0.0\ncomponents:\n  messages:\n    E:\n      payload: {payload}\n")
    assert main(["diff", str(document), str(document)]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: {document}: {document.resolve().as_posix()} nests arrays and objects more than "
        f"{MAX_DEPTH} levels deep; thrillpots diff judges documents up to {MAX_DEPTH} levels\n"
    )


def alias_bomb(levels: int = 6) -> str:
    """An AsyncAPI document of a few hundred bytes whose aliases stand for 10**levels values."""
    lines = ["asyncapi: 3.0.0", "info: {title: t, version: '1'}", "x-0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for level in range(1, levels):
        lines.append(f"x-{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    lines += ["components:", "  messages:", "    E:", f"      payload: {{type: object, enum: [*a{levels - 1}]}}"]
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(alias_bomb(), encoding="utf-8")
    assert len(document.read_bytes()) < 1000
    started = time.perf_counter()
    assert main(["diff", str(document), str(document)]) == 2
    assert time.perf_counter() - started < 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: {document}: {document.resolve().as_posix()} expands, through YAML aliases, to more than "
        f"{MAX_VALUES:,} values; thrillpots diff refuses documents that large (write the repeated parts once, "
        "or without aliases)\n"
    )


def test_aliases_that_repeat_a_little_are_judged(tmp_path: Path) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(alias_bomb(levels=3), encoding="utf-8")  # a thousand values
    assert diff_contracts(document, document).changes == ()


def test_a_document_containing_itself_is_refused(tmp_path: Path) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(
        "asyncapi: 3.0.0\nx-loop: &loop [1, *loop]\ncomponents:\n  messages:\n    E:\n      payload: {}\n"
    )
    with pytest.raises(
        ContractSourceError, match=r"asyncapi\.yaml contains itself \(a YAML alias inside its own anchor\)$"
    ):
        diff_contracts(document, document)


def test_a_large_document_without_aliases_says_so() -> None:
    big = {"type": "object", "properties": {f"f{i}": {"type": "number"} for i in range(MAX_VALUES // 2)}}
    with pytest.raises(ContractSourceError) as error:
        diff_contracts({"E": big}, {"E": big})
    assert str(error.value) == (
        f"<schemas>: E.schema.json holds more than {MAX_VALUES:,} values; thrillpots diff judges documents up to that size"
    )


def test_a_mapping_that_is_not_json_is_a_source_error() -> None:
    with pytest.raises(ContractSourceError) as error:
        diff_contracts({"E": {"type": "object", "default": {1, 2}}}, {"E": {"type": "object"}})
    assert str(error.value) == "<schemas>: E.schema.json is not JSON (Object of type set is not JSON serializable)"


def test_a_mapping_containing_itself_is_a_source_error() -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    schema["properties"]["self"] = schema
    with pytest.raises(ContractSourceError, match=r"^<schemas>: E\.schema\.json contains itself"):
        diff_contracts({"E": schema}, {"E": {"type": "object"}})


def test_refs_chained_across_files_past_the_walk_depth_are_refused(tmp_path: Path) -> None:
    """Each file is shallow; the chain of $ref between them nests the walk deeper than it judges."""
    count = MAX_SCHEMA_DEPTH + 5
    files = {
        f"S{i}": json.dumps({"type": "object", "properties": {"next": {"$ref": f"S{i + 1}.schema.json"}}})
        for i in range(count)
    }
    files[f"S{count}"] = '{"type": "number"}'
    old = write_version(tmp_path, "old", files)
    new = write_version(tmp_path, "new", {**files, f"S{count}": '{"type": "string"}'})
    with pytest.raises(ContractSourceError) as error:
        diff_contracts(old, new)
    assert str(error.value) == (
        f"S0: its schemas nest more than {MAX_SCHEMA_DEPTH} levels deep (at next.next.next.next.next.next..., "
        f"through $ref); thrillpots diff judges schemas up to {MAX_SCHEMA_DEPTH} levels"
    )


def test_refs_fanning_out_past_the_walk_budget_are_refused_quickly(tmp_path: Path) -> None:
    """Five small files, each naming the next twenty times: 20**4 places to compare."""
    files = {}
    for level in range(4):
        properties = {f"p{i}": {"$ref": f"L{level + 1}.schema.json"} for i in range(20)}
        files[f"L{level}"] = json.dumps({"type": "object", "properties": properties})
    files["L4"] = '{"type": "number"}'
    old = write_version(tmp_path, "old", files)
    started = time.perf_counter()
    with pytest.raises(ContractSourceError) as error:
        diff_contracts(old, old)
    assert time.perf_counter() - started < 10
    assert str(error.value) == (
        f"L0: its schemas expand, through $ref, to more than {MAX_COMPARED:,} places to compare; "
        "thrillpots diff refuses schemas that large"
    )


# --- check_size on any document --------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=40,
)


def depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


def count(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(map(count, value.values()))
    if isinstance(value, list):
        return 1 + sum(map(count, value))
    return 1


@settings(max_examples=200, deadline=None)
@given(value=JSON_VALUES, wrap=st.integers(min_value=0, max_value=MAX_DEPTH + 3))
def test_check_size_refuses_exactly_the_documents_past_the_depth(value: object, wrap: int) -> None:
    for _ in range(wrap):
        value = [value]
    if depth(value) > MAX_DEPTH:
        with pytest.raises(ContractSourceError, match="more than 256 levels deep"):
            check_size(value, "doc")
    else:
        check_size(value, "doc")


@settings(max_examples=100, deadline=None)
@given(value=JSON_VALUES, copies=st.integers(min_value=1, max_value=6))
def test_check_size_counts_a_shared_value_at_every_place_it_appears(value: object, copies: int) -> None:
    """A YAML alias is one object at many places: it counts as often as it appears."""
    shared: object = value
    expanded = count(value)
    for _ in range(copies):
        shared = [shared] * 10
        expanded = 1 + 10 * expanded
    if expanded > MAX_VALUES:
        with pytest.raises(ContractSourceError, match="expands, through YAML aliases, to more than 100,000 values"):
            check_size(shared, "doc")
    else:
        check_size(shared, "doc")

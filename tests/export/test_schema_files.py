"""`thrillpots export schemas|asyncapi`: the files teams in other languages take."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_thrillpots import EVENT_TYPES, STRUCTURE_TYPES, asyncapi_yaml, diff_contracts, export_schemas
from pytest_thrillpots.cli import main

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "contracts" / "schemas"


def test_export_schemas_copies_every_schema_byte_for_byte(tmp_path: Path) -> None:
    written = export_schemas(tmp_path / "out" / "schemas")
    assert [p.name for p in written] == [f"{n}.schema.json" for n in (*EVENT_TYPES, *STRUCTURE_TYPES)]
    assert sorted(p.name for p in (tmp_path / "out" / "schemas").iterdir()) == sorted(p.name for p in SCHEMAS.iterdir())
    for path in written:
        assert path.read_bytes() == (SCHEMAS / path.name).read_bytes()


def test_cli_export_schemas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "schemas", str(tmp_path / "s")]) == 0
    assert capsys.readouterr().out == f"wrote 10 schema files to {tmp_path / 's'}\n"
    assert diff_contracts(SCHEMAS, tmp_path / "s").changes == ()


def test_cli_export_schemas_into_a_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    assert main(["export", "schemas", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: {target} exists and is not a directory; name a directory for the schema files\n"
    )


def test_cli_export_asyncapi_to_stdout_and_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "asyncapi"]) == 0
    assert capsys.readouterr().out == asyncapi_yaml()
    assert main(["export", "asyncapi", "--output", str(tmp_path / "asyncapi.yaml")]) == 0
    assert (tmp_path / "asyncapi.yaml").read_bytes() == asyncapi_yaml().encode()


def test_a_exported_pair_is_a_self_contained_contract(tmp_path: Path) -> None:
    """The document's payload refs resolve once the schemas sit beside it, as the help says."""
    assert main(["export", "schemas", str(tmp_path / "schemas")]) == 0
    assert main(["export", "asyncapi", "-o", str(tmp_path / "asyncapi.yaml")]) == 0
    assert diff_contracts(SCHEMAS, tmp_path / "asyncapi.yaml").changes == ()


def test_check_reports_a_stale_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(asyncapi_yaml(), encoding="utf-8")
    assert main(["export", "asyncapi", "-o", str(document), "--check"]) == 0
    assert capsys.readouterr().out == f"{document} is up to date\n"
    document.write_text(asyncapi_yaml().replace("version: 0.", "version: 9."), encoding="utf-8")
    assert main(["export", "asyncapi", "-o", str(document), "--check"]) == 1
    assert capsys.readouterr().out == (
        f"{document} is out of date: run `thrillpots export asyncapi --output {document}`\n"
    )
    assert "version: 9." in document.read_text(encoding="utf-8")  # --check writes nothing


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "asyncapi", "--check"], "--check needs --output FILE: the document to compare"),
        (["export", "asyncapi", "--check", "-o", "missing.yaml"], "cannot read missing.yaml: No such file or directory"),
        (["export"], "the following arguments are required: WHAT (see 'thrillpots export --help')"),
        (
            ["export", "avro"],
            "argument WHAT: invalid choice: 'avro' (choose from 'asyncapi', 'schemas') (see 'thrillpots export --help')",
        ),
    ],
)
def test_usage_errors(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err == f"thrillpots: error: {message}\n"


def test_help_describes_both_exports() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "export", "--help"], capture_output=True, text=True, check=True
    )
    assert "thrillpots export asyncapi [--output FILE] [--check]" in result.stdout
    assert "thrillpots export schemas DIR" in result.stdout

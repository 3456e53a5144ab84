"""`thrillpots diff` on the real contracts: directories, git refs, AsyncAPI documents, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_thrillpots import ContractSourceError, diff_contracts
from pytest_thrillpots.cli import main

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "contracts" / "schemas"


def edit(directory: Path, name: str, change: Any) -> None:
    path = directory / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")


def remove_seed(schema: dict[str, Any]) -> None:
    del schema["properties"]["seed"]
    schema["required"].remove("seed")


def current_value_as_string(schema: dict[str, Any]) -> None:
    schema["properties"]["current_value"]["type"] = "string"


def add_bonus_jackpot_type(schema: dict[str, Any]) -> None:
    schema["properties"]["jackpot_type"]["enum"].append("Bonus")


@pytest.fixture
def evolved(tmp_path: Path) -> Path:
    """The current contracts with a field removed, a type changed and an enum value added."""
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    edit(copy, "WinEvent", remove_seed)
    edit(copy, "PotTicker", current_value_as_string)
    edit(copy, "JackpotUpdateEvent", add_bonus_jackpot_type)
    return copy


EXPECTED_CHANGES = [
    ("JackpotUpdateEvent", "jackpot_type", "enum_value_added", ["FORWARD"]),
    ("JackpotUpdateEvent", "pots[*].current_value", "type_changed", ["BACKWARD", "FORWARD"]),
    ("WinEvent", "seed", "field_removed", ["FORWARD"]),
]


def test_real_contracts_against_an_evolved_copy(evolved: Path) -> None:
    report = diff_contracts(SCHEMAS, evolved)
    assert [(c["event"], c["path"], c["kind"], c["breaks"]) for c in report.to_dict()["changes"]] == EXPECTED_CHANGES
    assert report.text().splitlines() == [
        "JackpotUpdateEvent",
        '  jackpot_type: enum value added ("Bonus"): breaks FORWARD',
        '      New writers may send "Bonus", which old readers reject.',
        "  pots[*].current_value: type changed (number -> string): breaks BACKWARD and FORWARD",
        "      New readers reject the number values old writers send; old readers reject the string values new writers send.",
        "",
        "WinEvent",
        "  seed: field removed (was number): breaks FORWARD",
        "      Old readers require seed, which new writers no longer send.",
        "",
        "3 changes in 2 events (1 break BACKWARD, 3 break FORWARD): BREAKING in full mode (3 of 3 not allowed).",
    ]


@pytest.mark.parametrize(
    ("edits", "mode", "code"),
    [
        ([], "full", 0),
        ([("WinEvent", remove_seed)], "backward", 0),  # new readers ignore the field old writers still send
        ([("WinEvent", remove_seed)], "forward", 1),
        ([("WinEvent", remove_seed)], "full", 1),
        ([("JackpotUpdateEvent", add_bonus_jackpot_type)], "backward", 0),
        ([("JackpotUpdateEvent", add_bonus_jackpot_type)], "forward", 1),
        ([("PotTicker", current_value_as_string)], "backward", 1),
        ([("PotTicker", current_value_as_string)], "forward", 1),
    ],
)
def test_exit_code_follows_the_mode(
    tmp_path: Path, edits: list[Any], mode: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    for name, change in edits:
        edit(copy, name, change)
    assert main(["diff", str(SCHEMAS), str(copy), "--mode", mode]) == code
    last = capsys.readouterr().out.splitlines()[-1]
    assert f"{'compatible' if code == 0 else 'BREAKING'} in {mode} mode" in last


def test_default_mode_is_full_and_json_format(evolved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(SCHEMAS), str(evolved), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["mode"] == "full"
    assert document["compatible"] is False
    assert document["consumers"] is None
    assert [c["breaking"] for c in document["changes"]] == [True, True, True]
    assert document["changes"][2] == {
        "event": "WinEvent",
        "path": "seed",
        "kind": "field_removed",
        "breaks": ["FORWARD"],
        "allowed_under": "BACKWARD",
        "breaking": True,
        "old": "number",
        "new": None,
        "reason": "Old readers require seed, which new writers no longer send.",
        "consumers": None,
    }


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose last commit removes WinEvent.seed."""
    repo = tmp_path / "repo"
    shutil.copytree(SCHEMAS, repo / "contracts" / "schemas")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    edit(repo / "contracts" / "schemas", "WinEvent", remove_seed)
    git(repo, "commit", "-q", "-am", "v2")
    monkeypatch.chdir(repo / "contracts")  # any directory inside the repository will do
    return repo


def test_git_refs(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "git:v1", "git:HEAD", "--mode", "forward"]) == 1
    assert "WinEvent\n  seed: field removed (was number): breaks FORWARD\n" in capsys.readouterr().out
    assert main(["diff", "git:HEAD~1", "schemas", "--mode", "backward"]) == 0
    assert main(["diff", "git:v1:contracts/schemas", "git:main", "--mode", "full"]) == 1
    assert main(["diff", "git:HEAD", str(history / "contracts")]) == 0  # a folder holding schemas/


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["diff", "git:nope", "git:HEAD"],
            "thrillpots: error: git:nope: no commit, branch or tag named 'nope' in {repo}",
        ),
        (
            ["diff", "git:v1:docs", "git:HEAD"],
            "thrillpots: error: git:v1:docs: docs does not exist at v1; name another path with git:v1:PATH",
        ),
        (
            ["diff", "missing", "git:HEAD"],
            "thrillpots: error: missing: no such file or directory; "
            "name a schema directory, a schema file, an AsyncAPI document or git:REF",
        ),
        (
            ["diff", "git:", "git:HEAD"],
            "thrillpots: error: git:: name a commit, branch or tag after git: (git:main, git:HEAD~1)",
        ),
        (
            ["diff", "git:HEAD", "git:HEAD", "--mode", "sideways"],
            "thrillpots: error: argument --mode: invalid choice: 'sideways' (choose from 'backward', 'forward', 'full') "
            "(see 'thrillpots diff --help')",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    history: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [message.format(repo=history.resolve())]
    assert captured.out == ""


def test_usage_error_outside_a_repository_has_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest_thrillpots", "diff", "git:HEAD", str(SCHEMAS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == f"thrillpots: error: git:HEAD: {tmp_path} is not inside a git repository\n"


def test_an_empty_directory_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(tmp_path), str(SCHEMAS)]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: {tmp_path}: no *.schema.json files in it (nor a schemas/ folder or an asyncapi.yaml)\n"
    )


def test_a_broken_schema_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    (copy / "WinEvent.schema.json").write_text("{not json", encoding="utf-8")
    assert main(["diff", str(SCHEMAS), str(copy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"thrillpots: error: {copy}: {copy.resolve().as_posix()}/WinEvent.schema.json is not valid JSON"
    )
    assert err.count("\n") == 1


def test_single_schema_files(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    edit(copy, "WinEvent", remove_seed)
    report = diff_contracts(SCHEMAS / "WinEvent.schema.json", copy / "WinEvent.schema.json")
    assert [(c.event, c.path, c.kind) for c in report.changes] == [("WinEvent", "seed", "field_removed")]


def asyncapi_document(schemas_ref: str, events: list[str]) -> str:
    lines = ["asyncapi: 3.0.0", "info: {title: t, version: '1'}", "components:", "  messages:"]
    for name in events:
        lines += [
            f"    {name}:",
            f"      name: {name}",
            "      payload:",
            "        schemaFormat: application/schema+json;version=draft-2020-12",
            f"        schema: {{$ref: '{schemas_ref}{name}.schema.json'}}",
        ]
    return "\n".join(lines) + "\n"


def test_asyncapi_documents_follow_their_payload_refs(evolved: Path) -> None:
    document = evolved.parent / "asyncapi.yaml"
    from pytest_thrillpots import EVENT_TYPES

    document.write_text(asyncapi_document("./schemas/", list(EVENT_TYPES)), encoding="utf-8")
    report = diff_contracts(SCHEMAS, document)
    assert [(c.event, c.path, c.kind, sorted(c.breaks)) for c in report.changes] == EXPECTED_CHANGES


def test_non_json_schema_payloads_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\ncomponents:\n  messages:\n    E:\n      payload:\n"
        "        schemaFormat: application/vnd.apache.avro;version=1.9.0\n        schema: {type: record}\n",
        encoding="utf-8",
    )
    assert main(["diff", str(document), str(SCHEMAS)]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: {document}: message E has schemaFormat application/vnd.apache.avro;version=1.9.0; "
        "thrillpots diff compares JSON Schemas only\n"
    )


def test_refs_by_id_and_by_pointer(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    record = {"$id": "https://example.invalid/R.schema.json", "type": "object", "properties": {"v": {"type": "number"}}}
    for version, v_type in (("old", "number"), ("new", "string")):
        event = {
            "$id": "https://example.invalid/E.schema.json",
            "type": "object",
            "properties": {
                "by_id": {"$ref": "https://example.invalid/R.schema.json"},
                "by_pointer": {"$ref": "#/$defs/Local"},
            },
            "$defs": {"Local": {"type": v_type}},
        }
        (tmp_path / version / "E.schema.json").write_text(json.dumps(event), encoding="utf-8")
        changed = {**record, "properties": {"v": {"type": v_type}}}
        (tmp_path / version / "R.schema.json").write_text(json.dumps(changed), encoding="utf-8")
    report = diff_contracts(tmp_path / "old", tmp_path / "new")
    assert [(c.event, c.path, c.kind) for c in report.changes] == [
        ("E", "by_id.v", "type_changed"),
        ("E", "by_pointer", "type_changed"),
        ("E", "$defs/Local", "type_changed"),
    ]


def test_asyncapi_messages_inline_in_channels_and_in_version_2(tmp_path: Path) -> None:
    v3 = tmp_path / "v3.yaml"
    v3.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    messages:\n      Tick:\n"
        "        payload: {type: object, required: [n], properties: {n: {type: number}}}\n",
        encoding="utf-8",
    )
    v2 = tmp_path / "v2.yaml"
    v2.write_text(
        "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    subscribe:\n      message:\n"
        "        name: Tick\n        schemaFormat: application/schema+json;version=draft-07\n"
        "        payload: {type: object, properties: {n: {type: number}}}\n",
        encoding="utf-8",
    )
    report = diff_contracts(v2, v3)
    assert [(c.event, c.path, c.kind, c.old, c.new, sorted(c.breaks)) for c in report.changes] == [
        # 2.x channel names are addresses; this 3.0 channel has none, and no operation sends Tick.
        ("Tick", "<event>", "channel_address_changed", "c", "no address", ["BACKWARD", "FORWARD"]),
        ("Tick", "<event>", "operation_removed", "send on no address", None, ["FORWARD"]),
        ("Tick", "n", "required_added", None, None, ["BACKWARD"]),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("asyncapi: [unclosed", "is not valid YAML at line 1"),
        ("title: just a mapping\n", "neither an AsyncAPI document nor a JSON Schema"),
        ("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n", "the AsyncAPI document defines no messages"),
        (
            "asyncapi: 3.0.0\ncomponents:\n  messages:\n    E:\n      payload: {$ref: '#anchor'}\n",
            "uses an anchor; thrillpots diff follows JSON Pointers only",
        ),
    ],
)
def test_unreadable_documents_say_why(tmp_path: Path, content: str, message: str) -> None:
    document = tmp_path / "doc.yaml"
    document.write_text(content, encoding="utf-8")
    with pytest.raises(ContractSourceError, match=re.escape(message)):
        diff_contracts(document, document)


def test_asyncapi_schemas_in_components(tmp_path: Path) -> None:
    def document(current_value: str) -> str:
        return (
            "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
            "components:\n"
            "  messages:\n    Update:\n      payload: {$ref: '#/components/schemas/Update'}\n"
            "  schemas:\n"
            "    Update: {type: object, properties: {pots: {type: array, items: {$ref: '#/components/schemas/Pot'}}}}\n"
            f"    Pot: {{type: object, required: [value], properties: {{value: {{type: {current_value}}}}}}}\n"
        )

    (tmp_path / "old.yaml").write_text(document("number"), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(document("string"), encoding="utf-8")
    (change,) = diff_contracts(tmp_path / "old.yaml", tmp_path / "new.yaml").changes
    assert str(change) == (
        "Update: pots[*].value: type changed (number -> string): breaks BACKWARD and FORWARD. "
        "New readers reject the number values old writers send; old readers reject the string values new writers send."
    )
    (tmp_path / "new.yaml").write_text(document("number").replace("required: [value], ", ""), encoding="utf-8")
    (change,) = diff_contracts(tmp_path / "old.yaml", tmp_path / "new.yaml").changes
    assert (change.path, change.kind) == ("pots[*].value", "required_removed")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(required="seed"), '"seed" is not of type "array" at /required'),
        (lambda s: s["properties"]["seed"].update(type=5), "at /properties/seed/type"),
        (
            lambda s: s["properties"]["seed"].update(minimum=None),
            'null is not of type "number" at /properties/seed/minimum',
        ),
        (lambda s: s.update(properties=[]), '[] is not of type "object" at /properties'),
        (lambda s: s["properties"]["games_in_jackpot"].update(items=3), "at /properties/games_in_jackpot/items"),
        (lambda s: s["properties"]["seed"].update({"$ref": 5}), "at /properties/seed/$ref"),
    ],
)
def test_a_malformed_schema_is_a_usage_error_not_a_verdict(
    tmp_path: Path, change: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schema whose keywords have the wrong shape is input to fix: exit 2 and one line, never a
    traceback (exit 1) that a CI gate would read as a breaking change."""
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    edit(copy, "WinEvent", change)
    assert main(["diff", str(SCHEMAS), str(copy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"thrillpots: error: {copy}: {copy.resolve().as_posix()}/WinEvent.schema.json is not a valid JSON Schema: "
    )
    assert message in err and err.count("\n") == 1


def test_an_unknown_meta_schema_is_checked_as_2020_12_without_fetching_it(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    edit(copy, "WinEvent", lambda s: s.update({"$schema": "https://schemas.invalid/never-fetched"}))
    assert diff_contracts(SCHEMAS, copy).changes == ()
    edit(copy, "WinEvent", lambda s: s.update(required="seed"))
    with pytest.raises(ContractSourceError, match='"seed" is not of type "array" at /required'):
        diff_contracts(SCHEMAS, copy)


def test_a_malformed_schema_in_a_mapping_raises_a_source_error() -> None:
    with pytest.raises(
        ContractSourceError, match=r"<schemas>: E\.schema\.json is not a valid JSON Schema: .* at /type"
    ):
        diff_contracts({"E": {"type": "object"}}, {"E": {"type": "objekt"}})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("channels: [1]\n", "channels is a list, not a mapping"),
        ("components: []\n", "components is a list, not a mapping"),
        ("components: {messages: [1]}\n", "components.messages is a list, not a mapping"),
        ("channels: {c: 5}\n", "channels.c is a number, not a mapping"),
        ("channels: {c: {subscribe: 3}}\n", "channels.c.subscribe is a number, not a mapping"),
        ("channels: {c: {messages: {M: {$ref: 5}}}}\n", "a message $ref in {doc} is a number"),
        ("channels: {c: {messages: {M: {$ref: {a: 1}}}}}\n", "a message $ref in {doc} is an object"),
        (
            "channels: {c: {messages: {M: {$ref: '#/channels/c/messages/M'}}}}\n",
            "message $ref chain in {doc} does not end",
        ),
        (
            "components: {messages: {E: {payload: {type: object, required: x}}}}\n",
            'the payload of message E is not a valid JSON Schema: "x" is not of type "array" at /required',
        ),
        (
            "components: {schemas: {S: {type: 7}}, messages: {E: {payload: {$ref: '#/components/schemas/S'}}}}\n",
            "components.schemas.S is not a valid JSON Schema: ",
        ),
    ],
)
def test_a_malformed_asyncapi_document_is_a_usage_error(
    tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n" + content, encoding="utf-8")
    assert main(["diff", str(document), str(SCHEMAS)]) == 2
    err = capsys.readouterr().err
    expected = f"thrillpots: error: {document}: " + message.format(doc=document.resolve().as_posix())
    assert err.startswith(expected) and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "WinEvent.schema.json is not valid JSON"),
        (
            '{"type": "object", "required": "seed"}',
            'WinEvent.schema.json is not a valid JSON Schema: "seed" is not of type',
        ),
    ],
)
def test_a_broken_file_a_document_refers_to_is_named_as_broken_not_missing(
    evolved: Path, content: str, message: str
) -> None:
    from pytest_thrillpots import EVENT_TYPES

    document = evolved.parent / "asyncapi.yaml"
    document.write_text(asyncapi_document("./schemas/", list(EVENT_TYPES)), encoding="utf-8")
    (evolved / "WinEvent.schema.json").write_text(content, encoding="utf-8")
    with pytest.raises(ContractSourceError, match=re.escape(message)):
        diff_contracts(SCHEMAS, document)


# --- shallow clones ----------------------------------------------------------------------------


@pytest.fixture
def shallow(history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A CI checkout of the history: the branch `feature` only, its last commit only."""
    git(history, "checkout", "-q", "-b", "feature")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch=feature", "--single-branch", history.as_uri(), str(clone))
    monkeypatch.chdir(clone)
    return clone


@pytest.mark.parametrize(
    ("ref", "fetch"),
    [
        ("main", "`git fetch --depth=1 origin main` and compare with git:FETCH_HEAD"),
        ("origin/main", "`git fetch --depth=1 origin main` and compare with git:FETCH_HEAD"),
        ("v1", "`git fetch --depth=1 origin v1` and compare with git:FETCH_HEAD"),
        ("HEAD~1", "`git fetch --deepen=1`"),
        ("HEAD~2^", "`git fetch --deepen=3`"),
    ],
)
def test_a_ref_missing_from_a_shallow_clone_says_why_and_how_to_fetch_it(
    shallow: Path, ref: str, fetch: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", f"git:{ref}", "contracts/schemas"]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: git:{ref}: no commit, branch or tag named {ref!r} in {shallow.resolve()}, which is a "
        f"shallow clone (only the last commits were fetched, as CI checkouts do): fetch it first with {fetch}, or "
        "fetch the whole history (`git fetch --unshallow`; actions/checkout: fetch-depth: 0)\n"
    )


def test_the_fetch_the_hint_names_makes_the_ref_comparable(shallow: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(shallow, "fetch", "-q", "--depth=1", "origin", "main")
    assert main(["diff", "git:FETCH_HEAD", "contracts/schemas"]) == 0
    assert "No changes between git:FETCH_HEAD and contracts/schemas" in capsys.readouterr().out


# --- events referenced by other events -------------------------------------------------------


def test_an_event_another_schema_starts_to_reference_stays_an_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OptInEvent gains a property {"$ref": "WinEvent.schema.json"}, and WinEvent.seed is retyped in the same change."""
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    edit(copy, "OptInEvent", lambda s: s["properties"].update(last_win={"$ref": "WinEvent.schema.json"}))
    edit(copy, "WinEvent", lambda s: s["properties"]["seed"].update(type="string"))
    assert main(["diff", str(SCHEMAS), str(copy)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "WinEvent",
        "  seed: type changed (number -> string): breaks BACKWARD and FORWARD",
        "      New readers reject the number values old writers send; old readers reject the string values new writers send.",
        "",
        "OptInEvent",
        "  last_win: field added (WinEvent object): compatible",
        "      Old readers ignore last_win as an unknown field, and new readers do not require it.",
        "",
        "2 changes in 2 events (1 break BACKWARD, 1 break FORWARD): BREAKING in full mode (1 of 2 not allowed).",
    ]


def test_an_event_both_versions_reference_is_compared_as_an_event_and_where_it_is_used(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(SCHEMAS, old)
    edit(old, "OptInEvent", lambda s: s["properties"].update(last_win={"$ref": "WinEvent.schema.json"}))
    shutil.copytree(old, new)
    edit(new, "WinEvent", lambda s: s["properties"]["seed"].update(type="string"))
    report = diff_contracts(old, new)
    assert [(c.event, c.path, c.kind) for c in report.changes] == [
        ("WinEvent", "seed", "type_changed"),
        ("OptInEvent", "last_win.seed", "type_changed"),
    ]


# --- with the consumers' pacts ---------------------------------------------------------------

PACTS = REPO / "contracts" / "pacts"


def test_a_removal_no_consumer_reads_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    edit(copy, "WinEvent", remove_seed)
    assert main(["diff", str(SCHEMAS), str(copy)]) == 1  # without pacts: every consumer might read it
    capsys.readouterr()
    assert main(["diff", str(SCHEMAS), str(copy), "--pacts", str(PACTS)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "WinEvent",
        "  seed: field removed (was number): breaks FORWARD",
        "      Old readers require seed, which new writers no longer send.",
        "      Read by no consumer: it passes.",
        "",
        f"Consumers (4 with pacts from {PACTS}):",
        "  crm: unaffected",
        "  lobby_widget: unaffected",
        "  payout_ops: unaffected",
        "  wallet_service: unaffected",
        "",
        "1 change in 1 event (0 break BACKWARD, 1 break FORWARD): compatible in full mode for every consumer "
        "(1 change breaks full mode but no consumer reads it).",
    ]


def test_a_removal_a_consumer_reads_fails_naming_the_consumer_and_interactions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    edit(copy, "OptInEvent", lambda s: (s["properties"].pop("player_id"), s["required"].remove("player_id")))
    assert main(["diff", str(SCHEMAS), str(copy), "--pacts", str(PACTS)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "OptInEvent",
        "  player_id: field removed (was string): breaks FORWARD",
        "      Old readers require player_id, which new writers no longer send.",
        "      Read by crm in 'a player opts in' and 'a player opts out'.",
        "",
        f"Consumers (4 with pacts from {PACTS}):",
        "  crm: breaks (reads player_id in 'a player opts in' and 'a player opts out')",
        "  lobby_widget: unaffected",
        "  payout_ops: unaffected",
        "  wallet_service: unaffected",
        "",
        "1 change in 1 event (0 break BACKWARD, 1 break FORWARD): BREAKING in full mode for crm "
        "(1 of 1 breaks what a consumer reads).",
    ]
    assert main(["diff", str(SCHEMAS), str(copy), "--pacts", str(PACTS), "--mode", "backward"]) == 0


def test_pacts_in_json(evolved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(SCHEMAS), str(evolved), "--pacts", str(PACTS), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [(c["path"], c["breaking"], [r["consumer"] for r in c["consumers"]]) for c in document["changes"]] == [
        ("jackpot_type", True, ["lobby_widget"]),
        ("pots[*].current_value", True, ["lobby_widget", "lobby_widget"]),
        ("seed", False, []),
    ]
    assert document["changes"][1]["consumers"] == [
        {"consumer": "lobby_widget", "interaction": "an update of a running jackpot", "reads": "pots"},
        {"consumer": "lobby_widget", "interaction": "an update of a running jackpot", "reads": "pots[*].current_value"},
    ]
    assert [(v["consumer"], v["verdict"]) for v in document["consumers"]] == [
        ("crm", "unaffected"),
        ("lobby_widget", "breaks"),
        ("payout_ops", "unaffected"),
        ("wallet_service", "unaffected"),
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--provider", "payments"], "--provider names the provider in the pacts: give --pacts or --broker too"),
        (["--pacts", "nowhere"], "nowhere: neither a pact file nor a directory of pact files"),
        (["--broker"], "no Pact Broker URL: set PACT_BROKER_BASE_URL or pass PactBroker(url='https://...')"),
        (
            ["--pacts", str(PACTS), "--provider", "payments"],
            "no pact is with the provider 'payments' (the pacts read are with 'thrillpots'): "
            "name the provider the consumers' pacts are with (--provider, provider=...)",
        ),
    ],
)
def test_pacts_that_cannot_be_read_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PACT_BROKER_BASE_URL", raising=False)
    assert main(["diff", str(SCHEMAS), str(SCHEMAS), *argv]) == 2
    assert capsys.readouterr().err == f"thrillpots: error: {message}\n"


def test_a_channel_address_change_is_reported_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "asyncapi.yaml"
    new.write_text(
        (REPO / "contracts" / "asyncapi.yaml")
        .read_text(encoding="utf-8")
        .replace("address: WinEvent", "address: jackpots.wins")
        .replace("./schemas/", f"{SCHEMAS.as_posix()}/"),
        encoding="utf-8",
    )
    assert main(["diff", str(REPO / "contracts" / "asyncapi.yaml"), str(new), "--pacts", str(PACTS)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "WinEvent",
        "  <event>: channel address changed (WinEvent -> jackpots.wins): breaks BACKWARD and FORWARD",
        "      New readers listen on jackpots.wins, and old writers sent WinEvent to WinEvent; "
        "old readers listen on WinEvent, and new writers send WinEvent to jackpots.wins.",
        "      Read by wallet_service in 'a progressive jackpot win (metadata null)', "
        "'a progressive jackpot win (metadata present)' and 'a withheld jackpot win'.",
    ]
    assert "  wallet_service: breaks (reads brand_id, community_winners" in "\n".join(out)


def test_a_directory_that_cannot_be_listed_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(self: Path) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"thrillpots: error: {tmp_path}: cannot list {tmp_path.resolve().as_posix()}: Permission denied\n"
    )

"""Every code example in docs/ runs here.

Blocks are read from each page in order. A directive in an HTML comment right before a block
says how it runs:

- no directive on a ``python`` block: executed in-process, in one namespace per page, in a
  temporary directory;
- ``<!-- run: pytest -->``: the block is a test file (its ``title="..."`` names it), run in a
  child pytest session through ``pytester``; it must pass;
- ``<!-- run: pytest-fails -->``: the same, but it must fail, and the ``text`` block right
  after it shows part of its output;
- ``<!-- run: shell -->``: a ``console`` block; each ``$ command`` runs in the page's
  temporary directory and the lines after it show its output;
- ``<!-- run: file -->``: the block is written, not run, to the page's temporary directory
  under its ``title="..."`` (a ``pytest.ini``, the module a test imports), for the blocks after it;
- ``<!-- run: skip -->``: shown only (YAML, CI recipes, commands needing a broker).

Shown output is what the command really prints, as a reader sees it: no wildcards. It is
compared with the real output line for line (see ``shown_output_problem``): the shown lines are
runs of consecutive lines of the real output, in order; a line ``...`` marks where lines are
left out, and lines before the first and after the last shown one may be left out. Blank lines
and trailing spaces do not count. Before the comparison, both sides are normalised the same way
(``NORMALISE``): what changes from run to run (a test run's duration, a random seed, the
example's temporary directory, shown as ``SHOWN_PROJECT``) is replaced by a placeholder, so a
page shows a real duration, a real seed and a plausible directory.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
REPO = DOCS.parent
_BLOCK = re.compile(
    r"(?:<!--\s*run:\s*(?P<directive>[\w-]+)\s*-->\s*\n)?"
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)(?P<attrs>[^\n]*)\n(?P<body>.*?)^(?P=indent)```",
    re.S | re.M,
)


@dataclass
class Block:
    page: str
    line: int
    directive: str | None
    lang: str
    title: str | None
    body: str


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        title = re.search(r'title="([^"]+)"', match["attrs"])
        indent = match["indent"]
        body = "\n".join(line[len(indent):] for line in match["body"].splitlines())
        found.append(
            Block(page.name, text.count("\n", 0, match.start()) + 1, match["directive"], match["lang"],
                  title[1] if title else None, body)
        )
    return found


PAGES = sorted(DOCS.glob("*.md"))
DIRECTIVES = ("pytest", "pytest-fails", "shell", "file", "skip")
COMMAND_LANGS = ("console", "shell", "sh", "bash", "shell-session")
"""Blocks of commands: each must run (``shell``) or say it cannot (``skip``)."""


def examples_not_run(page: Path) -> list[str]:
    """The examples of a page that would be shown but silently never run, each with the fix."""
    problems = []
    items = blocks(page)
    directives_written = len(re.findall(r"<!--\s*run:", page.read_text(encoding="utf-8")))
    if directives_written != sum(block.directive is not None for block in items):
        problems.append(f"{page.name}: a <!-- run: ... --> comment is not right before its code block")
    for block in items:
        where = f"{block.page}:{block.line}"
        if block.directive is not None and block.directive not in DIRECTIVES:
            problems.append(f"{where}: unknown directive 'run: {block.directive}': use one of {', '.join(DIRECTIVES)}")
        elif block.directive is None and block.lang in (*COMMAND_LANGS, "py", "pycon", "python3"):
            problems.append(f"{where}: a {block.lang} block runs only with <!-- run: shell --> (or python blocks "
                            "written as ```python); mark it <!-- run: skip --> if it cannot run here")
        elif block.directive == "shell" and block.lang not in COMMAND_LANGS:
            problems.append(f"{where}: <!-- run: shell --> is for console blocks of `$ command` lines")
        elif block.directive == "shell" and not any(line.startswith("$ ") for line in block.body.splitlines()):
            problems.append(f"{where}: a shell example has no `$ command` line to run")
        elif block.directive in ("pytest", "pytest-fails") and block.lang != "python":
            problems.append(f"{where}: <!-- run: {block.directive} --> is for python test files")
    return problems


def test_every_example_is_run_or_skipped_on_purpose() -> None:
    assert [problem for page in PAGES for problem in examples_not_run(page)] == []


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("```console\n$ thrillpots --version\n```\n", "page.md:1: a console block runs only with <!-- run: shell -->*"),
        ("```bash\nthrillpots --version\n```\n", "page.md:1: a bash block runs only with*"),
        ("```pycon\n>>> 1\n```\n", "page.md:1: a pycon block runs only with*"),
        ("<!-- run: pytest-fail -->\n```python\n```\n", "page.md:1: unknown directive 'run: pytest-fail'*"),
        ("<!-- run: shell -->\n\nSome prose.\n\n```console\n$ ls\n```\n", "page.md: a <!-- run: ... --> comment*"),
        ("<!-- run: shell -->\n```text\n$ ls\n```\n", "page.md:1: <!-- run: shell --> is for console blocks*"),
        ("<!-- run: shell -->\n```console\nls\n```\n", "page.md:1: a shell example has no `$ command` line*"),
        ("<!-- run: pytest -->\n```console\n$ ls\n```\n", "page.md:1: <!-- run: pytest --> is for python*"),
    ],
)
def test_an_example_that_would_never_run_is_reported(tmp_path: Path, markdown: str, problem: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(markdown, encoding="utf-8")
    pytest.LineMatcher(examples_not_run(page)).fnmatch_lines([problem])


def test_examples_that_run_are_not_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nx = 1\n```\n\n<!-- run: shell -->\n```console\n$ ls\n```\n\n"
        "<!-- run: skip -->\n```console\n$ pip install x\n```\n\n```text\noutput\n```\n",
        encoding="utf-8",
    )
    assert examples_not_run(page) == []


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_docs_examples_run(page: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(pytester.path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")  # the width of the pytest output the pages show
    for variable in _CI_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    items = blocks(page)
    for index, block in enumerate(items):
        where = f"{block.page}:{block.line}"
        if block.directive == "skip":
            continue
        if block.directive == "file":
            assert block.title, f'{where}: a file example needs title="path/in/the/project"'
            target = pytester.path / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body + "\n")
            continue
        if block.directive in ("pytest", "pytest-fails"):
            assert block.title, f"{where}: a pytest example needs title=\"test_....py\""
            pytester.path.joinpath(block.title).write_text(block.body + "\n")
            result = pytester.runpytest_subprocess(block.title, "-p", "no:randomly", "-p", "no:cacheprovider")
            if block.directive == "pytest":
                assert result.ret == 0, f"{where}: the example failed:\n{result.stdout.str()}"
            else:
                assert result.ret == 1, f"{where}: the example should fail:\n{result.stdout.str()}"
                expected = items[index + 1]
                assert expected.lang == "text", f"{where}: put the expected output in a text block after it"
                problem = shown_output_problem(expected.body.splitlines(), result.outlines, pytester.path)
                assert problem is None, f"{expected.page}:{expected.line}: {problem}"
        elif block.directive == "shell":
            _run_console(block, pytester.path)
        elif block.lang == "python" and block.directive is None:
            code = compile(block.body, f"{where}", "exec")
            exec(code, namespace)


_CI_VARIABLES = ("CI", "BUILD_NUMBER")
"""Under these pytest prints its short summary uncut: the pages show it as a terminal does."""

ELISION = "..."
"""A shown line that stands for lines left out of the output."""

SHOWN_PROJECT = "/home/you/project"
"""How the pages show the example's directory (a temporary one here) in output."""

NORMALISE: list[tuple[re.Pattern[str], str]] = [
    # pytest's summary: "3 passed in 0.41s", "48 passed in 65.44s (0:01:05)".
    (re.compile(r"\bin \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?"), "in <duration>"),
    # The thrillpots seeds, random in every run that does not fix them: "seed 1712246371",
    # "--thrillpots-seed=1712246371", "seed: 3937655773", "<thrillpots seed=3937655773 strict>",
    # "WinEventFactory.seeded(3937655773)".
    (re.compile(r"(seed(?:ed\(|=| |: ))\d+"), r"\1<seed>"),
]
"""What differs between runs, replaced the same way in the shown and in the real output."""


def _normalise(lines: list[str], directory: Path | None = None) -> list[str]:
    out = []
    for line in lines:
        line = line.rstrip()
        if directory is not None:
            for form in dict.fromkeys([str(directory.resolve()), str(directory)]):
                line = line.replace(form, SHOWN_PROJECT)
        for pattern, placeholder in NORMALISE:
            line = pattern.sub(placeholder, line)
        if line.strip():
            out.append(line)
    return out


def shown_output_problem(shown: list[str], real: list[str], directory: Path | None = None) -> str | None:
    """Why the output a page shows is not the real output, or None when it is.

    ``shown`` is split at ``...`` lines into runs; each run must be consecutive lines of ``real``,
    and the runs must come in order. ``directory`` (where the example ran) is shown as
    ``SHOWN_PROJECT``.
    """
    wanted = _normalise(shown)
    got = _normalise(real, directory)
    runs: list[list[str]] = [[]]
    for line in wanted:
        if line.strip() == ELISION:
            runs.append([])
        else:
            runs[-1].append(line)
    position = 0
    for run in filter(None, runs):
        found = next(
            (start for start in range(position, len(got) - len(run) + 1) if got[start:start + len(run)] == run), None
        )
        if found is None:
            best = max(
                (sum(1 for _ in _common_prefix(run, got[start:])) for start in range(position, len(got))), default=0
            )
            missing = run[best]
            how = "is not in the output" if best == 0 else f"does not follow {run[best - 1]!r} in the output"
            return (
                f"the shown line {missing!r} {how}"
                + (" after the lines shown before it" if position else "")
                + " (mark left-out lines with a line '...'). The real output, normalised:\n"
                + "\n".join(got)
            )
        position = found + len(run)
    return None


def _common_prefix(run: list[str], lines: list[str]) -> list[str]:
    common = []
    for wanted, line in zip(run, lines, strict=False):
        if wanted != line:
            break
        common.append(line)
    return common


def _run_console(block: Block, cwd: Path) -> None:
    where = f"{block.page}:{block.line}"
    commands: list[tuple[str, list[str]]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    env = {key: value for key, value in os.environ.items() if key not in _CI_VARIABLES}
    env.update(NO_COLOR="1", COLUMNS="100")
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    for command, expected in commands:
        argv = shlex.split(command)
        completed = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
        assert argv, where
        output = (completed.stdout + completed.stderr).splitlines()
        if completed.returncode != 0 and "$?" not in command:
            raise AssertionError(
                f"{where}: `{command}` exited with status {completed.returncode}; a command that is meant "
                f'to fail shows it: `{command}; echo "exit status $?"`. It printed:\n' + "\n".join(output)
            )
        problem = shown_output_problem(expected, output, cwd)
        if problem is not None:
            raise AssertionError(f"{where}: `{command}`: {problem}")


@pytest.mark.parametrize("command", ["false", "thrillpots validate no-such-file.ndjson"])
def test_a_shell_example_that_fails_unannounced_fails_the_docs(tmp_path: Path, command: str) -> None:
    block = Block("page.md", 1, "shell", "console", None, f"$ {command}\n...")
    with pytest.raises(AssertionError, match=r"page.md:1: `.*` exited with status \d+; a command that is meant to fail"):
        _run_console(block, tmp_path)


def test_a_shell_example_may_fail_when_it_shows_its_status(tmp_path: Path) -> None:
    block = Block("page.md", 1, "shell", "console", None, '$ false; echo "exit status $?"\nexit status 1')
    _run_console(block, tmp_path)


@pytest.mark.parametrize(
    "shown",
    [
        ["collected 2 items", "2 passed in 0.31s"],
        ["...", "2 passed in 12.50s (0:00:12)"],
        ["rootdir: /home/you/project", "...", "2 passed in 0.02s"],
        ["thrillpots: seed 1 (rerun with --thrillpots-seed=1 for the same events)"],
        ["E       ValueError: WinEventFactory.seeded(3) built [type]", "", "E         pots[*].id  "],
    ],
)
def test_shown_output_is_real_output_up_to_durations_seeds_and_the_directory(tmp_path: Path, shown: list[str]) -> None:
    real = [
        "thrillpots: seed 1826613683 (rerun with --thrillpots-seed=1826613683 for the same events)",
        f"rootdir: {tmp_path}",
        "collected 2 items",
        "2 passed in 0.55s",
        "E       ValueError: WinEventFactory.seeded(77) built [type]",
        "",
        "E         pots[*].id",
    ]
    assert shown_output_problem(shown, real, tmp_path) is None


@pytest.mark.parametrize(
    ("shown", "problem"),
    [
        # A wildcard is no longer one: readers would take it for output.
        (["1 passed in *"], "the shown line '1 passed in *' is not in the output*"),
        (["E*ValueError: boom"], "the shown line 'E*ValueError: boom' is not in the output*"),
        (["fields=[[]...[]]"], "the shown line 'fields=[[]...[]]' is not in the output*"),
        # Lines left out without a '...' between the shown ones.
        (["collected 2 items", "E  ValueError: boom"], "the shown line 'E  ValueError: boom' does not follow 'collected 2 items'*"),
        # Out of order.
        (["1 passed in 0.1s", "...", "collected 2 items"], "the shown line 'collected 2 items' is not in the output after the lines shown before it*"),
        (["2 passed in 0.1s"], "the shown line '2 passed in <duration>' is not in the output*"),
    ],
)
def test_shown_output_that_is_not_the_real_output_is_reported(shown: list[str], problem: str) -> None:
    real = ["collected 2 items", "E*ValueError: oops", "", "E  ValueError: boom", "fields=[...]", "1 passed in 0.02s"]
    report = shown_output_problem(shown, real)
    assert report is not None
    first, *rest = report.splitlines()
    assert first.startswith(problem.rstrip("*")) and first.endswith("The real output, normalised:"), first
    assert rest == [*real[:2], *real[3:5], "1 passed in <duration>"]


def test_no_table_shows_a_backslash_before_a_pipe_in_code() -> None:
    """In a table, `a\\|b` in a code span renders with its backslash (wrong when copied):
    write <code>a&#124;b</code> there instead."""
    found = [
        f"{page.name}:{number}"
        for page in PAGES
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith("|") and re.search(r"`[^`]*\\\|[^`]*`", line)
    ]
    assert found == []


def test_the_workflow_page_draws_the_event_flow_and_the_contract_workflow() -> None:
    from pytest_thrillpots import EVENT_TYPES

    diagrams = [block.body for block in blocks(DOCS / "workflow.md") if block.lang == "mermaid"]
    assert len(diagrams) >= 2
    event_flow, *parts = diagrams
    assert all(event_type in event_flow for event_type in EVENT_TYPES)
    # The contract workflow is drawn in parts small enough to read: each top-down, few nodes.
    for part in parts:
        assert part.startswith("flowchart TD"), part.splitlines()[0]
        assert len(set(re.findall(r"\b(\w+)[\[\(\{]", part))) <= 6, part
    contract_workflow = "\n".join(parts)
    steps = ["consumer test", "pact file", "producer verification", "CI gate"]
    positions = [contract_workflow.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), positions

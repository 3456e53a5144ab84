"""Every code example in docs/ runs here.

Blocks are read from each page in order. A directive in an HTML comment right before a block
says how it runs:

- no directive on a ``python`` block: executed in-process, in one namespace per page, in a
  temporary directory;
- ``<!-- run: pytest -->``: the block is a test file (its ``title="..."`` names it), run in a
  child pytest session through ``pytester``; it must pass;
- ``<!-- run: pytest-fails -->``: the same, but it must fail, and the ``text`` block right
  after it holds lines its output must contain (``*`` is a wildcard);
- ``<!-- run: shell -->``: a ``console`` block; each ``$ command`` runs in the page's
  temporary directory and the lines after it are its expected output (``*`` wildcards);
- ``<!-- run: file -->``: the block is written, not run, to the page's temporary directory
  under its ``title="..."`` (a ``pytest.ini``, the module a test imports), for the blocks after it;
- ``<!-- run: skip -->``: shown only (YAML, CI recipes, commands needing a broker).
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

DOCS = Path(__file__).resolve().parent.parent / "docs"
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


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_docs_examples_run(page: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(pytester.path)
    monkeypatch.setenv("NO_COLOR", "1")
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
                result.stdout.fnmatch_lines([line for line in expected.body.splitlines() if line.strip()])
        elif block.directive == "shell":
            _run_console(block, pytester.path)
        elif block.lang == "python" and block.directive is None:
            code = compile(block.body, f"{where}", "exec")
            exec(code, namespace)


def _run_console(block: Block, cwd: Path) -> None:
    where = f"{block.page}:{block.line}"
    commands: list[tuple[str, list[str]]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    for command, expected in commands:
        argv = shlex.split(command)
        completed = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
        assert argv, where
        output = (completed.stdout + completed.stderr).splitlines()
        wanted = [line for line in expected if line.strip() and line.strip() != "..."]
        matcher = pytest.LineMatcher(output)
        try:
            matcher.fnmatch_lines(wanted)
        except pytest.fail.Exception as exc:
            raise AssertionError(f"{where}: `{command}` printed:\n" + "\n".join(output)) from exc

"""Where contract files are read from: a directory, a mapping in memory, or a git commit; and how their text is parsed."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from pytest_thrillpots._errors import ContractSourceError
from pytest_thrillpots.evolution._limits import check_size, too_deep


class Tree(Protocol):
    """Where the files are: the file system, a git commit, or a dict in memory."""

    label: str

    def read(self, path: str) -> bytes: ...

    def list_dir(self, path: str) -> list[str] | None:
        """The names in a directory, or None when ``path`` is not one."""


@dataclass
class FileTree:
    label: str

    def read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except IsADirectoryError:
            raise ContractSourceError(f"{self.label}: {path} is a directory, not a schema file") from None
        except OSError as exc:
            raise ContractSourceError(f"{self.label}: cannot read {path}: {exc.strerror or exc}") from None

    def list_dir(self, path: str) -> list[str] | None:
        directory = Path(path)
        if not directory.is_dir():
            return None
        try:
            return sorted(p.name for p in directory.iterdir())
        except OSError as exc:
            raise ContractSourceError(f"{self.label}: cannot list {path}: {exc.strerror or exc}") from None


@dataclass
class MemoryTree:
    label: str
    files: dict[str, Any]

    def read(self, path: str) -> bytes:
        if path not in self.files:
            raise ContractSourceError(f"{self.label}: no schema named {path}")
        schema = self.files[path]
        check_size(schema, f"{self.label}: {path}")
        try:
            return json.dumps(schema).encode()
        except (TypeError, ValueError) as exc:
            raise ContractSourceError(f"{self.label}: {path} is not JSON ({exc})") from None

    def list_dir(self, path: str) -> list[str] | None:
        return sorted(self.files) if path == "" else None


@dataclass
class GitTree:
    """Files at a git commit, read with ``git show`` from the repository around ``cwd``."""

    label: str
    ref: str
    top: str

    def _git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=self.top, capture_output=True, check=False)

    def read(self, path: str) -> bytes:
        result = self._git("cat-file", "blob", f"{self.ref}:{path}")
        if result.returncode != 0:
            raise ContractSourceError(f"{self.label}: {path} does not exist at {self.ref}")
        return result.stdout

    def list_dir(self, path: str) -> list[str] | None:
        result = self._git("ls-tree", "--name-only", "-z", f"{self.ref}:{path}" if path else f"{self.ref}^{{tree}}")
        if result.returncode != 0:
            return None
        return sorted(name for name in result.stdout.decode().split("\0") if name)

    def kind(self, path: str) -> str | None:
        result = self._git("cat-file", "-t", f"{self.ref}:{path}")
        return result.stdout.decode().strip() if result.returncode == 0 else None


_SCHEMA_LIKE: Final = (".json", ".yaml", ".yml")


def files_under(tree: Tree, directory: str, *, depth: int = 4) -> list[str]:
    """The keys of the JSON and YAML files in ``directory`` and its subdirectories (``depth`` levels)."""
    found: list[str] = []
    for name in tree.list_dir(directory) or []:
        key = f"{directory}/{name}" if directory else name
        if name.endswith(_SCHEMA_LIKE):
            found.append(key)
        elif depth > 0 and not name.startswith(".") and tree.list_dir(key) is not None:
            found.extend(files_under(tree, key, depth=depth - 1))
    return found


def shallow_hint(ref: str, toplevel: str) -> str:
    """Why a ref is missing in a shallow clone (CI checkouts often are), and how to fetch it; else ""."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=toplevel, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    if git("rev-parse", "--is-shallow-repository") != "true":
        return ""
    remotes = git("remote").split()
    ancestor = re.fullmatch(r"(.+?)((?:[~^]\d*)+)", ref)
    if ancestor:
        steps = sum(int(n or 1) for n in re.findall(r"[~^](\d*)", ancestor[2]))
        fetch = f"`git fetch --deepen={steps}`"
    else:
        remote, _, branch = ref.partition("/")
        if remote not in remotes or not branch:
            remote, branch = (remotes[0] if remotes else "origin"), ref
        fetch = f"`git fetch --depth=1 {remote} {branch}` and compare with git:FETCH_HEAD"
    return (
        f", which is a shallow clone (only the last commits were fetched, as CI checkouts do): fetch it first with "
        f"{fetch}, or fetch the whole history (`git fetch --unshallow`; actions/checkout: fetch-depth: 0)"
    )


def json_type(value: Any) -> str:
    """The JSON Schema type name of a parsed value (``integer`` for whole numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "object")


KIND_WORDS: Final = {"array": "a list", "integer": "a number", "number": "a number", "object": "an object"}


def json_kind(value: Any) -> str:
    kind = json_type(value)
    return KIND_WORDS.get(kind, "null" if kind == "null" else f"a {kind}")


def parse_contract_text(data: bytes, key: str, label: str) -> Any:
    if key.endswith((".yaml", ".yml")):
        import yaml

        try:
            return yaml.safe_load(data)
        except RecursionError:
            raise too_deep(f"{label}: {key}") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise ContractSourceError(f"{label}: {key} is not valid YAML{where}") from None
    try:
        return json.loads(data)
    except RecursionError:
        raise too_deep(f"{label}: {key}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ContractSourceError(f"{label}: {key} is not valid JSON ({exc})") from None

"""What every subcommand shares: exit codes, usage errors, the help layout, and where output goes."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, Protocol

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), as shells report it."""
EXIT_CLOSED = 141
"""The output was closed before the command finished (128 + SIGPIPE), as `| head` does."""


class UsageError(Exception):
    """A problem with the command line, its inputs or its output: exit code 2, one line, no traceback."""


class OutputError(UsageError):
    """A write that failed (a full disk, an I/O error): one line naming the output."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"cannot write {name}: {reason}")
        self.name = name


class OutputClosed(Exception):
    """Whoever reads the output stopped reading (a closed pipe): the run ends quietly."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse drops a failed write of --help or --version silently; say so instead.
        stream = file or sys.stdout
        if message and stream is not None:
            try:
                stream.write(message)
            except OSError as exc:
                raise write_error(exc, STDOUT_NAME if stream is sys.stdout else "standard error") from None


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's layout, with the description's paragraphs wrapped at the terminal's width too.

    A description is the command module's docstring: paragraphs are wrapped (an indented one
    keeps its indent), and lines that show a command (``thrillpots ...``, ``$ ...``) are kept
    as written, since a command cut in two no longer runs.
    """

    def add_argument(self, action: argparse.Action) -> None:
        # Python 3.13's rule on every version: a subcommand's own indent counts in the width of
        # the help column (3.11 and 3.12 leave it out, and put "check-pacts" on a line of its own).
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            widths = [
                len(self._format_action_invocation(sub)) + self._current_indent
                for sub in self._iter_indented_subactions(action)
            ]
            self._action_max_length = max([self._action_max_length, *widths])

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap  # only for help: not paid by a command that runs

        lines: list[str] = []
        for block in re.split(r"\n\s*\n", textwrap.dedent(text).strip("\n")):
            if lines:
                lines.append("")
            lines.extend(_wrap_block(block.splitlines(), width, indent))
        return "\n".join(lines)


def _wrap_block(block: list[str], width: int, indent: str) -> list[str]:
    import textwrap

    out: list[str] = []
    prose: list[str] = []
    prose_indent = ""

    def flush() -> None:
        if prose:
            lead = indent + prose_indent
            out.extend(textwrap.wrap(" ".join(prose), width, initial_indent=lead, subsequent_indent=lead))
            prose.clear()

    for line in block:
        stripped = line.lstrip()
        own_indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("thrillpots ", "$ ")):
            flush()
            out.append(indent + line)
            continue
        if prose and own_indent != prose_indent:
            flush()
        prose_indent = own_indent
        prose.append(stripped)
    flush()
    return out


# --- Output --------------------------------------------------------------------------------------

_CLOSED = (errno.EPIPE, errno.ECONNRESET)


def write_error(exc: OSError, name: str) -> Exception:
    """What a failed write means: the reader went away (OutputClosed), or one line naming the output."""
    if isinstance(exc, BrokenPipeError) or exc.errno in _CLOSED:
        return OutputClosed()
    return OutputError(name, exc.strerror or str(exc))


STDOUT_NAME = "standard output"


def isatty(stream: object) -> bool:
    """Whether ``stream`` is a terminal; False for a closed or missing stream."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def stdout_buffer() -> IO[bytes]:
    """Standard output for bytes; a closed one (``>&-``) is a write error, not a traceback."""
    if sys.stdout is None:
        raise OutputError(STDOUT_NAME, "it is closed")
    return sys.stdout.buffer


class TextOutput:
    """Standard output for text, read at each write (tests swap it): write errors name it."""

    name = STDOUT_NAME

    def write(self, text: str) -> None:
        if sys.stdout is None:
            raise OutputError(self.name, "it is closed")
        try:
            sys.stdout.write(text)
        except OSError as exc:
            raise write_error(exc, self.name) from None

    def flush(self) -> None:
        if sys.stdout is None:
            return  # nothing was written to it, or write() said so
        try:
            sys.stdout.flush()
        except OSError as exc:
            raise write_error(exc, self.name) from None


class Report(Protocol):
    def text(self) -> str: ...
    def to_dict(self) -> Mapping[str, Any]: ...


def write_report(report: Report, output_format: str) -> None:
    """A command's report on standard output, as text or JSON: a write error names the output."""
    out = TextOutput()
    out.write(json.dumps(report.to_dict(), indent=2) + "\n" if output_format == "json" else report.text())
    out.flush()


class BinaryOutput:
    """A binary stream with its name for errors: standard output, or a file being written."""

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self.stream, self.name = stream, name

    def write(self, data: bytes) -> None:
        try:
            self.stream.write(data)
        except OSError as exc:
            raise write_error(exc, self.name) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise write_error(exc, self.name) from None


def silence_stdout() -> None:
    """After a write error: point standard output at the null device, so exiting flushes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a file descriptor
        pass


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicFile:
    """FILE written whole: a temporary file beside it replaces it at the end, or is removed on failure.

    The file gets the mode the old one had, or (for a new one) what the umask leaves of 0666,
    as ``open()`` would give it. Use it as a context manager; it yields a ``BinaryOutput``.
    """

    def __init__(self, path: str | Path, option: str = "--output") -> None:
        self.path = Path(path)
        self.option = option
        self.temp: Path | None = None
        self.output: BinaryOutput | None = None

    def __enter__(self) -> BinaryOutput:
        if self.path.is_dir():  # found before any work is done, not when the file replaces it
            raise UsageError(f"{self.option} {self.path}: is a directory; name a file")
        directory = self.path.parent if str(self.path.parent) else Path(".")
        try:
            import tempfile  # only when a report is written

            handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        except OSError as exc:
            raise UsageError(f"{self.option} {self.path}: cannot write there ({exc.strerror or exc})") from None
        self.temp = Path(name)
        try:
            mode = self.path.stat().st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~current_umask()
        with contextlib.suppress(OSError, AttributeError):  # a file system without modes, Windows
            os.fchmod(handle, mode)
        self.output = BinaryOutput(os.fdopen(handle, "wb"), str(self.path))
        return self.output

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        assert self.output is not None and self.temp is not None
        stream = self.output.stream
        try:
            if error is None:
                self.output.flush()
                try:
                    os.fsync(stream.fileno())
                    stream.close()
                    os.replace(self.temp, self.path)
                except OSError as exc:
                    raise write_error(exc, str(self.path)) from None
        finally:
            if not stream.closed:
                with contextlib.suppress(OSError):
                    stream.close()
            self.temp.unlink(missing_ok=True)

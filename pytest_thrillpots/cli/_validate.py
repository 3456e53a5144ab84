"""Check captured events against the spec.

Each PATH (or - for standard input, the default) holds NDJSON, one event per line, or JSON
documents: an event or an array of events, pretty-printed or not. Blank lines are skipped and
counted. Each violation is one line, PATH:LINE: field: message [rule], then the events counted
by type and a summary.

Exit status: 0 when every event is valid; 1 when any is invalid or unparseable, or an input
holds no event (unless --allow-empty); 2 on a usage, read or write error; 130 on Ctrl-C; 141
when the output is closed before the end (| head).
"""

from __future__ import annotations

import argparse
import errno
import os
import stat
import sys
from collections.abc import Iterator
from typing import IO

import orjson

from pytest_thrillpots._errors import UnknownEventTypeError
from pytest_thrillpots.cli._common import (
    EXIT_CLOSED,
    EXIT_FAILED,
    EXIT_OK,
    OutputClosed,
    TextOutput,
    UsageError,
    isatty,
    silence_stdout,
)
from pytest_thrillpots.cli._progress import Progress
from pytest_thrillpots.spec import EVENT_TYPES, check_event_type
from pytest_thrillpots.validation._reader import read_input
from pytest_thrillpots.validation._records import Checks, Chunk, Span, Tally, check_lines, renumbered

STDIN_LABEL = "<stdin>"
STDIN_NOTE = (
    "thrillpots validate: reading events from standard input; paste NDJSON and end with Ctrl-D "
    "(Ctrl-Z, Enter on Windows), or press Ctrl-C to stop. Pass files to check them instead "
    "(see 'thrillpots validate --help').\n"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--type",
        dest="event_type",
        default="auto",
        metavar="NAME|auto",
        help=f"the event type of every event: one of {', '.join(EVENT_TYPES)}; "
        "auto (the default) gives each event the type that lists the most of its keys",
    )
    parser.add_argument("--strict", action="store_true", help="also report fields the spec does not list")
    parser.add_argument(
        "--allow-legacy-winners",
        action="store_true",
        help="accept RaffleWinEvent winners in the legacy tuple form [player_id, {currency, value}]",
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="also check the conventions (epoch milliseconds, money with two decimals...; docs: spec conventions)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument(
        "--max-violations",
        type=_count,
        default=None,
        metavar="N",
        help="show at most N violations (the counts stay exact; default: all)",
    )
    parser.add_argument(
        "--allow-empty", action="store_true", help="pass an input that holds no event (by default it fails)"
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N|auto",
        help="check NDJSON in N processes, auto for one per core; the output is the same (default: 1)",
    )
    parser.add_argument("paths", nargs="*", default=["-"], metavar="PATH", help="files to check; - is standard input")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"takes a number >= 0, not {text!r}")
    return value


def _jobs(text: str) -> int:
    from pytest_thrillpots.cli._jobs import cores

    if text == "auto":
        return cores()
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"takes a number of processes >= 1 or auto, not {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    event_type: str | None = None
    if args.event_type != "auto":
        try:
            event_type = check_event_type(args.event_type)
        except UnknownEventTypeError as exc:
            raise UsageError(f"--type: {exc} Or use auto.") from None
    checks = Checks(event_type, args.strict, args.allow_legacy_winners, args.semantic)
    if "-" in args.paths and sys.stdin is None:
        raise UsageError("cannot read standard input: it is closed; pass the files to check")
    # Every file is looked at before any is read (a typo fails at once); each is opened only
    # when its turn comes, so thousands of partitions never hold thousands of files open.
    sizes = [_size(path) for path in args.paths]
    if "-" in args.paths and isatty(sys.stdin) and sys.stderr is not None:
        sys.stderr.write(STDIN_NOTE)
    known = all(size is not None for size in sizes)
    progress = Progress("validated", "events", sum(size or 0 for size in sizes) if known else None)
    report = Report(text=args.format == "text", max_violations=args.max_violations, progress=progress)
    complete = False
    try:
        _check_all(args.paths, checks, args.jobs, report, progress)
        complete = True
        progress.done()
        report.finish(allow_empty=args.allow_empty)
    except OutputClosed:
        # The reader stopped reading: end quietly. Unless every input was checked, there is no verdict.
        silence_stdout()
        return report.status(allow_empty=args.allow_empty) if complete else EXIT_CLOSED
    finally:
        report.close()
    return report.status(allow_empty=args.allow_empty)


def _check_all(paths: list[str], checks: Checks, jobs: int, report: Report, progress: Progress) -> None:
    if jobs == 1:
        for label, item in _work(paths, checks, report, parallel=False):
            assert not isinstance(item, Span)  # spans are for workers
            tally = check_lines(item.data, item.first_line, checks, bom=item.bom) if isinstance(item, Chunk) else item
            report.add(label, tally)
            progress.advance(tally.checked, len(item.data) if isinstance(item, Chunk) else 0)
        return
    from pytest_thrillpots.cli._jobs import Workers

    next_line = 1  # where the next span of the input starts: known once what comes before is read
    with Workers(jobs, checks) as workers:
        for label, piece, tally, breaks in workers.checked(_work(paths, checks, report, parallel=True)):
            done = 0
            if isinstance(piece, Chunk):
                next_line = piece.first_line + breaks
                done = len(piece.data)
            elif isinstance(piece, Span):
                tally = renumbered(tally, next_line)
                next_line += breaks
                done = piece.end - piece.start
            report.add(label, tally)
            progress.advance(tally.checked, done)


def _work(
    paths: list[str], checks: Checks, report: Report, *, parallel: bool
) -> Iterator[tuple[str, Chunk | Span | Tally]]:
    """Every input's lines to check and records checked, in order; a read error is one line naming the input.

    ``parallel`` reads a full chunk at a time, and hands a file's lines over as spans its workers read.
    """
    for path in paths:
        label = STDIN_LABEL if path == "-" else path
        report.begin(label)
        stream = _open(path)
        try:
            for item in read_input(stream, checks, eager=not parallel, spans=parallel and path != "-"):
                yield label, item
        except OSError as exc:
            raise UsageError(f"cannot read {label}: {exc.strerror or exc}") from None
        finally:
            if path != "-":
                stream.close()


def _size(path: str) -> int | None:
    """The bytes ``path`` holds when it is a regular file (None for a pipe or a terminal); UsageError if unreadable."""
    try:
        status = os.fstat(sys.stdin.fileno()) if path == "-" else os.stat(path)
    except (OSError, AttributeError, ValueError) as exc:
        if path == "-":
            return None
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if stat.S_ISDIR(status.st_mode):
        raise UsageError(f"cannot read {path}: it is a directory; pass the files in it")
    if path != "-" and not os.access(path, os.R_OK):
        raise UsageError(f"cannot read {path}: {os.strerror(errno.EACCES)}")
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except IsADirectoryError:
        raise UsageError(f"cannot read {path}: it is a directory; pass the files in it") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


_ROWS_IN_MEMORY = 8 * 1024 * 1024


class Report:
    """The violations as they come (text) or one JSON document at the end, and the counts."""

    def __init__(self, *, text: bool, max_violations: int | None = None, progress: Progress | None = None) -> None:
        self.text = text
        self.limit = max_violations
        self.progress = progress
        self.out = TextOutput()
        self.totals = Tally()
        self.shown = self.hidden = 0
        self.inputs: list[tuple[str, int]] = []
        """Each input's label and how many records were checked before it began."""
        self.rows: IO[str] | None = None
        """The JSON rows, from the first on: past a few MB they wait on disk, so a huge capture
        full of violations streams too."""

    def begin(self, label: str) -> None:
        self.inputs.append((label, self.totals.checked))

    def add(self, label: str, tally: Tally) -> None:
        self.totals.add(tally)
        if not tally.problems:
            return
        if self.text and self.progress is not None:
            self.progress.clear()
        for problem in tally.problems:
            for violation in problem.violations:
                if self.limit is not None and self.shown >= self.limit:
                    self.hidden += 1
                    continue
                self.shown += 1
                if self.text:
                    self.out.write(f"{label}:{problem.line}: {violation}\n")
                    continue
                row = {
                    "path": label,
                    "line": problem.line,
                    "event_type": problem.event_type,
                    "pointer": violation.path,
                    "rule": violation.rule,
                    "message": violation.message,
                }
                # Indented as the row sits inside the document's "violations" array.
                text = orjson.dumps(row, option=orjson.OPT_INDENT_2).decode().replace("\n", "\n    ")
                if self.rows is None:
                    import tempfile

                    self.rows = tempfile.SpooledTemporaryFile(max_size=_ROWS_IN_MEMORY, mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
                self.rows.write((",\n    " if self.shown > 1 else "    ") + text)

    def empty_inputs(self) -> list[str]:
        """The inputs that held no event."""
        ends = [start for _, start in self.inputs[1:]] + [self.totals.checked]
        return [label for (label, start), end in zip(self.inputs, ends, strict=True) if end == start]

    def status(self, *, allow_empty: bool) -> int:
        totals = self.totals
        if totals.invalid or totals.unparseable or (self.empty_inputs() and not allow_empty):
            return EXIT_FAILED
        return EXIT_OK

    def finish(self, *, allow_empty: bool) -> None:
        totals, out = self.totals, self.out
        empty = self.empty_inputs()
        if self.text:
            if self.hidden:
                out.write(f"... {self.hidden} more violations not shown (--max-violations {self.limit})\n")
            for label in empty:
                out.write(f"{label}: {_empty_note(allow_empty)}\n")
            if totals.checked > totals.unparseable:
                out.write(f"events by type: {_by_type(totals)}\n")
            skipped = (
                f"; {totals.skipped} blank line{'s' if totals.skipped != 1 else ''} skipped" if totals.skipped else ""
            )
            out.write(
                # The issue fixes this line's wording, "checked N events", whatever N is.
                f"checked {totals.checked} events: {totals.valid} valid, "
                f"{totals.invalid} invalid, {totals.unparseable} unparseable{skipped}\n"
            )
            out.flush()
            return
        head = {
            "checked": totals.checked,
            "valid": totals.valid,
            "invalid": totals.invalid,
            "unparseable": totals.unparseable,
            "skipped": totals.skipped,
            "by_type": {name: totals.by_type.get(name, 0) for name in EVENT_TYPES},
            "unidentified": totals.unidentified,
            "empty_inputs": empty,
        }
        # The same text as orjson's OPT_INDENT_2 of the whole document, written piece by piece.
        out.write(orjson.dumps(head, option=orjson.OPT_INDENT_2).decode()[:-2] + ',\n  "violations": [')
        if self.rows is not None:
            out.write("\n")
            self.rows.seek(0)
            while block := self.rows.read(1 << 16):
                out.write(block)
            out.write("\n  ]")
        else:
            out.write("]")
        out.write(f',\n  "violations_not_shown": {self.hidden}\n}}\n')
        out.flush()

    def close(self) -> None:
        if self.rows is not None:
            self.rows.close()


def _empty_note(allow_empty: bool) -> str:
    if allow_empty:
        return "no events read (accepted: --allow-empty)"
    return "no events read: an empty capture fails the check (--allow-empty accepts it)"


def _by_type(totals: Tally) -> str:
    counts = [f"{name} {totals.by_type[name]}" for name in EVENT_TYPES if totals.by_type.get(name)]
    if totals.unidentified:
        counts.append(f"unidentified {totals.unidentified}")
    return ", ".join(counts)


__all__ = ["Report", "add_arguments", "run"]

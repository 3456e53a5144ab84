"""The ``thrillpots`` command: argument parsing and output only; the library does the work.

Each subcommand lives in its own module in this package with ``add_arguments(parser)`` and
``run(args) -> int``; this module wires them up and turns usage errors into exit code 2 with a
one-line message.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from pytest_thrillpots._version import __version__
from pytest_thrillpots.cli._common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    STDOUT_NAME,
    HelpFormatter,
    OutputClosed,
    OutputError,
    Parser,
    TextOutput,
    UsageError,
    silence_stdout,
)

SUBCOMMANDS: tuple[tuple[str, str, str], ...] = (
    ("validate", "pytest_thrillpots.cli._validate", "check captured events against the spec"),
    ("diff", "pytest_thrillpots.cli._diff", "check two versions of the contracts for breaking changes"),
    ("export", "pytest_thrillpots.cli._export", "write the AsyncAPI document or the JSON Schemas"),
    ("sample", "pytest_thrillpots.cli._sample", "write realistic, valid sample events"),
    ("check-pacts", "pytest_thrillpots.cli._check_pacts", "check pacts against the spec, without a producer"),
)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given ``argv``, only the subcommand it names gets its arguments.

    A subcommand's module is imported to add its arguments, and each imports what it works with:
    ``thrillpots validate`` need not load the AsyncAPI exporter or the factories to start.
    """
    chosen = _chosen(argv)
    parser = Parser(
        prog="thrillpots",
        description="Contract-testing toolkit for the ThrillPots event stream.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    for name, module_name, summary in SUBCOMMANDS:
        if chosen is not None and name != chosen:
            commands.add_parser(name, help=summary, formatter_class=HelpFormatter)
            continue
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, help=summary, description=module.__doc__, formatter_class=HelpFormatter)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _chosen(argv: Sequence[str] | None) -> str | None:
    """The subcommand ``argv`` names (its first word that is not an option); None: all of them."""
    if argv is None:
        return None
    for word in argv:
        if not word.startswith("-"):
            return word
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
        code: int = args.run(args)
        # Flushed here, not at exit, so a write error is reported like any other.
        TextOutput().flush()
        return code
    except UsageError as exc:
        if isinstance(exc, OutputError) and exc.name == STDOUT_NAME:
            silence_stdout()  # what is still buffered would fail again at exit
        _say(f"thrillpots: error: {exc}")
        return EXIT_USAGE
    except (OutputClosed, BrokenPipeError):
        # `thrillpots sample ... | head` closes the pipe early: the reader has what it wanted.
        silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except SystemExit as done:  # --help and --version print, then exit
        try:
            TextOutput().flush()
        except OutputError as exc:
            silence_stdout()
            _say(f"thrillpots: error: {exc}")
            return EXIT_USAGE
        except OutputClosed:
            silence_stdout()
        return done.code if isinstance(done.code, int) else EXIT_OK


def _say(line: str) -> None:
    if sys.stderr is not None:  # stderr closed (2>&-): the exit status is all there is
        with contextlib.suppress(OSError, ValueError):
            print(line, file=sys.stderr)


__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "SUBCOMMANDS", "UsageError", "build_parser", "main"]

"""The ``thrillpots`` command: argument parsing and output only; the library does the work.

Each subcommand lives in its own module in this package with ``add_arguments(parser)`` and
``run(args) -> int``; this module wires them up and turns usage errors into exit code 2 with a
one-line message.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from pytest_thrillpots._version import __version__
from pytest_thrillpots.cli._common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Parser, UsageError

SUBCOMMANDS: tuple[tuple[str, str, str], ...] = (
    ("validate", "pytest_thrillpots.cli._validate", "check captured events against the spec"),
    ("diff", "pytest_thrillpots.cli._diff", "check two versions of the contracts for breaking changes"),
    ("export", "pytest_thrillpots.cli._export", "write the AsyncAPI document or the JSON Schemas"),
    ("sample", "pytest_thrillpots.cli._sample", "write realistic, valid sample events"),
    ("check-pacts", "pytest_thrillpots.cli._check_pacts", "check pacts against the spec, without a producer"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="thrillpots",
        description="Contract-testing toolkit for the ThrillPots event stream.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    for name, module_name, summary in SUBCOMMANDS:
        module = importlib.import_module(module_name)
        sub = commands.add_parser(
            name, help=summary, description=module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        code: int = args.run(args)
        return code
    except UsageError as exc:
        print(f"thrillpots: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `thrillpots sample ... | head` closes the pipe early; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "SUBCOMMANDS", "UsageError", "build_parser", "main"]

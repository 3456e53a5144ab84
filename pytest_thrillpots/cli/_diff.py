"""Check two versions of the contracts for breaking changes.

OLD and NEW are each a schema directory (contracts/schemas, or a folder holding one), a single
schema file, an AsyncAPI document (its payload $refs are followed), or git:REF for the contracts
at a commit, branch or tag (git:REF:PATH for a path other than contracts/schemas).

Every change is listed per event and field path with whom it breaks, in the Confluent Schema
Registry's terms: BACKWARD (readers on the new contract can read data old writers sent),
FORWARD (readers on the old contract can read data new writers send), FULL (both).

Exit status: 0 when NEW is compatible with OLD in --mode, 1 when a change breaks it, 2 on a
usage error (a missing directory, an unknown git ref, an unreadable schema).

examples:
  thrillpots diff git:main contracts/schemas
  thrillpots diff git:v1.2.0 git:HEAD --mode full --format json
"""

from __future__ import annotations

import argparse
import json
import sys

from pytest_thrillpots.cli._common import EXIT_FAILED, EXIT_OK, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the contracts before the change")
    parser.add_argument("new", metavar="NEW", help="the contracts after the change")
    parser.add_argument(
        "--mode",
        type=str.lower,
        choices=("backward", "forward", "full"),
        default="backward",
        help="the compatibility NEW must keep (default: backward, as in the Confluent Schema Registry)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def run(args: argparse.Namespace) -> int:
    from pytest_thrillpots._errors import ContractSourceError
    from pytest_thrillpots.evolution._diff import diff_contracts

    try:
        report = diff_contracts(args.old, args.new, mode=args.mode)
    except ContractSourceError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(report.text())
    sys.stdout.flush()
    return EXIT_OK if report.compatible else EXIT_FAILED

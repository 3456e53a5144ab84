"""Check two versions of the contracts for breaking changes.

OLD and NEW are each a schema directory (contracts/schemas, or a folder holding one), a single
schema file, an AsyncAPI document (its payload $refs are followed, and its channels, operations
and content types compared), or git:REF for the contracts at a commit, branch or tag
(git:REF:PATH for a path other than contracts/schemas).

Every change is listed per event and field path with whom it breaks, in the Confluent Schema
Registry's terms: BACKWARD (readers on the new contract can read data old writers sent),
FORWARD (readers on the old contract can read data new writers send), FULL (both: the
default, since the producer deploys first and consumers replay history).

With --pacts (or --broker), each change names the consumers and interactions that read what
it changes, and only a change that breaks --mode and is read by a consumer fails; the summary
gives each consumer's verdict.

Exit status: 0 when NEW is compatible with OLD in --mode (for every consumer, with pacts), 1
when a change breaks it, 2 when an input cannot be read or judged (a missing directory, an
unknown git ref, an unreadable schema or pact, a document nested too deeply or too large).

examples:
  thrillpots diff git:main contracts/schemas
  thrillpots diff git:main contracts/schemas --pacts contracts/pacts
  thrillpots diff git:v1.2.0 git:HEAD --mode backward --format json
"""

from __future__ import annotations

import argparse

from pytest_thrillpots.cli._common import EXIT_FAILED, EXIT_OK, UsageError, write_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the contracts before the change")
    parser.add_argument("new", metavar="NEW", help="the contracts after the change")
    parser.add_argument(
        "--mode",
        type=str.lower,
        choices=("backward", "forward", "full"),
        default="full",
        help="the compatibility NEW must keep (default: full: old readers read new events, and new readers "
        "read old ones)",
    )
    parser.add_argument(
        "--pacts",
        nargs="+",
        metavar="SOURCE",
        help="the consumers' pacts (files, directories, URLs): fail only on a change a consumer reads",
    )
    parser.add_argument(
        "--broker",
        action="store_true",
        help="also read the pacts for verification from the Pact Broker at PACT_BROKER_BASE_URL "
        "(credentials: PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD)",
    )
    parser.add_argument(
        "--provider",
        metavar="NAME",
        help="the provider the pacts are with (default: thrillpots)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def run(args: argparse.Namespace) -> int:
    from pytest_thrillpots._errors import ContractSourceError
    from pytest_thrillpots.evolution._diff import diff_contracts

    if args.provider is not None and not (args.pacts or args.broker):
        raise UsageError("--provider names the provider in the pacts: give --pacts or --broker too")
    try:
        report = diff_contracts(
            args.old,
            args.new,
            mode=args.mode,
            pacts=args.pacts,
            broker=True if args.broker else None,
            provider=args.provider,
        )
    except ContractSourceError as exc:
        raise UsageError(str(exc)) from None
    write_report(report, args.format)
    return EXIT_OK if report.compatible else EXIT_FAILED

"""Check pacts against the spec, without running a producer.

SOURCE is a pact file or a directory of them (*.json), V3 or V4, written by any Pact
implementation (pact-python, pact-js, pact-jvm). For every message interaction: which event it
is (its event_type metadata, else the event its contents fit), and for every path its contents
and matching rules touch, whether any event the spec allows can satisfy it. Errors: a field the
spec does not have, a matcher that contradicts the spec's type, a pinned value or a null the spec
forbids. Warnings: a value where the spec allows null, an integer or decimal where it allows any
number, a message without event_type metadata.

Exit status: 0 when every interaction can be satisfied (warnings or not), 1 when one cannot, 2
on a usage error (a missing source, a file that is not a pact, pacts holding no interactions).

examples:
  thrillpots check-pacts pacts/
  thrillpots check-pacts pacts/wallet-thrillpots.json --format json
"""

from __future__ import annotations

import argparse

from pytest_thrillpots.cli._common import EXIT_FAILED, EXIT_OK, UsageError, write_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="a pact file, or a directory of pact files")
    parser.add_argument("--provider", default="thrillpots", help="the provider the pacts are for (default: thrillpots)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def run(args: argparse.Namespace) -> int:
    from pytest_thrillpots._errors import PactVerificationError
    from pytest_thrillpots.pact._check import check_pacts

    for source in args.sources:
        if "://" in source and not source.startswith("file://"):
            raise UsageError(f"{source}: check-pacts reads pact files and directories; download the pact first")
    try:
        report = check_pacts(args.sources, provider=args.provider)
    except PactVerificationError as exc:  # PactFileError too
        raise UsageError(str(exc)) from None
    write_report(report, args.format)
    return EXIT_OK if report.satisfiable else EXIT_FAILED

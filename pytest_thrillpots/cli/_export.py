"""Write the spec for teams in other languages.

thrillpots export asyncapi [--output FILE] [--check]
    the AsyncAPI 3.0 document (YAML): a channel, a send operation and a message per event,
    payloads referencing ./schemas/*.schema.json, examples for every branch. Keep it beside a
    schemas/ folder (thrillpots export schemas DIR/schemas). --check compares FILE instead of
    writing it and exits 1 when it is out of date.
thrillpots export schemas DIR
    the JSON Schema (2020-12) files, byte for byte, into DIR.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pytest_thrillpots.cli._common import EXIT_FAILED, EXIT_OK, AtomicFile, HelpFormatter, TextOutput, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    what = parser.add_subparsers(dest="what", metavar="WHAT")
    what.required = True
    asyncapi = what.add_parser(
        "asyncapi", help="the AsyncAPI 3.0 document, as YAML", description=__doc__, formatter_class=HelpFormatter
    )
    asyncapi.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    asyncapi.add_argument(
        "--check", action="store_true", help="exit 1 when FILE differs from what would be written; write nothing"
    )
    schemas = what.add_parser(
        "schemas", help="the JSON Schema files", description=__doc__, formatter_class=HelpFormatter
    )
    schemas.add_argument("directory", metavar="DIR", help="where to write them (created if missing)")


def run(args: argparse.Namespace) -> int:
    from pytest_thrillpots.export._asyncapi import asyncapi_yaml, export_schemas

    out = TextOutput()
    if args.what == "schemas":
        target = Path(args.directory)
        if target.exists() and not target.is_dir():
            raise UsageError(f"{target} exists and is not a directory; name a directory for the schema files")
        try:
            written = export_schemas(target)
        except OSError as exc:
            raise UsageError(f"cannot write to {target}: {exc.strerror or exc}") from None
        out.write(f"wrote {len(written)} schema files to {target}\n")
        return EXIT_OK
    text = asyncapi_yaml()
    if args.check:
        if not args.output:
            raise UsageError("--check needs --output FILE: the document to compare")
        try:
            current = Path(args.output).read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"cannot read {args.output}: {exc.strerror or exc}") from None
        if current != text:
            out.write(f"{args.output} is out of date: run `thrillpots export asyncapi --output {args.output}`\n")
            return EXIT_FAILED
        out.write(f"{args.output} is up to date\n")
        return EXIT_OK
    if not args.output:
        out.write(text)
        out.flush()
        return EXIT_OK
    # Written whole, or not at all: a failed write leaves the old document as it was.
    with AtomicFile(args.output) as file:
        file.write(text.encode("utf-8"))
    return EXIT_OK

"""Check captured events against the spec.

Each PATH (or - for standard input, the default) holds NDJSON, one event per line, or one
JSON document: an event or an array of events. Exit status: 0 when every event is valid,
1 when any is invalid or unparseable, 2 on a usage or I/O error.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from typing import Any

import orjson

from pytest_thrillpots._errors import IdentifyError, UnknownEventTypeError
from pytest_thrillpots.cli._common import EXIT_FAILED, EXIT_OK, UsageError
from pytest_thrillpots.cli._progress import Progress
from pytest_thrillpots.spec import EVENT_TYPES, check_event_type, closest_event_type, identify
from pytest_thrillpots.validation._reader import Record, read_events
from pytest_thrillpots.validation._validate import validate
from pytest_thrillpots.validation._violation import Violation, describe_value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--type",
        dest="event_type",
        default="auto",
        metavar="NAME|auto",
        help=f"the event type of every event: one of {', '.join(EVENT_TYPES)}; "
        "auto (the default) identifies each event by its fields",
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
    parser.add_argument("paths", nargs="*", default=["-"], metavar="PATH", help="files to check; - is standard input")


def run(args: argparse.Namespace) -> int:

    event_type: str | None = None
    if args.event_type != "auto":
        try:
            event_type = check_event_type(args.event_type)
        except UnknownEventTypeError as exc:
            raise UsageError(f"--type: {exc} Or use auto.") from None
    streams = [_open(path) for path in args.paths]
    report = Report(text=args.format == "text")
    progress = Progress("validated", "events")
    for path, stream in zip(args.paths, streams, strict=True):
        label = "<stdin>" if path == "-" else path
        try:
            for record in read_events(stream):
                report.add(
                    label, record, _check(record, event_type, args.strict, args.allow_legacy_winners, args.semantic)
                )
                progress.tick()
        except OSError as exc:
            raise UsageError(f"cannot read {label}: {exc.strerror or exc}") from None
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
    progress.done()
    report.finish()
    return EXIT_OK if report.invalid == report.unparseable == 0 else EXIT_FAILED


def _open(path: str) -> Any:

    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except IsADirectoryError:
        raise UsageError(f"cannot read {path}: it is a directory; pass the files in it") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def _check(
    record: Record, event_type: str | None, strict: bool, allow_legacy_winners: bool, semantic: bool = False
) -> tuple[str | None, list[Violation]]:
    if record.error is not None:
        return event_type, [record.error]
    payload = record.payload
    chosen = event_type
    if chosen is None:
        if not isinstance(payload, dict):
            return None, [
                Violation(
                    "",
                    "not_object",
                    "a ThrillPots event object",
                    describe_value(payload),
                    f"expected a JSON object (a ThrillPots event), got {describe_value(payload)}",
                )
            ]
        try:
            chosen = identify(payload)
        except IdentifyError as exc:
            closest = closest_event_type(payload)
            if closest is None:
                return None, [Violation("", "type", "one of the six ThrillPots events", "object", f"{exc}")]
            chosen = closest
    violations = validate(payload, chosen, strict=strict, allow_legacy_winners=allow_legacy_winners, semantic=semantic)
    return chosen, [*record.warnings, *violations]


_ROWS_IN_MEMORY = 8 * 1024 * 1024


class Report:
    def __init__(self, *, text: bool) -> None:
        self.text = text
        self.valid = self.invalid = self.unparseable = 0
        # JSON rows wait on disk past a few MB, so a huge capture full of violations streams too.
        self.rows = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by finish()
            max_size=_ROWS_IN_MEMORY, mode="w+", encoding="utf-8"
        )
        self.row_count = 0

    def add(self, label: str, record: Record, result: tuple[str | None, list[Violation]]) -> None:
        event_type, violations = result
        if record.error is not None:
            self.unparseable += 1
        elif violations:
            self.invalid += 1
        else:
            self.valid += 1
        for v in violations:
            if self.text:
                sys.stdout.write(f"{label}:{record.line}: {v}\n")
            else:
                row = {
                    "path": label,
                    "line": record.line,
                    "event_type": event_type,
                    "pointer": v.path,
                    "rule": v.rule,
                    "message": v.message,
                }
                # Indented as the row sits inside the document's "violations" array.
                text = orjson.dumps(row, option=orjson.OPT_INDENT_2).decode().replace("\n", "\n    ")
                self.rows.write((",\n    " if self.row_count else "    ") + text)
                self.row_count += 1

    @property
    def checked(self) -> int:
        return self.valid + self.invalid + self.unparseable

    def finish(self) -> None:
        if self.text:
            sys.stdout.write(
                # The issue fixes this line's wording, "checked N events", whatever N is.
                f"checked {self.checked} events: {self.valid} valid, "
                f"{self.invalid} invalid, {self.unparseable} unparseable\n"
            )
        else:
            counts = {
                "checked": self.checked,
                "valid": self.valid,
                "invalid": self.invalid,
                "unparseable": self.unparseable,
            }
            # The same text as orjson's OPT_INDENT_2 of the whole document, written piece by piece.
            out = sys.stdout
            out.write(orjson.dumps(counts, option=orjson.OPT_INDENT_2).decode()[:-2] + ',\n  "violations": [')
            if self.row_count:
                out.write("\n")
                self.rows.seek(0)
                shutil.copyfileobj(self.rows, out)
                out.write("\n  ]\n}\n")
            else:
                out.write("]\n}\n")
        self.rows.close()
        sys.stdout.flush()

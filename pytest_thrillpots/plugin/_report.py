"""The contract coverage report: ``--thrillpots-report`` and ``--thrillpots-report=json:PATH``.

Nothing here runs unless the option is given: ``pytest_configure`` then installs a recorder
(``_coverage.RECORDER``) and registers ``ReportSession`` for the session's hooks. Under
pytest-xdist each worker records its own tests and sends the data to the controller in its
``workeroutput`` (``_xdist``); the controller merges it and reports once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_thrillpots.plugin._xdist import (
    fail_for_lost_workers,
    from_worker,
    is_worker,
    reporting_worker,
    to_controller,
    worker_name,
)

if TYPE_CHECKING:
    from pytest_thrillpots.coverage._recorder import Recorder

OPTION = "--thrillpots-report"
TERMINAL = "term"
JSON_PREFIX = "json:"
SESSION_PLUGIN_NAME = "thrillpots-report-session"


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("thrillpots")
    group.addoption(
        OPTION,
        action="append",
        nargs="?",
        const=TERMINAL,
        default=[],
        metavar="json:PATH",
        dest="thrillpots_report",
        help="report the contract coverage at the end of the session: which event types the tests "
        "validated or asserted and which fields they pinned. Alone: a table in the terminal summary; "
        "=json:PATH: write it as JSON for CI. Give it twice for both.",
    )


def preparse_args(args: list[str]) -> None:
    """Read ``--thrillpots-report tests/`` as the table and a test path, not as a report target.

    The option's value is optional, so argparse would take any next argument as its value; the
    bare option becomes ``--thrillpots-report=term`` unless a report target follows it.
    """
    for index, arg in enumerate(args):
        if arg == "--":
            return
        if arg == OPTION and not (index + 1 < len(args) and _is_target(args[index + 1])):
            args[index] = f"{OPTION}={TERMINAL}"


def _is_target(value: str) -> bool:
    return value == TERMINAL or value.startswith(JSON_PREFIX)


@dataclass(frozen=True)
class ReportTargets:
    terminal: bool
    json_paths: tuple[Path, ...]


def parse_targets(values: list[str], invocation_dir: Path) -> ReportTargets:
    """The report's destinations from the option's values; a usage error names the fix."""
    terminal = False
    json_paths: list[Path] = []
    for value in values:
        if value == TERMINAL:
            terminal = True
        elif _is_target(value) and value[len(JSON_PREFIX) :].strip():
            path = invocation_dir / value[len(JSON_PREFIX) :]
            if path.is_dir():
                raise pytest.UsageError(f"{OPTION}={value}: {path} is a directory; name the JSON file to write")
            in_the_way = _file_in_the_way(path)
            if in_the_way is not None:
                # Said now, not after the whole suite has run.
                raise pytest.UsageError(
                    f"{OPTION}={value}: cannot write {path}: {in_the_way} is a file, not a directory"
                )
            json_paths.append(path)
        else:
            raise pytest.UsageError(
                f"{OPTION} got {value!r}: write {OPTION} alone for the terminal table or "
                f"{OPTION}=json:PATH for a JSON file"
            )
    return ReportTargets(terminal, tuple(json_paths))


def _file_in_the_way(path: Path) -> Path | None:
    """The file among ``path``'s parents that stops it being written, if any."""
    return next((parent for parent in path.parents if parent.is_file()), None)


def pytest_configure(config: pytest.Config) -> None:
    values: list[str] = config.getoption("thrillpots_report", default=[]) or []
    if not values:
        return
    targets = parse_targets(values, config.invocation_params.dir)
    from pytest_thrillpots.coverage import _recorder as _coverage

    session = ReportSession(config, targets, _coverage.RECORDER)
    _coverage.RECORDER = session.recorder
    config.pluginmanager.register(session, SESSION_PLUGIN_NAME)


class ReportSession:
    """The hooks of a session with the report on."""

    def __init__(self, config: pytest.Config, targets: ReportTargets, outer: Recorder | None) -> None:
        from pytest_thrillpots.coverage._recorder import Recorder

        self.config = config
        self.targets = targets
        self.recorder = Recorder()
        # An in-process child session (pytester) must give the outer session its recorder back.
        self.outer = outer
        self.is_worker = is_worker(config)
        self.written: list[Path] = []
        self.write_errors: list[str] = []
        self.tests_by_worker: dict[str, set[str]] = {}
        self.merged: set[str] = set()
        """The workers whose data is merged (xdist may report a worker down twice)."""
        """On the xdist controller: the tests each worker reported, to name what a crashed one took with it."""

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.recorder.current_test = nodeid

    def pytest_runtest_logfinish(self) -> None:
        self.recorder.current_test = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        worker = reporting_worker(report)
        if worker is not None:
            self.tests_by_worker.setdefault(worker, set()).add(report.nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        from pytest_thrillpots.coverage._recorder import WIRE_KEY

        wire = from_worker(node, WIRE_KEY)
        if wire is None:
            # A crashed worker sent nothing: the report says so rather than add up without it.
            name = worker_name(node)
            self.recorder.lose_worker(name, self.tests_by_worker.get(name, ()))
        elif worker_name(node) not in self.merged:
            self.merged.add(worker_name(node))
            self.recorder.merge(wire)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            from pytest_thrillpots.coverage._recorder import WIRE_KEY

            to_controller(self.config, WIRE_KEY, self.recorder.to_wire())
            return
        if self.targets.json_paths or self.targets.terminal:
            lost = fail_for_lost_workers(
                session, list(self.recorder.lost), "the contract coverage report is incomplete"
            )
            if lost is not None:
                self.write_errors.append(lost)
        if self.targets.json_paths:
            import json

            document = json.dumps(self.recorder.report().to_json(), indent=2) + "\n"
            for path in self.targets.json_paths:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(document, encoding="utf-8")
                except OSError as exc:
                    in_the_way = _file_in_the_way(path)
                    reason = f"{in_the_way} is a file, not a directory" if in_the_way else exc.strerror or str(exc)
                    self.write_errors.append(f"cannot write {path}: {reason}")
                else:
                    self.written.append(path)
            if self.write_errors and session.exitstatus == pytest.ExitCode.OK:
                # A CI gate reads the file: a missing report must not look like a green run.
                session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.is_worker:
            return
        if self.targets.terminal:
            terminalreporter.write_sep("=", "thrillpots contract coverage")
            for line in self.recorder.report().table_lines(verbose=self.config.get_verbosity() > 0):
                terminalreporter.write_line(line)
        for path in self.written:
            terminalreporter.write_line(f"thrillpots contract coverage written to {path}")
        for error in self.write_errors:
            terminalreporter.write_line(f"ERROR: thrillpots contract coverage: {error}", red=True)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        from pytest_thrillpots.coverage import _recorder as _coverage

        _coverage.RECORDER = self.outer

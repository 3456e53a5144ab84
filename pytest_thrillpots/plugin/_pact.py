"""Pact: the ``thrillpots_pact`` fixture, its options, and the pact files written at session end.

Light on purpose (stdlib and pytest only): pact-python and the consumer helper are imported when
a test first uses the fixture.

Only a complete, green run of the contract tests (the tests using ``thrillpots_pact``) rewrites
a pact file (``_contract_run``): any other run leaves the file as it was, and the terminal
summary says why in one line; ``--thrillpots-pact-merge`` adds the passing tests' interactions
to the file instead, never removing one.

The interactions a test delivered ride on its report (``_xdist.attach``), so the process that
reports (the pytest-xdist controller, or the only one) sees each test's interactions as the test
ends: two tests that define one interaction differently turn the second report into a failure
naming both, with or without xdist, and a worker that crashes later loses nothing already sent.
The workers send which contract tests they collected and deselected at their session's end.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_thrillpots.pact._session import DEFAULT_PACT_DIR, set_session_pact_dir
from pytest_thrillpots.plugin._contract_run import (
    ContractRun,
    command_line_narrowing,
    is_contract_test,
    selection_options,
)
from pytest_thrillpots.plugin._xdist import (
    attach,
    attached,
    fail_for_lost_workers,
    from_worker,
    is_worker,
    to_controller,
    worker_name,
)

if TYPE_CHECKING:
    from pytest_thrillpots.pact import ConsumerPact
    from pytest_thrillpots.pact._consumer import PactFile, PactRecorder

PACT_DIR_OPTION = "--thrillpots-pact-dir"
MERGE_OPTION = "--thrillpots-pact-merge"
WORKER_OUTPUT_KEY = "thrillpots_contract_tests"
REPORT_KEY = "thrillpots_pact"
"""The attribute of a test's report that carries the interactions it delivered."""
SESSION_PLUGIN_NAME = "thrillpots-pact-session"
_HELPER = pytest.StashKey["ConsumerPact"]()
_SENT = pytest.StashKey[int]()
_CALL_FAILED = pytest.StashKey[bool]()


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("thrillpots")
    group.addoption(
        PACT_DIR_OPTION,
        dest="thrillpots_pact_dir",
        default=None,
        metavar="DIR",
        help="where the thrillpots_pact fixture writes pact files, and where verify_pacts() reads them "
        f"(default: the ini option thrillpots_pact_dir, else {DEFAULT_PACT_DIR}/ under the rootdir)",
    )
    group.addoption(
        MERGE_OPTION,
        dest="thrillpots_pact_merge",
        action="store_true",
        default=False,
        help="add the interactions of this run's passing contract tests to the pact files, keeping the others "
        "(by default only a complete, green run writes a pact, and it replaces the file)",
    )
    parser.addini(
        "thrillpots_pact_dir",
        help=f"the pact directory, relative to the ini file (default: {DEFAULT_PACT_DIR})",
        default=None,
    )
    parser.addini(
        "thrillpots_consumer",
        help="the consumer name the thrillpots_pact fixture writes pacts for (the marker "
        "@pytest.mark.thrillpots(consumer=...) overrides it)",
        default=None,
    )


def pact_dir(config: pytest.Config) -> Path:
    """The pact directory: the command line option, else the ini option, else ``pacts/``."""
    option = config.getoption("thrillpots_pact_dir", None)
    if option:
        return Path(config.invocation_params.dir, option).resolve()
    ini = config.getini("thrillpots_pact_dir")
    base = config.inipath.parent if config.inipath is not None else config.rootpath
    return Path(base, ini or DEFAULT_PACT_DIR).resolve()


def pytest_configure(config: pytest.Config) -> None:
    directory = pact_dir(config)
    in_the_way = _file_in_the_way(directory)
    if in_the_way is not None:
        # Said now, not after the whole suite has run.
        raise pytest.UsageError(
            f"the pact directory {directory} cannot be made: {in_the_way} is a file, not a directory "
            f"(set {PACT_DIR_OPTION} or the ini option thrillpots_pact_dir)"
        )
    set_session_pact_dir(directory)
    config.pluginmanager.register(PactSession(config), SESSION_PLUGIN_NAME)


def pytest_unconfigure(config: pytest.Config) -> None:
    set_session_pact_dir(None)


def _file_in_the_way(directory: Path) -> Path | None:
    """The file at ``directory`` or among its parents that stops it being made, if any."""
    return next((path for path in (directory, *directory.parents) if path.is_file()), None)


def _names(request: pytest.FixtureRequest) -> tuple[str, str]:
    """The consumer and provider of the test's pact: the ``thrillpots`` marker's, else the ini option's."""
    from pytest_thrillpots.pact import DEFAULT_PROVIDER
    from pytest_thrillpots.plugin._marker import MARKER, marker_options

    options = marker_options(request.node)
    consumer = options.consumer or request.config.getini("thrillpots_consumer")
    if not consumer or not str(consumer).strip():
        pytest.fail(
            "thrillpots_pact needs the consumer's name: set thrillpots_consumer = <your service> in the "
            f"[pytest] ini options, or mark the test @pytest.mark.{MARKER}(consumer='<your service>')",
            pytrace=False,
        )
    return str(consumer), options.provider or DEFAULT_PROVIDER


@pytest.fixture
def thrillpots_pact(request: pytest.FixtureRequest) -> Iterator[ConsumerPact]:
    """The consumer's expectations of the ThrillPots producer, written to a pact file.

    ``thrillpots_pact.expects("WinEvent", "a progressive jackpot win", fields=[...])`` then
    ``thrillpots_pact.verify(handler)``. The pact file ``<consumer>-<provider>.json`` is written
    to the pact directory at the end of a session that ran every contract test, each passing.
    """
    from pytest_thrillpots.pact import ConsumerPact

    consumer, provider = _names(request)
    helper = ConsumerPact(consumer, provider)
    request.node.stash[_HELPER] = helper
    request.node.stash[_SENT] = 0  # a rerun of the test starts a new helper
    yield helper
    if helper.pending and not request.node.stash.get(_CALL_FAILED, False):
        names = ", ".join(repr(i.description) for i in helper.pending)
        pytest.fail(
            f"thrillpots_pact: {names} never reached the consumer's handler: call "
            "thrillpots_pact.verify(handler) after expects(...), or the interaction is not written to the pact",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.when == "call" and getattr(report, "failed", False):
        item.stash[_CALL_FAILED] = True
    helper = item.stash.get(_HELPER, None)
    if helper is not None:
        # Every report of the test names its pact (a failure names the file it leaves alone), and
        # carries what the test delivered since the last one.
        sent = item.stash.get(_SENT, 0)
        item.stash[_SENT] = len(helper.delivered)
        delivered = [i.to_json() for i in helper.delivered[sent:]]
        attach(
            report, REPORT_KEY, {"consumer": helper.consumer, "provider": helper.provider, "interactions": delivered}
        )
    return report


class PactSession:
    """The session's contract tests: what they delivered, whether they all ran and passed, what was written."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.is_worker = is_worker(config)
        self.run = ContractRun()
        self._delivered: PactRecorder | None = None
        self.by_test: dict[str, list[dict[str, Any]]] = {}
        self.clashed = False
        self.lines: list[str] = []
        self.errors: list[str] = []

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if not self.is_worker:
            self.run.narrowed = command_line_narrowing(self.config)
            self.run.selection = selection_options(self.config)

    # The collecting process (a worker, or the only process).

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.run.deselected.update(item.nodeid for item in items if is_contract_test(item))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.run.collected.update(item.nodeid for item in session.items if is_contract_test(item))

    # The reporting process (the controller, or the only process).

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if not self.is_worker:
            self.run.record_collection(report.nodeid, report.outcome)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # First of every plugin: a clash turns the report into a failure before anyone counts it.
        if self.is_worker:
            return
        data = attached(report, REPORT_KEY)
        if data is not None:
            # A test that got the fixture is a contract test, however it asked for it.
            self.run.collected.add(report.nodeid)
            self._record_delivery(report, data)
        self.run.record(report.nodeid, report.when, report.outcome)

    @property
    def delivered(self) -> PactRecorder:
        """Every interaction delivered, with the test that delivered it first: a clash is found here.

        Made on first use: the consumer helper's modules load only when a test delivers.
        """
        if self._delivered is None:
            from pytest_thrillpots.pact._consumer import PactRecorder

            self._delivered = PactRecorder()
        return self._delivered

    def _record_delivery(self, report: pytest.TestReport, data: dict[str, Any]) -> None:
        from pytest_thrillpots._errors import PactDefinitionError

        try:
            self.delivered.merge_json([data], source=report.nodeid)
        except PactDefinitionError as exc:
            self.clashed = True
            report.outcome = "failed"
            report.longrepr = f"thrillpots_pact: {exc} (no pact is written)"
        self.by_test.setdefault(report.nodeid, []).append(data)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        wire = from_worker(node, WORKER_OUTPUT_KEY)
        if wire is None:
            self.run.lost_workers.append(worker_name(node))
        else:
            self.run.merge_collection(wire)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            # Always sent, even empty: nothing from a worker means it crashed.
            to_controller(self.config, WORKER_OUTPUT_KEY, self.run.collection_wire())
            return
        if self.config.getoption("collectonly", False) or not (self.run.has_contract_tests or self.by_test):
            return
        lost = fail_for_lost_workers(session, self.run.lost_workers, "no pact is written")
        if lost is not None:
            self.errors.append(lost)
        merge = bool(self.config.getoption("thrillpots_pact_merge", False))
        reasons = self.run.reasons()
        if self.clashed or (reasons and not merge):
            self.lines.append(_not_written(self.config, self._pact_files(), reasons))
            return
        recorder = self._passing()
        if not any(recorder.pacts.values()):
            self.lines.append(_not_written(self.config, [], reasons))
            return
        self._write(session, recorder, merge)

    def _pact_files(self) -> list[Path]:
        directory = pact_dir(self.config)
        pacts = self._delivered.pacts if self._delivered is not None else {}
        return [directory / f"{consumer}-{provider}.json" for consumer, provider in sorted(pacts)]

    def _passing(self) -> PactRecorder:
        """The interactions of the contract tests that passed: only those are ever written."""
        from pytest_thrillpots.pact._consumer import PactRecorder

        recorder = PactRecorder()
        for nodeid in sorted(self.run.passed()):
            recorder.merge_json(self.by_test.get(nodeid, []), source=nodeid)
        return recorder

    def _write(self, session: pytest.Session, recorder: PactRecorder, merge: bool) -> None:
        from pytest_thrillpots._errors import PactDefinitionError

        directory = pact_dir(self.config)
        try:
            written = recorder.write(directory, merge=merge)
        except PactDefinitionError as exc:
            self._cannot_write(session, str(exc))
            return
        except OSError as exc:
            in_the_way = _file_in_the_way(directory)
            reason = f"{in_the_way} is a file, not a directory" if in_the_way is not None else str(exc)
            self._cannot_write(session, f"cannot write the pacts to {directory}: {reason}")
            return
        self.lines.extend(_written(self.config, pact, merge) for pact in written)

    def _cannot_write(self, session: pytest.Session, error: str) -> None:
        self.errors.append(error)
        if session.exitstatus == pytest.ExitCode.OK:
            # Whatever reads the pacts next must not find a green run and stale files.
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        for line in self.lines:
            terminalreporter.write_line(line)
        for error in self.errors:
            terminalreporter.write_line(f"ERROR: thrillpots: {error}", red=True)


def _shown(config: pytest.Config, path: Path) -> str:
    try:
        return str(path.relative_to(config.invocation_params.dir))
    except ValueError:
        return str(path)


def _count(count: int) -> str:
    return f"{count} interaction{'s' if count != 1 else ''}"


def _written(config: pytest.Config, pact: PactFile, merge: bool) -> str:
    if not merge:
        return f"thrillpots: wrote pact {_shown(config, pact.path)} ({_count(pact.interactions)})"
    return (
        f"thrillpots: merged {_count(pact.recorded)} into pact {_shown(config, pact.path)} "
        f"({_count(pact.interactions)}; {MERGE_OPTION} keeps the others)"
    )


def _not_written(config: pytest.Config, paths: list[Path], reasons: list[str]) -> str:
    shown = ", ".join(_shown(config, path) for path in paths)
    what = f"pact{'s' if len(paths) != 1 else ''} {shown}" if paths else "any pact"
    return (
        f"thrillpots: did not write {what}: {'; '.join(reasons)}. Only a complete, green run of the contract tests "
        f"writes a pact ({MERGE_OPTION} adds the passing tests' interactions instead)"
    )

"""Pact: the ``thrillpots_pact`` fixture, its options, and the pact files written at session end.

Light on purpose (stdlib and pytest only): pact-python and the consumer helper are imported when
a test first uses the fixture. Under pytest-xdist each worker sends the interactions its tests
delivered to the controller in its ``workeroutput``; the controller writes the files once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_thrillpots.pact._session import DEFAULT_PACT_DIR, set_session_pact_dir
from pytest_thrillpots.plugin._xdist import from_worker, is_worker, to_controller

if TYPE_CHECKING:
    from pytest_thrillpots.pact import ConsumerPact, PactRecorder

PACT_DIR_OPTION = "--thrillpots-pact-dir"
WORKER_OUTPUT_KEY = "thrillpots_pacts"
_RECORDER = pytest.StashKey["PactRecorder"]()
_WRITTEN = pytest.StashKey["list[tuple[Path, int]]"]()
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
    set_session_pact_dir(pact_dir(config))


def pytest_unconfigure(config: pytest.Config) -> None:
    set_session_pact_dir(None)


def _names(request: pytest.FixtureRequest) -> tuple[str, str]:
    """The consumer and provider of the test's pact: the ``thrillpots`` marker's, else the ini option's."""
    from pytest_thrillpots.pact import DEFAULT_PROVIDER
    from pytest_thrillpots.plugin._marker import MARKER, marker_options

    options = marker_options(request.node)
    consumer = options.consumer or request.config.getini("thrillpots_consumer")
    if not consumer:
        pytest.fail(
            "thrillpots_pact needs the consumer's name: set thrillpots_consumer = <your service> in the "
            f"[pytest] ini options, or mark the test @pytest.mark.{MARKER}(consumer='<your service>')",
            pytrace=False,
        )
    return str(consumer), options.provider or DEFAULT_PROVIDER


def _recorder(config: pytest.Config) -> PactRecorder:
    from pytest_thrillpots.pact import PactRecorder

    if _RECORDER not in config.stash:
        config.stash[_RECORDER] = PactRecorder()
    return config.stash[_RECORDER]


@pytest.fixture
def thrillpots_pact(request: pytest.FixtureRequest) -> Iterator[ConsumerPact]:
    """The consumer's expectations of the ThrillPots producer, written to a pact file.

    ``thrillpots_pact.expects("WinEvent", "a progressive jackpot win", fields=[...])`` then
    ``thrillpots_pact.verify(handler)``. The pact file ``<consumer>-<provider>.json`` is written
    to the pact directory at the end of the session.
    """
    from pytest_thrillpots.pact import ConsumerPact

    consumer, provider = _names(request)
    helper = ConsumerPact(consumer, provider, recorder=_recorder(request.config))
    yield helper
    if helper.pending and not request.node.stash.get(_CALL_FAILED, False):
        names = ", ".join(repr(i.description) for i in helper.pending)
        pytest.fail(
            f"thrillpots_pact: {names} never reached the consumer's handler: call "
            "thrillpots_pact.verify(handler) after expects(...), or the interaction is not written to the pact",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if call.when == "call" and getattr(report, "failed", False):
        item.stash[_CALL_FAILED] = True
    return report


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    data = from_worker(node, WORKER_OUTPUT_KEY)
    if data:
        _recorder(node.config).merge_json(data)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if _RECORDER not in config.stash or not config.stash[_RECORDER].pacts:
        return
    recorder = config.stash[_RECORDER]
    if is_worker(config):
        to_controller(config, WORKER_OUTPUT_KEY, recorder.to_json())
        return
    directory = pact_dir(config)
    config.stash[_WRITTEN] = recorder.write(directory)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    written = config.stash.get(_WRITTEN, [])
    for path, count in written:
        try:
            shown = path.relative_to(config.invocation_params.dir)
        except ValueError:
            shown = path
        terminalreporter.write_line(f"thrillpots: wrote pact {shown} ({count} interaction{'s' if count != 1 else ''})")

"""Factories in pytest: seeds, the ``thrillpots`` hub fixture, one fixture per event, the marker.

Standard library and pytest only at import: Faker and the factories load when a test first
asks for a fixture. One base seed per session (``--thrillpots-seed``, shown in the header);
each test's seed is derived from it and the test's node id, so a test's events stay the same
when other tests are added, reordered or spread over pytest-xdist workers.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Literal

import pytest

from pytest_thrillpots import _seed
from pytest_thrillpots.plugin._marker import MARKER_HELP, marker_options
from pytest_thrillpots.plugin._xdist import from_controller, to_workers

if TYPE_CHECKING:
    from pytest_thrillpots.factories._hub import ThrillpotsHub

SEED_OPTION = "--thrillpots-seed"
WORKER_INPUT_KEY = "thrillpots_seed"

_BASE_SEED = pytest.StashKey[int]()
_TEST_SEED = pytest.StashKey[int]()


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("thrillpots")
    group.addoption(
        SEED_OPTION,
        dest="thrillpots_seed",
        default=None,
        metavar="N|random",
        help="the session's base seed for the thrillpots factories (default: the ini option "
        "thrillpots_seed, else pytest-randomly's seed when it is active, else random)",
    )
    parser.addini("thrillpots_seed", help="the base seed for the thrillpots factories: N or random", default=None)
    parser.addini(
        "thrillpots_strict",
        type="bool",
        default=False,
        help="make an invalid event built by the thrillpots fixtures an error (the marker's strict= overrides it)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)
    # Check a given seed now, so a typo stops the run before any test. The seed itself is chosen
    # later, once every plugin is configured (pytest-randomly picks its seed in its own hook).
    _given_seed(config)
    _ini_strict(config)


def base_seed(config: pytest.Config) -> int:
    """The session's base seed (chosen once, shared with every xdist worker)."""
    seed = config.stash.get(_BASE_SEED, None)
    if seed is None:
        seed = _choose_seed(config)
        config.stash[_BASE_SEED] = seed
    return seed


def _choose_seed(config: pytest.Config) -> int:
    given = from_controller(config, WORKER_INPUT_KEY)
    if given is not None:
        return int(given)
    given = _given_seed(config)
    if given is not None:
        return given if given != "random" else _seed.random_seed()
    randomly_seed = config.getoption("randomly_seed", None) if config.pluginmanager.hasplugin("randomly") else None
    if isinstance(randomly_seed, int) and not isinstance(randomly_seed, bool):
        return randomly_seed
    return _seed.random_seed()


def _given_seed(config: pytest.Config) -> int | Literal["random"] | None:
    """The seed from the command line or the ini file: a number, "random", or None when not given."""
    option = config.getoption("thrillpots_seed", None)
    text, source = (
        (option, SEED_OPTION) if option is not None else (config.getini("thrillpots_seed"), "thrillpots_seed")
    )
    # An empty ini value is unset; an empty option is `--thrillpots-seed=$SEED` with SEED unset,
    # which must not quietly run on a random seed.
    if not text and option is None:
        return None
    try:
        chosen = _seed.parse_seed(str(text))
    except ValueError as exc:
        raise pytest.UsageError(f"{source}: {exc}") from None
    return chosen if chosen is not None else "random"


def _ini_strict(config: pytest.Config) -> bool:
    try:
        return bool(config.getini("thrillpots_strict"))
    except (ValueError, pytest.UsageError) as exc:  # pytest's own message names neither the setting nor the fix
        raise pytest.UsageError(f"thrillpots_strict: {exc}: write true or false") from None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker uses the controller's seed."""
    to_workers(node, WORKER_INPUT_KEY, base_seed(node.config))


def pytest_report_header(config: pytest.Config) -> str:
    seed = base_seed(config)
    header = f"thrillpots: seed {seed} (rerun with {SEED_OPTION}={seed} for the same events)"
    if config.pluginmanager.has_plugin("randomly"):
        # pytest-randomly reseeds the class-level factories before each test, from its own seed.
        header += "; factories called outside the fixtures follow --randomly-seed"
    return header


def item_seed(item: pytest.Item) -> int:
    """The seed of one test: the marker's, else derived from the base seed and the node id."""
    seed = item.stash.get(_TEST_SEED, None)
    if seed is None:
        options = marker_options(item)
        seed = options.seed if options.seed is not None else _seed.derive_seed(base_seed(item.config), item.nodeid)
        item.stash[_TEST_SEED] = seed
    return seed


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Class-level calls (WinEventFactory.build()) repeat per test too; pytest-randomly, when
    # active, reseeds them again after this through its random_seeder entry point.
    _seed.reseed(_seed.derive_seed(item_seed(item), "class-level"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.failed and "thrillpots" in getattr(item, "fixturenames", ()):
        seed = item.stash.get(_TEST_SEED, None)
        if seed is not None:
            report.sections.append(
                (
                    "thrillpots",
                    f"this test's seed: {seed} (WinEventFactory.seeded({seed}) and the like rebuild its events)",
                )
            )
    return report


@pytest.fixture
def thrillpots(request: pytest.FixtureRequest) -> ThrillpotsHub:
    """Every factory, seeded for this test: ``thrillpots.win_event(player_id="p-1")``."""
    from pytest_thrillpots.factories._hub import ThrillpotsHub

    item = request.node
    options = marker_options(item)
    strict = options.strict if options.strict is not None else _ini_strict(request.config)
    return ThrillpotsHub(item_seed(item), strict=strict)


@pytest.fixture
def jackpot_update_event(thrillpots: ThrillpotsHub) -> dict[str, Any]:
    """A valid JackpotUpdateEvent, seeded for this test."""
    return thrillpots.jackpot_update_event()


@pytest.fixture
def win_event(thrillpots: ThrillpotsHub) -> dict[str, Any]:
    """A valid WinEvent, seeded for this test."""
    return thrillpots.win_event()


@pytest.fixture
def raffle_win_event(thrillpots: ThrillpotsHub) -> dict[str, Any]:
    """A valid RaffleWinEvent, seeded for this test."""
    return thrillpots.raffle_win_event()


@pytest.fixture
def opt_in_event(thrillpots: ThrillpotsHub) -> dict[str, Any]:
    """A valid OptInEvent, seeded for this test."""
    return thrillpots.opt_in_event()


@pytest.fixture
def community_payout_error_event(thrillpots: ThrillpotsHub) -> dict[str, Any]:
    """A valid CommunityPayoutErrorEvent, seeded for this test."""
    return thrillpots.community_payout_error_event()


@pytest.fixture
def raffle_payout_error_event(thrillpots: ThrillpotsHub) -> dict[str, Any]:
    """A valid RafflePayoutErrorEvent, seeded for this test."""
    return thrillpots.raffle_payout_error_event()

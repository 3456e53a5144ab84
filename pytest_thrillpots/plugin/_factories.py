"""Factories in pytest: seeds, the ``thrillpots`` hub fixture, one fixture per event, the marker.

Standard library and pytest only at import: Faker and the factories load when a test first
asks for a fixture. One base seed per session (``--thrillpots-seed``, shown in the header);
each test's seed is derived from it and the test's node id, so a test's events stay the same
when other tests are added, reordered or spread over pytest-xdist workers.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

import pytest

from pytest_thrillpots import _seed

if TYPE_CHECKING:
    from pytest_thrillpots.factories._hub import ThrillpotsHub

SEED_OPTION = "--thrillpots-seed"
MARKER = "thrillpots"
WORKER_INPUT_KEY = "thrillpots_seed"

_BASE_SEED = pytest.StashKey[int]()
_TEST_SEED = pytest.StashKey[int]()


@dataclass(frozen=True, kw_only=True)
class ThrillpotsMarker:
    """The options of ``@pytest.mark.thrillpots(seed=..., strict=..., consumer=..., provider=...)``."""

    seed: int | None = None
    """This test's seed, instead of the one derived from the session seed and its node id."""
    strict: bool | None = None
    """Raise when an event the fixtures build is invalid (default: the ini option thrillpots_strict)."""
    consumer: str | None = None
    """The consumer the ``thrillpots_pact`` fixture writes the pact for (default: the ini option
    thrillpots_consumer)."""
    provider: str | None = None
    """The provider of that pact (default: ``thrillpots``)."""

    def __post_init__(self) -> None:
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0):
            raise TypeError(f"seed must be a whole number >= 0, not {self.seed!r}")
        if self.strict is not None and not isinstance(self.strict, bool):
            raise TypeError(f"strict must be True or False, not {self.strict!r}")
        for name in ("consumer", "provider"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise TypeError(f"{name} must be a service name (a non-empty string), not {value!r}")


MARKER_HELP = (
    f"{MARKER}(*, seed=None, strict=None, consumer=None, provider=None): options of the thrillpots "
    "fixtures for this test: seed fixes the test's seed; strict=True makes an invalid built event an "
    "error; consumer and provider name the pact the thrillpots_pact fixture writes"
)


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
    worker_input: dict[str, Any] | None = getattr(config, "workerinput", None)
    if worker_input is not None and WORKER_INPUT_KEY in worker_input:
        return int(worker_input[WORKER_INPUT_KEY])
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
    node.workerinput[WORKER_INPUT_KEY] = base_seed(node.config)


def pytest_report_header(config: pytest.Config) -> str:
    seed = base_seed(config)
    header = f"thrillpots: seed {seed} (rerun with {SEED_OPTION}={seed} for the same events)"
    if config.pluginmanager.has_plugin("randomly"):
        # pytest-randomly reseeds the class-level factories before each test, from its own seed.
        header += "; factories called outside the fixtures follow --randomly-seed"
    return header


def marker_options(item: pytest.Item) -> ThrillpotsMarker:
    """The merged ``thrillpots`` markers of ``item``, the closest first (function over class over module)."""
    merged: dict[str, Any] = {}
    known = [f.name for f in fields(ThrillpotsMarker)]
    for marker in item.iter_markers(MARKER):
        if marker.args:
            pytest.fail(
                f"@pytest.mark.{MARKER} takes keyword options only "
                f"({', '.join(f'{k}=...' for k in known)}), not {marker.args!r}",
                pytrace=False,
            )
        unknown = [key for key in marker.kwargs if key not in known]
        if unknown:
            pytest.fail(
                f"@pytest.mark.{MARKER} has no option {', '.join(unknown)}; its options are {', '.join(known)}",
                pytrace=False,
            )
        for key, value in marker.kwargs.items():
            merged.setdefault(key, value)
    try:
        return ThrillpotsMarker(**merged)
    except TypeError as exc:
        problem = str(exc)
    # Failing outside the except block keeps pytest from printing the TypeError as well.
    pytest.fail(f"@pytest.mark.{MARKER}: {problem}", pytrace=False)


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

"""The progress line: share done, rate and time left when the total is known; the count and rate when not."""

from __future__ import annotations

import io
import sys

import pytest

from pytest_thrillpots.cli._progress import Progress


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a terminal; set in the test itself, since pytest swaps the streams per phase."""
    screen = io.StringIO()
    screen.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setenv("COLUMNS", "100")
    return screen


def test_a_known_total_shows_the_share_the_rate_and_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _terminal(monkeypatch)
    clock = _Clock()
    progress = Progress("validated", "events", total=1_000_000, clock=clock)
    assert progress.line(0.0) == "validated 0 events [------------------------------]   0%  0 events/s"
    clock.now = 2.0
    progress.advance(48_000, 250_000)
    assert terminal.getvalue() == (
        "\rvalidated 48000 events [#######-----------------------]  25%  24.0k events/s  0:06 left\x1b[K"
    )
    clock.now = 4000.0
    assert progress.line(clock.now).endswith("  12 events/s  3:20:00 left")


def test_an_unknown_total_shows_the_count_and_the_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _terminal(monkeypatch)
    clock = _Clock()
    progress = Progress("validated", "events", clock=clock)
    clock.now = 0.5
    progress.advance(2_500_000, 10**9)
    assert terminal.getvalue() == "\rvalidated 2500000 events  5.0M events/s\x1b[K"


def test_it_is_drawn_at_most_every_fifth_of_a_second_and_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _terminal(monkeypatch)
    monkeypatch.setenv("COLUMNS", "30")
    clock = _Clock()
    progress = Progress("validated", "events", total=100, clock=clock)
    for step in range(10):
        clock.now = step * 0.05
        progress.advance(1)
    assert terminal.getvalue().count("\r") == 2  # at 0.2 s and 0.4 s
    assert all(len(part.removesuffix("\x1b[K")) <= 29 for part in terminal.getvalue().split("\r")[1:])


def test_clear_takes_the_line_away_only_when_it_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _terminal(monkeypatch)
    clock = _Clock()
    progress = Progress("validated", "events", total=10, clock=clock)
    progress.clear()
    assert terminal.getvalue() == ""
    clock.now = 1.0
    progress.advance(5)
    progress.clear()
    progress.clear()
    assert terminal.getvalue().endswith("left\x1b[K\r\x1b[K")


def test_nothing_is_drawn_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    clock = _Clock()
    progress = Progress("validated", "events", total=10, clock=clock)
    clock.now = 5.0
    progress.advance(10)
    progress.done()
    assert capsys.readouterr().err == ""


def test_a_terminal_that_fails_turns_the_line_off(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(io.StringIO):
        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(sys, "stderr", Broken())
    clock = _Clock()
    progress = Progress("validated", "events", clock=clock)
    clock.now = 1.0
    progress.advance(1)
    assert not progress.enabled

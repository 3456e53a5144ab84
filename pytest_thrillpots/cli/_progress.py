"""A progress line on stderr, drawn only when stderr is a terminal.

With a known total (the input files' size in bytes, or the number of events to write) it shows
the share done, the rate and the time left, in the style of tqdm::

    validated 24465 events [#########---------------------]  31%  8.2k events/s  0:07 left

Without one (a pipe) it shows the count and the rate. Whoever writes to the terminal clears the
line first (``clear``), so output never runs into it. A terminal that fails to take it turns it
off; progress is never worth an error.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from pytest_thrillpots.cli._common import isatty

_BAR = 30
_clock_now = time.monotonic
"""The clock progress lines read (a test sets its own)."""


class Progress:
    def __init__(
        self,
        verb: str,
        noun: str,
        total: int | None = None,
        *,
        every: float = 0.2,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.verb, self.noun, self.total = verb, noun, total
        self.count = 0
        self.done_units = 0
        """How far along the total: bytes read, or events written."""
        self.enabled = isatty(sys.stderr)
        self.every = every
        self.clock = clock or _clock_now
        self.started = self.clock()
        self._next = self.started + every
        self.shown = False

    def advance(self, count: int, units: int | None = None) -> None:
        """``count`` more items done, and ``units`` more of the total (the same as ``count`` if omitted)."""
        self.count += count
        self.done_units += count if units is None else units
        if self.enabled:
            now = self.clock()
            if now >= self._next:
                self._next = now + self.every
                self._draw(now)

    tick = advance

    def line(self, now: float) -> str:
        """The progress line as it reads at time ``now``."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.count / elapsed
        text = f"{self.verb} {self.count} {self.noun}"
        if self.total:
            share = min(self.done_units / self.total, 1.0)
            filled = int(_BAR * share)
            text += f" [{'#' * filled}{'-' * (_BAR - filled)}] {share:4.0%}"
        text += f"  {_si(rate)} {self.noun}/s"
        if self.total and self.done_units:
            left = elapsed * (self.total - self.done_units) / self.done_units
            text += f"  {_clock(left)} left"
        return text

    def _draw(self, now: float) -> None:
        width = _terminal_width()
        self._write("\r" + self.line(now)[:width] + "\x1b[K")
        self.shown = True

    def clear(self) -> None:
        """Take the line off the terminal before other output is written there."""
        if self.shown:
            self._write("\r\x1b[K")
            self.shown = False

    def done(self) -> None:
        """The last state stays on the terminal, as tqdm leaves it."""
        if self.enabled and self.count:
            now = self.clock()
            elapsed = now - self.started
            width = _terminal_width()
            text = f"{self.verb} {self.count} {self.noun} in {_clock(elapsed)} ({_si(self.count / max(elapsed, 1e-9))} {self.noun}/s)"
            self._write("\r" + text[:width] + "\x1b[K\n")
            self.shown = False

    def _write(self, text: str) -> None:
        try:
            sys.stderr.write(text)
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            self.enabled = self.shown = False


def _si(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def _clock(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _terminal_width() -> int:
    """The columns a progress line may fill (one fewer than the terminal has: no wrap at the edge)."""
    import shutil  # only with a terminal to draw on

    return shutil.get_terminal_size((80, 24)).columns - 1

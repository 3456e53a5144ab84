"""A progress line on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, verb: str, noun: str, total: int | None = None, *, every: float = 0.2) -> None:
        self.verb, self.noun, self.total = verb, noun, total
        self.count = 0
        self.enabled = sys.stderr.isatty()
        self.every = every
        self._next = time.monotonic() + every

    def tick(self, n: int = 1) -> None:
        self.count += n
        if self.enabled and time.monotonic() >= self._next:
            self._next = time.monotonic() + self.every
            self._draw()

    def _draw(self) -> None:
        if self.total:
            width = 30
            filled = int(width * self.count / self.total)
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r[{bar}] {self.verb} {self.count}/{self.total} {self.noun}")
        else:
            sys.stderr.write(f"\r{self.verb} {self.count} {self.noun}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.count:
            self._draw()
            sys.stderr.write("\n")
            sys.stderr.flush()

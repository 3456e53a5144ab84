"""``--jobs``: NDJSON chunks checked in worker processes, the results taken back in input order.

Each worker has its own pipe and at most one chunk at a time, so no worker holds more than a
chunk and the order of the results is the order of the chunks: the output, line numbers and
counts are those of one process. Workers ignore Ctrl-C; the main process stops them all. A
worker that dies (killed, out of memory) is an error naming the lines it had, never a gap.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from pytest_thrillpots.cli._common import UsageError
from pytest_thrillpots.validation._reader import Checks, Chunk, Tally, check_lines

Work = tuple[str, "Chunk | Tally"]
"""One input's label, and a chunk to check or records already checked."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class WorkerDied(UsageError):
    pass


def _serve(connection: Connection, checks: Checks) -> None:
    """A worker: check each chunk it is sent until told to stop (None) or its pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        data, first_line, bom = message
        connection.send(check_lines(data, first_line, checks, bom=bom))


class _Worker:
    def __init__(self, context: Any, checks: Checks, index: int) -> None:
        self.index = index
        self.connection, child = multiprocessing.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, checks), daemon=True, name=f"thrillpots-{index}")
        self.process.start()
        child.close()
        self.chunk: tuple[str, Chunk] | None = None

    def send(self, label: str, chunk: Chunk) -> None:
        self.chunk = (label, chunk)
        try:
            self.connection.send((chunk.data, chunk.first_line, chunk.bom))
        except OSError:
            raise self._died() from None

    def receive(self) -> Tally:
        try:
            tally: Tally = self.connection.recv()
        except (EOFError, OSError):
            raise self._died() from None
        self.chunk = None
        return tally

    def _died(self) -> WorkerDied:
        self.process.join(timeout=5)
        code = self.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        assert self.chunk is not None
        label, chunk = self.chunk
        return WorkerDied(
            f"worker process {self.index + 1} died ({how}) while checking {label} lines "
            f"{chunk.first_line}-{chunk.last_line}; those lines were not checked"
        )


def _context() -> Any:
    # fork starts a worker in milliseconds, with the validators already built; only safe while
    # this process runs a single thread, and only on Linux.
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover - macOS, Windows, threaded callers


class Workers:
    """``jobs`` worker processes, started on first use; a context manager that always stops them."""

    def __init__(self, jobs: int, checks: Checks) -> None:
        self.jobs, self.checks = jobs, checks
        self.workers: list[_Worker] = []

    def _start(self) -> None:
        context = _context()
        blocked = hasattr(signal, "pthread_sigmask")
        if blocked:  # a worker must not see a Ctrl-C before it has learnt to ignore it
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for index in range(self.jobs):
                self.workers.append(_Worker(context, self.checks, index))
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

    def checked(self, work: Iterable[Work]) -> Iterator[tuple[str, Chunk | None, Tally]]:
        """Each piece of work's label, chunk (None for records checked already) and tally, in order."""
        pending: deque[tuple[str, Chunk | None, Tally | _Worker]] = deque()
        free: deque[_Worker] = deque()
        for label, item in work:
            if isinstance(item, Tally):
                if pending:
                    pending.append((label, None, item))
                else:
                    yield label, None, item
                continue
            if not self.workers:
                self._start()
                free.extend(self.workers)
            while not free:
                yield from self._settle(pending, free)
            worker = free.popleft()
            worker.send(label, item)
            pending.append((label, item, worker))
        while pending:
            yield from self._settle(pending, free)

    @staticmethod
    def _settle(
        pending: deque[tuple[str, Chunk | None, Tally | _Worker]], free: deque[_Worker]
    ) -> Iterator[tuple[str, Chunk | None, Tally]]:
        """Hand back the oldest pending results, up to and including one a worker was busy with."""
        while pending:
            label, chunk, waiting = pending.popleft()
            if isinstance(waiting, Tally):
                yield label, chunk, waiting
                continue
            tally = waiting.receive()
            free.append(waiting)
            yield label, chunk, tally
            return

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        finished = error is None
        for worker in self.workers:
            if finished:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            else:
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=None if finished else 5)
            if worker.process.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self.workers.clear()

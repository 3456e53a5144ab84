"""``--jobs``: NDJSON chunks checked in worker processes, the results taken back in input order.

Each worker has a pipe for chunks and one for results, and at most two chunks at a time: one it
checks, one waiting (taken off the pipe by a thread of its own, so the main process never
waits to hand it over). The results are read back in the order the chunks were read, so the
output, line numbers and counts are those of one process, and memory holds a few chunks,
whatever the input. Workers ignore Ctrl-C; the main process stops them all. A worker that dies
(killed, out of memory) is an error naming the lines it had, never a gap.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from pytest_thrillpots.cli._common import UsageError
from pytest_thrillpots.spec import EVENT_TYPES
from pytest_thrillpots.validation._reader import Checks, Chunk, Tally, check_lines

Work = tuple[str, "Chunk | Tally"]
"""One input's label, and a chunk to check or records already checked."""

AHEAD = 2
"""Chunks a worker holds at most: the one it checks and the next."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class WorkerDied(UsageError):
    pass


def _serve(tasks: Connection, results: Connection, checks: Checks) -> None:
    """A worker: check each chunk it is sent until told to stop (None) or its pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    waiting: queue.Queue[tuple[bytes, int, bool] | None] = queue.Queue(maxsize=AHEAD - 1)

    def take() -> None:
        while True:
            try:
                header = tasks.recv()
                message = None if header is None else (tasks.recv_bytes(), *header)
            except (EOFError, OSError):
                message = None
            waiting.put(message)
            if message is None:
                return

    threading.Thread(target=take, daemon=True).start()
    while (message := waiting.get()) is not None:
        data, first_line, bom = message
        try:
            results.send(check_lines(data, first_line, checks, bom=bom))
        except OSError:  # the main process is gone
            return


class _Worker:
    def __init__(self, context: Any, checks: Checks, index: int) -> None:
        self.index = index
        child_tasks, self.tasks = multiprocessing.Pipe(duplex=False)
        self.results, child_results = multiprocessing.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(child_tasks, child_results, checks), daemon=True, name=f"thrillpots-{index + 1}"
        )
        self.process.start()
        child_tasks.close()
        child_results.close()
        self.assigned: deque[tuple[str, Chunk]] = deque()

    @property
    def has_room(self) -> bool:
        return len(self.assigned) < AHEAD

    def send(self, label: str, chunk: Chunk) -> None:
        self.assigned.append((label, chunk))
        try:
            self.tasks.send((chunk.first_line, chunk.bom))
            self.tasks.send_bytes(chunk.data)  # the bytes as they are: no pickled copy
        except OSError:
            raise self._died() from None

    def receive(self) -> Tally:
        try:
            tally: Tally = self.results.recv()
        except (EOFError, OSError):
            raise self._died() from None
        self.assigned.popleft()
        return tally

    def _died(self) -> WorkerDied:
        self.process.join(timeout=5)
        code = self.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        label, chunk = self.assigned[0]
        return WorkerDied(
            f"worker process {self.index + 1} died ({how}) while checking {label} lines "
            f"{chunk.first_line}-{chunk.last_line}; those lines and the rest of the input were not checked"
        )

    def close(self, *, finished: bool) -> None:
        if finished:
            with contextlib.suppress(OSError):
                self.tasks.send(None)
        else:
            self.process.terminate()
        self.process.join(timeout=None if finished else 5)
        if self.process.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
            self.process.kill()
            self.process.join()
        self.tasks.close()
        self.results.close()


def _context() -> Any:
    # fork starts a worker in milliseconds, with the validators already built; only safe while
    # this process runs a single thread, and only on Linux.
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover - macOS, Windows, threaded callers


def _warm(checks: Checks) -> None:
    """Build the validators and the identification table here, once, for forked workers to share."""
    from pytest_thrillpots.spec import identification
    from pytest_thrillpots.validation._validate import validate

    identification({})
    for name in (checks.event_type,) if checks.event_type else EVENT_TYPES:
        validate(
            {}, name, strict=checks.strict, allow_legacy_winners=checks.allow_legacy_winners, semantic=checks.semantic
        )


class Workers:
    """``jobs`` worker processes, started on first use; a context manager that always stops them."""

    def __init__(self, jobs: int, checks: Checks) -> None:
        self.jobs, self.checks = jobs, checks
        self.workers: list[_Worker] = []

    def _start(self) -> None:
        context = _context()
        if context.get_start_method() == "fork":
            _warm(self.checks)
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
        turn = 0
        for label, item in work:
            if isinstance(item, Tally):
                if pending:
                    pending.append((label, None, item))
                else:
                    yield label, None, item
                continue
            if not self.workers:
                self._start()
            while not any(worker.has_room for worker in self.workers):
                yield from self._settle(pending)
            while not self.workers[turn].has_room:
                turn = (turn + 1) % len(self.workers)
            worker = self.workers[turn]
            turn = (turn + 1) % len(self.workers)
            worker.send(label, item)
            pending.append((label, item, worker))
        while pending:
            yield from self._settle(pending)

    @staticmethod
    def _settle(pending: deque[tuple[str, Chunk | None, Tally | _Worker]]) -> Iterator[tuple[str, Chunk | None, Tally]]:
        """Hand back the oldest pending results, up to and including one a worker had."""
        while pending:
            label, chunk, waiting = pending.popleft()
            if isinstance(waiting, Tally):
                yield label, chunk, waiting
                continue
            yield label, chunk, waiting.receive()
            return

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        for worker in self.workers:
            worker.close(finished=error is None)
        self.workers.clear()

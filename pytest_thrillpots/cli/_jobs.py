"""``--jobs``: NDJSON chunks checked in worker processes, the results taken back in input order.

Each worker has a pipe for work and one for results, and at most two pieces of work at a time:
one it checks, one waiting (taken off the pipe by a thread of its own, so the main process
never waits to hand it over). A piece is a chunk of lines (from standard input) or, for a
regular file, a span of byte offsets that the worker reads itself, so the file's bytes never
go through a pipe; a span's lines are numbered once the lines before it are known. The
results are read back in input order, so the output, line numbers and counts are those of one
process, and memory holds a few chunks, whatever the input. Workers ignore Ctrl-C; the main process stops them all. A worker that dies
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
from pytest_thrillpots.validation._records import Checks, Chunk, Span, Tally, check_lines, check_span

Work = tuple[str, "Chunk | Span | Tally"]
"""One input's label (its path, for a span), and lines to check or records already checked."""
Result = tuple[str, "Chunk | Span | None", Tally, int]
"""The label, what was checked (None for records checked already), the tally, and the line breaks read."""

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
    """A worker: check each chunk or span it is sent until told to stop (None) or its pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    waiting: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=AHEAD - 1)

    def take() -> None:
        while True:
            try:
                header = tasks.recv()
                message = (tasks.recv_bytes(), *header[1:]) if header is not None and header[0] == "chunk" else header
            except (EOFError, OSError):
                message = None
            waiting.put(message)
            if message is None:
                return

    threading.Thread(target=take, daemon=True).start()
    while (message := waiting.get()) is not None:
        if message[0] == "span":
            _, path, start, end = message
            result = check_span(path, Span(start, end), checks)
        else:
            data, first_line, bom = message
            result = (check_lines(data, first_line, checks, bom=bom), data.count(b"\n"))
        try:
            results.send(result)
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
        self.assigned: deque[tuple[str, Chunk | Span]] = deque()

        self.dead = False
        """A send failed: the worker is gone. Said when its turn comes, after the results before it."""

    @property
    def has_room(self) -> bool:
        return len(self.assigned) < AHEAD and not self.dead

    def send(self, label: str, item: Chunk | Span) -> None:
        self.assigned.append((label, item))
        try:
            if isinstance(item, Span):
                self.tasks.send(("span", label, item.start, item.end))  # the worker reads the file itself
            else:
                self.tasks.send(("chunk", item.first_line, item.bom))
                self.tasks.send_bytes(item.data)  # the bytes as they are: no pickled copy
        except OSError:
            self.dead = True

    def receive(self) -> tuple[Tally, int]:
        if self.dead:
            raise self._died()
        try:
            result: tuple[Tally, int] = self.results.recv()
        except (EOFError, OSError):
            raise self._died() from None
        self.assigned.popleft()
        return result

    def _died(self) -> WorkerDied:
        self.process.join(timeout=5)
        code = self.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        label, item = self.assigned[0]
        first, last = (item.first_line, item.last_line) if isinstance(item, Chunk) else _span_lines(label, item)
        return WorkerDied(
            f"worker process {self.index + 1} died ({how}) while checking {label} lines {first}-{last}; "
            "those lines and the rest of the input were not checked"
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


def _span_lines(path: str, span: Span) -> tuple[int, int]:
    """The numbers of the first and last lines in ``span`` of ``path`` (counted afresh: this is for an error)."""
    before = inside = 0
    ends_a_line = True
    try:
        with open(path, "rb") as file:
            position = 0
            while position < span.end and (block := file.read(min(1 << 20, span.end - position))):
                split = max(0, min(len(block), span.start - position))
                before += block.count(b"\n", 0, split)
                inside += block.count(b"\n", split)
                ends_a_line = block.endswith(b"\n")
                position += len(block)
    except OSError:  # pragma: no cover - the file went away as well
        return 0, 0
    return before + 1, before + inside + (not ends_a_line)


def _context() -> Any:
    # fork starts a worker in milliseconds, with the validators already built; it is only safe
    # while this process runs a single thread (any thread: one started by an extension module
    # counts as much as a Python one), and only on Linux. Otherwise a fork server, itself
    # started with one thread, forks the workers.
    if sys.platform == "linux" and _threads() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pytest_thrillpots.validation._records"])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _threads() -> int:
    """The threads this process runs, as the kernel counts them (Python's count misses C threads)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # pragma: no cover - no /proc
        return threading.active_count() + 1


def _warm(checks: Checks) -> None:
    """Build what checking lines takes here, once, for forked workers to share: the short way,
    the identification table, and each type's collector for parsed events (what ``check_lines`` uses)."""
    from pytest_thrillpots.spec import identification
    from pytest_thrillpots.validation._lines import line_check
    from pytest_thrillpots.validation._validate import validate_parsed

    if not checks.semantic:
        line_check(checks.event_type)
    identification({})
    for name in (checks.event_type,) if checks.event_type else EVENT_TYPES:
        validate_parsed(
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

    def checked(self, work: Iterable[Work]) -> Iterator[Result]:
        """Each piece of work with its tally, in the order of the work."""
        pending: deque[tuple[str, Chunk | Span | None, Tally | _Worker]] = deque()
        turn = 0
        for label, item in work:
            if isinstance(item, Tally):
                if pending:
                    pending.append((label, None, item))
                else:
                    yield label, None, item, 0
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
    def _settle(pending: deque[tuple[str, Chunk | Span | None, Tally | _Worker]]) -> Iterator[Result]:
        """Hand back the oldest pending results, up to and including one a worker had."""
        while pending:
            label, item, waiting = pending.popleft()
            if isinstance(waiting, Tally):
                yield label, item, waiting, 0
                continue
            tally, breaks = waiting.receive()
            yield label, item, tally, breaks
            return

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        for worker in self.workers:
            worker.close(finished=error is None)
        self.workers.clear()

"""`thrillpots validate --jobs N`: the output of one process, in bounded memory; stopped and failed workers."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from _validation_samples import valid_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_thrillpots import EVENT_TYPES
from pytest_thrillpots.cli import main
from pytest_thrillpots.cli._jobs import cores
from pytest_thrillpots.validation import _reader

THRILLPOTS = [sys.executable, "-m", "pytest_thrillpots"]
GOOD = [orjson.dumps(valid_event(t)) for t in EVENT_TYPES]
BAD = [
    orjson.dumps({**valid_event("WinEvent"), "seed": "x"}),
    orjson.dumps({"instance_id": "i", "tx_credit_id": "t", "failed_payouts": []}),
    b'{"cut": ',
    b"[]",
    b"",
    b"\r",
    b'"text"',
    orjson.dumps([valid_event("OptInEvent"), 1]),
]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.sampled_from(GOOD + BAD), min_size=1, max_size=60),
    chunk=st.integers(1, 400),
    jobs=st.integers(2, 3),
    output=st.sampled_from(["text", "json"]),
)
def test_jobs_give_exactly_the_output_of_one_process(
    lines: list[bytes],
    chunk: int,
    jobs: int,
    output: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = b"".join(line + b"\n" for line in lines)
    path = tmp_path / "capture.ndjson"
    path.write_bytes(data)
    monkeypatch.setattr(_reader, "CHUNK_SIZE", chunk)  # many chunks, cut at many places
    one = _run(capsys, "--format", output, str(path))
    assert _run(capsys, "--format", output, "--jobs", str(jobs), str(path)) == one
    # Standard input too, with the path named the same way.
    _stdin(monkeypatch, data)
    piped = _run(capsys, "--format", output, "--jobs", str(jobs))
    assert piped == (one[0], one[1].replace(str(path), "<stdin>"), one[2])


def test_documents_and_several_inputs_keep_their_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "a.json"
    document.write_text('[\n  {"instance_id": "i", "failed_payouts": "x"},\n  {"kind": 1}\n]\n')
    lines = tmp_path / "b.ndjson"
    lines.write_bytes(b"".join(line + b"\n" for line in [*BAD, *GOOD] * 5))
    monkeypatch.setattr(_reader, "CHUNK_SIZE", 200)
    one = _run(capsys, str(document), str(lines), str(document))
    assert _run(capsys, "--jobs", "2", str(document), str(lines), str(document)) == one
    assert one[1].splitlines()[0].startswith(f"{document}:2: failed_payouts")


def test_auto_is_one_process_per_core(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "one.ndjson"
    path.write_bytes(GOOD[0] + b"\n")
    assert _run(capsys, "--jobs", "auto", str(path))[0] == 0
    assert cores() == len(os.sched_getaffinity(0))


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def _wait_for_children(pid: int, count: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = _children(pid)
        if len(children) >= count:
            return children
        time.sleep(0.05)
    raise AssertionError(f"no {count} worker processes after {timeout} s")


needs_proc_children = pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(), reason="needs Linux /proc children"
)

# Enough for three 1 MiB chunks, so both workers are given work.
LOAD = b"".join(line + b"\n" for line in GOOD) * 3000


@pytest.mark.slow
@needs_proc_children
def test_a_worker_that_dies_is_an_error_naming_its_lines_never_a_gap() -> None:
    process = subprocess.Popen(
        [*THRILLPOTS, "validate", "--jobs", "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdin is not None
    process.stdin.write(LOAD)
    process.stdin.flush()
    first, _ = _wait_for_children(process.pid, 2)[:2]
    os.kill(first, signal.SIGKILL)
    try:
        process.stdin.write(LOAD)
        process.stdin.close()
    except BrokenPipeError:
        pass  # it had stopped reading already
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert re.fullmatch(
        rb"thrillpots: error: worker process [12] died \(killed by signal 9\) while checking <stdin> lines "
        rb"\d+-\d+; those lines and the rest of the input were not checked\n",
        err,
    ), err
    assert b"checked " not in out  # no summary: the run did not check everything


@pytest.mark.slow
@needs_proc_children
def test_ctrl_c_stops_every_worker() -> None:
    process = subprocess.Popen(
        [*THRILLPOTS, "validate", "--jobs", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdin is not None
    process.stdin.write(LOAD)
    process.stdin.flush()
    workers = _wait_for_children(process.pid, 2)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole foreground group
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, b"")
    for worker in workers:
        assert not Path(f"/proc/{worker}").exists() or "zombie" in Path(f"/proc/{worker}/status").read_text()


MEASURE = """
import contextlib, io, resource, sys
from pytest_thrillpots.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(code, own, workers, out.getvalue().splitlines()[-1], sep="|")
"""


@pytest.mark.slow
def test_memory_stays_flat_on_a_1_gib_capture_with_two_workers(tmp_path: Path) -> None:
    """Issue 10: neither the main process nor a worker grows with the input: 1 GiB costs what 1 MiB does."""
    block = (
        b"".join(line + b"\n" for line in GOOD * 200) + orjson.dumps({**valid_event("WinEvent"), "seed": "x"}) + b"\n"
    )
    free = shutil.disk_usage(tmp_path).free
    if free < 3 << 30:
        pytest.skip(f"1 GiB capture needs 3 GiB free in {tmp_path}, {free >> 20} MiB are")
    big = tmp_path / "big.ndjson"
    with big.open("wb") as out:
        for _ in range((1 << 30) // len(block) + 1):
            out.write(block)
    small = tmp_path / "small.ndjson"
    small.write_bytes(block)

    def measure(path: Path) -> tuple[int, int, int, str]:
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, "validate", "--jobs", "2", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        code, own, workers, summary = result.stdout.strip().split("|")
        return int(code), int(own), int(workers), summary

    _, own_small, workers_small, _ = measure(small)
    code, own, workers, summary = measure(big)
    assert big.stat().st_size >= 1 << 30
    assert code == 1 and summary.startswith("checked ")
    assert own - own_small < 40, f"main process: {own} MB vs {own_small} MB for a small file"
    assert workers - workers_small < 40, f"workers: {workers} MB vs {workers_small} MB for a small file"


def test_a_worker_process_never_sees_ctrl_c_before_it_ignores_it() -> None:
    """The workers start with SIGINT blocked, so Ctrl-C during start-up reaches the main process only."""
    from pytest_thrillpots.cli._jobs import Workers
    from pytest_thrillpots.validation._records import Checks, Chunk

    with Workers(1, Checks()) as workers:
        results: list[Any] = list(workers.checked([("x", Chunk(GOOD[0] + b"\n", 1))]))
        (worker,) = workers.workers
        status = Path(f"/proc/{worker.process.pid}/status").read_text() if sys.platform == "linux" else ""
    assert results[0][2].valid == 1
    if status:
        ignored = int(re.search(r"SigIgn:\s*([0-9a-f]+)", status)[1], 16)  # type: ignore[index]
        assert ignored & (1 << (signal.SIGINT - 1))


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_worker_that_dies_on_a_file_names_the_lines_it_had(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers read a file's spans themselves; one that dies on lines 12-21 says so, and nothing after is claimed."""
    from pytest_thrillpots.cli import _jobs

    good = b'{"instance_id":"i","failed_payouts":[]}\n'  # 40 bytes
    bad = b'{"instance_id":"i","failed_payouts":"x"}\n'  # 41 bytes
    lines = [good.replace(b'"i"', b'"ii"')] * 40  # 41 bytes each
    lines[4] = lines[14] = bad
    path = tmp_path / "capture.ndjson"
    path.write_bytes(b"".join(lines))
    real = _jobs.check_span

    def dies_on_the_second_span(file: str, span: Any, checks: Any) -> Any:
        if span.start == 41 + 410:
            os._exit(3)
        return real(file, span, checks)

    monkeypatch.setattr(_jobs, "check_span", dies_on_the_second_span)  # forked workers see it
    monkeypatch.setattr(_jobs, "_threads", lambda: 1)  # fork here too, though the test runner has threads
    monkeypatch.setattr(_reader, "CHUNK_SIZE", 410)  # ten lines a span
    code, out, err = _run(capsys, "--jobs", "2", str(path))
    assert (code, out) == (
        2,
        f'{path}:5: failed_payouts: expected array of PayoutRecord objects, got string "x" [type]\n',
    )
    assert err == (
        f"thrillpots: error: worker process 1 died (exit status 3) while checking {path} lines 12-21; "
        "those lines and the rest of the input were not checked\n"
    )


def test_spans_and_chunks_number_lines_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Workers read a file themselves (spans); its line numbers are those of one process reading it."""
    lines = [*GOOD, *BAD] * 400
    path = tmp_path / "capture.ndjson"
    path.write_bytes(b"".join(line + b"\n" for line in lines) + GOOD[0])  # no line break at the end
    one = _run(capsys, "--format", "json", str(path))
    assert _run(capsys, "--format", "json", "--jobs", "2", str(path)) == one
    assert json.loads(one[1])["checked"] > 4000


def test_a_process_running_threads_never_forks_its_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """fork copies one thread of many (a deadlock waiting to happen): then a fork server starts workers."""
    from pytest_thrillpots.cli import _jobs

    monkeypatch.setattr(_jobs, "_threads", lambda: 2)
    assert _jobs._context().get_start_method() == "forkserver"
    monkeypatch.setattr(_jobs, "_threads", lambda: 1)
    assert _jobs._context().get_start_method() == "fork"


def test_threads_are_counted_as_the_kernel_sees_them() -> None:
    from pytest_thrillpots.cli import _jobs

    before = _jobs._threads()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _jobs._threads() == before + 1
    finally:
        stop.set()
        thread.join()

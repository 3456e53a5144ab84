"""What installing the plugin costs a repo that does not use it: pytest start-up, with and without.

Runs ``pytest --collect-only`` on a one-test project, alternating with the plugin and with
``-p no:thrillpots``, and prints the median difference of the CPU time the child process used
(less disturbed than wall time by other work on the machine). Target: <= 20 ms. Faker's and
pact-python's own pytest plugins are left out of both runs, since Faker's imports Faker and an
accidental heavy import by this plugin would hide behind it; a third run loads them, to show
what a repository that installs this package sees in all. The other installed plugins (the
dev extras') are left out of every run: they only add noise. Byte code is cached (in a temporary directory), as it is for
an installed package: with ``PYTHONDONTWRITEBYTECODE`` set, every start-up would compile the
plugin's modules from source.
Run: ``python benchmarks/bench_startup.py``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROUNDS = 41
TARGET_MS = 20.0
DEPENDENCY_PLUGINS = ("faker", "pact")
"""The pytest plugins that Faker and pact-python, which this package requires, register themselves."""
OTHER_PLUGINS = ("randomly", "hypothesispytest", "xdist", "xdist.looponfail", "platformdirs")
QUIET = tuple(arg for name in (*OTHER_PLUGINS, "cacheprovider") for arg in ("-p", f"no:{name}"))
WITHOUT_DEPENDENCY_PLUGINS = tuple(arg for name in DEPENDENCY_PLUGINS for arg in ("-p", f"no:{name}"))


def startup_seconds(project: Path, env: dict[str, str], *extra: str) -> float:
    """CPU seconds (user + system) of one pytest start-up in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *QUIET, *extra],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        project = Path(directory)
        (project / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
        # Byte code cached as in an installed package (pip compiles it), not beside the sources.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(directory, "pycache"))
        startup_seconds(project, env)  # warm the caches
        with_plugin: list[float] = []
        without: list[float] = []
        installed: list[float] = []
        for _ in range(ROUNDS):
            with_plugin.append(startup_seconds(project, env, *WITHOUT_DEPENDENCY_PLUGINS))
            without.append(startup_seconds(project, env, *WITHOUT_DEPENDENCY_PLUGINS, "-p", "no:thrillpots"))
            installed.append(startup_seconds(project, env))
    on, off, all_on = statistics.median(with_plugin), statistics.median(without), statistics.median(installed)
    difference_ms = (on - off) * 1000
    print(f"medians of {ROUNDS} interleaved runs of pytest --collect-only on a one-test project (CPU time)")
    print(f"with the plugin / without: {on / off:.3f}")
    met = difference_ms <= TARGET_MS
    print(f"the plugin adds {difference_ms:.1f} ms (target <= {TARGET_MS:.0f} ms: {'met' if met else 'NOT MET'})")
    # Not this plugin's doing, but what a repository that installs it sees: reported, not judged.
    print(
        f"with the plugins Faker and pact-python register themselves, installing adds {(all_on - off) * 1000:.1f} ms "
        f"(ratio {all_on / off:.3f}); '-p no:faker -p no:pact' takes those away"
    )
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()

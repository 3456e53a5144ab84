"""What the running pytest session hands down to the library: its pact directory.

The plugin sets it at configure time and clears it at unconfigure; the library never imports
the plugin. Standard library only, so setting it costs the plugin nothing.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_PACT_DIR = "pacts"

_session_pact_dir: Path | None = None


def set_session_pact_dir(path: Path | None) -> None:
    """Called by the plugin: ``path`` while a session runs, None after it."""
    global _session_pact_dir
    _session_pact_dir = path


def default_pact_dir() -> Path:
    """The pact directory of the running pytest session (``--thrillpots-pact-dir``), else ``pacts``."""
    return _session_pact_dir or Path(DEFAULT_PACT_DIR)

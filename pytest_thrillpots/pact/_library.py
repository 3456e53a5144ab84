"""pact-python, imported on first use with a clear error if it is missing."""

from __future__ import annotations

import os
from types import ModuleType


def pact_library() -> ModuleType:
    """The ``pact`` module (pact-python 4.x), with Pact's telemetry off."""
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    try:
        import pact
    except ImportError as exc:
        raise ImportError(
            "the Pact features of pytest-thrillpots need pact-python 4.x: pact-python is not installed. "
            "Install it with: pip install 'pact-python>=4.2,<5'"
        ) from exc
    return pact

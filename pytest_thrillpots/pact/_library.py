"""pact-python, imported on first use with a clear error where it cannot be installed."""

from __future__ import annotations

import os
import sys
from types import ModuleType


def pact_library() -> ModuleType:
    """The ``pact`` module (pact-python 4.x), with Pact's telemetry off."""
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    try:
        import pact
    except ImportError as exc:
        where = (
            f"pact-python 4.x needs Python 3.11 or newer and this is Python {sys.version_info[0]}.{sys.version_info[1]}"
            if sys.version_info < (3, 11)
            else "pact-python is not installed"
        )
        raise ImportError(
            f"the Pact features of pytest-thrillpots need pact-python 4.x: {where}. "
            "Install it with: pip install 'pact-python>=4.2,<5' (on Python 3.11+)"
        ) from exc
    return pact

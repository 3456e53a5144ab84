"""pact-python is imported on first use, with telemetry off and a clear error if it is missing."""

from __future__ import annotations

import builtins
import sys
from typing import Any

import pytest

from pytest_thrillpots.pact._library import pact_library


def test_the_pact_library_is_pact_python_with_telemetry_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PACT_DO_NOT_TRACK", raising=False)
    assert hasattr(pact_library(), "Verifier")
    import os

    assert os.environ["PACT_DO_NOT_TRACK"] == "true"


def test_without_pact_python_the_error_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pact(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pact":
            raise ImportError("No module named 'pact'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pact)
    monkeypatch.delitem(sys.modules, "pact", raising=False)
    with pytest.raises(ImportError) as error:
        pact_library()
    assert str(error.value) == (
        "the Pact features of pytest-thrillpots need pact-python 4.x: pact-python is not installed. "
        "Install it with: pip install 'pact-python>=4.2,<5'"
    )

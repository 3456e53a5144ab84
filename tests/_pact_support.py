"""Shared by the Pact tests: where the examples and the committed pacts are."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
PACTS = REPO / "contracts" / "pacts"
EXAMPLES = REPO / "examples"
CONSUMERS = ("crm", "lobby_widget", "payout_ops", "wallet_service")
PRODUCER_DIR = EXAMPLES / "producer"


def reference_producer() -> ModuleType:
    """The reference producer's ``pact_provider`` module (examples/producer)."""
    if str(PRODUCER_DIR) not in sys.path:
        sys.path.insert(0, str(PRODUCER_DIR))
    return importlib.import_module("thrillpots_producer.pact_provider")

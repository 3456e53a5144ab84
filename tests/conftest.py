from __future__ import annotations

import os

pytest_plugins = ["pytester"]

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

from __future__ import annotations

import os

from hypothesis import settings

pytest_plugins = ["pytester"]

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

# The CI gate replays a fixed set of examples so it cannot flake; local runs keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("THRILLPOTS_HYPOTHESIS_PROFILE", "default"))

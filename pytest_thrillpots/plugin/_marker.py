"""The one marker, ``@pytest.mark.thrillpots(...)``: its keyword-only options class and their merge."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pytest

MARKER = "thrillpots"


@dataclass(frozen=True, kw_only=True)
class ThrillpotsMarker:
    """The options of ``@pytest.mark.thrillpots(seed=..., strict=..., consumer=..., provider=...)``."""

    seed: int | None = None
    """This test's seed, instead of the one derived from the session seed and its node id."""
    strict: bool | None = None
    """Raise when an event the fixtures build is invalid (default: the ini option thrillpots_strict)."""
    consumer: str | None = None
    """The consumer the ``thrillpots_pact`` fixture writes the pact for (default: the ini option
    thrillpots_consumer)."""
    provider: str | None = None
    """The provider of that pact (default: ``thrillpots``)."""

    def __post_init__(self) -> None:
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0):
            raise TypeError(f"seed must be a whole number >= 0, not {self.seed!r}")
        if self.strict is not None and not isinstance(self.strict, bool):
            raise TypeError(f"strict must be True or False, not {self.strict!r}")
        for name in ("consumer", "provider"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise TypeError(f"{name} must be a service name (a non-empty string), not {value!r}")


MARKER_HELP = (
    f"{MARKER}(*, seed=None, strict=None, consumer=None, provider=None): options of the thrillpots "
    "fixtures for this test: seed fixes the test's seed; strict=True makes an invalid built event an "
    "error; consumer and provider name the pact the thrillpots_pact fixture writes"
)


def marker_options(item: pytest.Item) -> ThrillpotsMarker:
    """The merged ``thrillpots`` markers of ``item``, the closest first (function over class over module)."""
    merged: dict[str, Any] = {}
    known = [f.name for f in fields(ThrillpotsMarker)]
    for marker in item.iter_markers(MARKER):
        if marker.args:
            pytest.fail(
                f"@pytest.mark.{MARKER} takes keyword options only "
                f"({', '.join(f'{k}=...' for k in known)}), not {marker.args!r}",
                pytrace=False,
            )
        unknown = [key for key in marker.kwargs if key not in known]
        if unknown:
            pytest.fail(
                f"@pytest.mark.{MARKER} has no option {', '.join(unknown)}; its options are {', '.join(known)}",
                pytrace=False,
            )
        for key, value in marker.kwargs.items():
            merged.setdefault(key, value)
    try:
        return ThrillpotsMarker(**merged)
    except TypeError as exc:
        problem = str(exc)
    # Failing outside the except block keeps pytest from printing the TypeError as well.
    pytest.fail(f"@pytest.mark.{MARKER}: {problem}", pytrace=False)

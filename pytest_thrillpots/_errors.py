"""One exception hierarchy: every message says what was wrong and how to fix it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar


class ThrillpotsError(Exception):
    """Base class of every error pytest-thrillpots raises on purpose."""


class UnknownEventTypeError(ThrillpotsError, ValueError):
    """An event type name that is not one of the six ThrillPots events."""


class UnknownFieldError(ThrillpotsError, ValueError):
    """A field path that the spec does not have."""


class IdentifyError(ThrillpotsError, ValueError):
    """A payload whose event type cannot be told from its fields."""


class UnknownTraitError(ThrillpotsError, ValueError):
    """A factory trait (or trait parameter) that the factory does not have."""


class InvalidEventError(ThrillpotsError, ValueError):
    """A built event that breaks the spec where the caller asked for valid events only."""


class PactDefinitionError(ThrillpotsError, ValueError):
    """A consumer's Pact expectation that cannot become a valid interaction."""


class PactVerificationError(ThrillpotsError):
    """verify_pacts() cannot run: no pact files, a bad source, a broker without a URL."""


class PactFileError(PactVerificationError, ValueError):
    """A pact document that cannot be read: not JSON, not a pact, a matching rule no verifier reads."""


class ContractSourceError(ThrillpotsError, ValueError):
    """Contracts that cannot be read: a missing directory, a bad git ref, an unreadable document."""


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    import difflib  # only for a mistake, never on the way of a valid call

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    matches = close_matches(word, candidates)
    if not matches:
        return ""
    return " Did you mean " + " or ".join(repr(m) for m in matches) + "?"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def raised_at_the_call(helper: Callable[_P, _R]) -> Callable[_P, _R]:
    """A mistake in the call (an unknown event type, field or trait) shows in the user's test, not in our code."""

    @functools.wraps(helper)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        __tracebackhide__ = True
        try:
            return helper(*args, **kwargs)
        except ThrillpotsError as exc:
            raise exc.with_traceback(None) from None

    return call

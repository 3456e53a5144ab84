"""Pact Broker settings: where the pacts for verification come from, authenticated fetches, publishing results."""

from __future__ import annotations

import base64
import functools
import http.client
import inspect
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Final, TypeVar

from pytest_thrillpots._errors import PactVerificationError, did_you_mean

FETCH_TIMEOUT: Final = 30.0
"""Seconds to wait for a pact URL or the Pact Broker when reading the pacts' event types."""

_Class = TypeVar("_Class", bound=type)


def unknown_setting(owner: str, key: str, known: Sequence[str]) -> str:
    """The message for a setting ``owner`` does not have: the close match, and every setting."""
    return f"{owner} has no setting {key!r}.{did_you_mean(key, known)} Its settings: {', '.join(known)}"


def named_settings(cls: _Class) -> _Class:
    """Make a misspelt keyword of the dataclass ``cls`` a ``TypeError`` naming the right one.

    (The dataclass's own ``__init__`` says only "unexpected keyword argument".)
    """
    init = vars(cls)["__init__"]
    known = [f.name for f in fields(cls)]

    @functools.wraps(init)
    def checked_init(self: Any, *args: Any, **kwargs: Any) -> None:
        for key in kwargs:
            if key not in known:
                raise TypeError(unknown_setting(f"{cls.__name__}()", key, known))
        init(self, *args, **kwargs)

    setattr(cls, "__init__", checked_init)  # noqa: B010 - mypy refuses an assignment to a method
    return cls


def selector_keys() -> list[str] | None:
    """The keywords of pact-python's ``BrokerSelectorBuilder.consumer_version``; None without pact-python."""
    try:
        from pact.verifier import BrokerSelectorBuilder
    except ImportError:  # pragma: no cover - pact-python needs Python 3.11; verify_pacts says so itself
        return None
    parameters = inspect.signature(BrokerSelectorBuilder.consumer_version).parameters
    return [name for name, parameter in parameters.items() if parameter.kind is inspect.Parameter.KEYWORD_ONLY]


def check_selectors(selectors: object) -> None:
    """Consumer version selectors: a list of dicts of ``consumer_version`` keywords, or a TypeError saying what to write."""
    if isinstance(selectors, (str, bytes, Mapping)) or not isinstance(selectors, Sequence):
        raise TypeError(
            "PactBroker(selectors=...) takes a list of consumer version selectors, e.g. "
            f"[{{'main_branch': True}}, {{'deployed_or_released': True}}], not {selectors!r}"
        )
    known = selector_keys()
    for selector in selectors:
        if not isinstance(selector, Mapping):
            raise TypeError(f"a consumer version selector is a dict such as {{'main_branch': True}}, not {selector!r}")
        for key in selector:
            if known is not None and key not in known:
                raise TypeError(
                    f"the consumer version selector {dict(selector)!r} has no key {key!r}."
                    f"{did_you_mean(str(key), known)} Its keys: {', '.join(known)}"
                )


@named_settings
@dataclass(frozen=True)
class PactBroker:
    """Where to fetch pacts from, and which ones (``broker=`` of ``verify_pacts``).

    Each credential defaults to its standard environment variable: ``PACT_BROKER_BASE_URL``,
    ``PACT_BROKER_TOKEN``, ``PACT_BROKER_USERNAME``, ``PACT_BROKER_PASSWORD``. ``selectors``
    are consumer version selectors, written as keyword arguments of pact-python's
    ``BrokerSelectorBuilder.consumer_version`` (``{"main_branch": True}``,
    ``{"deployed_or_released": True}``, ``{"branch": "feat-x", "consumer": "crm"}``).
    """

    url: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_BASE_URL"))
    token: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_TOKEN"), repr=False)
    username: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_USERNAME"))
    password: str | None = field(default_factory=lambda: os.environ.get("PACT_BROKER_PASSWORD"), repr=False)
    selectors: Sequence[Mapping[str, Any]] = ({"main_branch": True}, {"deployed_or_released": True})
    include_pending: bool = True
    """Pending pacts (new expectations the provider has never passed) are verified, but their
    failures do not fail the build."""
    include_wip_since: date | str | None = None
    """Also verify work-in-progress pacts published since this date."""
    provider_branch: str | None = None
    provider_tags: Sequence[str] = ()

    def __post_init__(self) -> None:
        # Said where the settings are written, not when the verifier runs.
        check_selectors(self.selectors)
        if isinstance(self.provider_tags, (str, bytes)) or not isinstance(self.provider_tags, Sequence):
            raise TypeError(f"PactBroker(provider_tags=...) takes a list of tags, not {self.provider_tags!r}")

    def add_to(self, verifier: Any) -> None:
        if not self.url:
            raise PactVerificationError(
                "no Pact Broker URL: set PACT_BROKER_BASE_URL or pass PactBroker(url='https://...')"
            )
        if self.token:
            builder = verifier.broker_source(self.url, token=self.token, selector=True, use_env=False)
        else:
            builder = verifier.broker_source(
                self.url, username=self.username, password=self.password, selector=True, use_env=False
            )
        if self.include_pending:
            builder.include_pending()
        if self.include_wip_since is not None:
            builder.include_wip_since(self.include_wip_since)
        if self.provider_branch:
            builder.provider_branch(self.provider_branch)
        if self.provider_tags:
            builder.provider_tags(*self.provider_tags)
        for selector in self.selectors:
            builder.consumer_version(**selector)
        builder.build()

    def auth_headers(self) -> dict[str, str]:
        """The ``Authorization`` header for the broker's credentials (none without them)."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.username:
            pair = f"{self.username}:{self.password or ''}".encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}
        return {}

    def for_verification(self, provider_branch: str | None = None) -> dict[str, Any]:
        """The body of the broker's "pacts for verification" request, as the verifier sends it.

        ``provider_branch``: the branch being published, when this broker setting names none
        (pact-python falls back to it the same way).
        """
        body: dict[str, Any] = {
            "consumerVersionSelectors": [
                {_camel_case(key): value for key, value in selector.items() if value is not None}
                for selector in self.selectors
            ],
            "includePendingStatus": self.include_pending,
        }
        if self.include_wip_since is not None:
            since = self.include_wip_since
            body["includeWipPactsSince"] = since.isoformat() if isinstance(since, date) else str(since)
        branch = self.provider_branch or provider_branch
        if branch:
            body["providerVersionBranch"] = branch
        if self.provider_tags:
            body["providerVersionTags"] = list(self.provider_tags)
        return body


def _camel_case(name: str) -> str:
    """``deployed_or_released`` -> ``deployedOrReleased``: the broker's name of a selector key."""
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


@named_settings
@dataclass(frozen=True)
class PublishResults:
    """Publish the verification results to the broker (``publish=`` of ``verify_pacts``)."""

    version: str
    """The provider version: the commit SHA, as ``can-i-deploy`` will look it up."""
    branch: str | None = None
    build_url: str | None = None
    tags: Sequence[str] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not self.version.strip():
            raise TypeError(
                f"PublishResults(version=...) is the provider version (the commit SHA), not {self.version!r}"
            )
        if isinstance(self.tags, (str, bytes)) or not isinstance(self.tags, Sequence):
            raise TypeError(f"PublishResults(tags=...) takes a list of tags, not {self.tags!r}")

    def add_to(self, verifier: Any) -> None:
        verifier.set_publish_options(self.version, url=self.build_url, branch=self.branch, tags=list(self.tags))


@dataclass(frozen=True)
class Remote:
    """A URL without the credentials written into it, and the headers that authenticate it."""

    url: str
    headers: Mapping[str, str]
    verifier_auth: Mapping[str, str | None]
    """The same credentials as ``Verifier.add_source`` keywords."""

    @classmethod
    def of(cls, url: str, credentials: PactBroker) -> Remote:
        parts = urllib.parse.urlsplit(url)
        if parts.username is None and not _same_origin(url, credentials.url):
            # The broker's credentials go to the broker only, never to another host.
            return cls(url, {}, {})
        if parts.username is None:
            auth: dict[str, str | None] = {"token": credentials.token} if credentials.token else {}
            if not auth and credentials.username:
                auth = {"username": credentials.username, "password": credentials.password}
            return cls(url, credentials.auth_headers(), auth)
        # Credentials in the URL win, as with the verifier; urllib does not read them itself.
        bare = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        in_url = PactBroker(
            url=None,
            token=None,
            username=urllib.parse.unquote(parts.username),
            password=urllib.parse.unquote(parts.password or ""),
        )
        return cls(bare, in_url.auth_headers(), {})


def _same_origin(url: str, broker_url: str | None) -> bool:
    if not broker_url:
        return False
    mine, broker = urllib.parse.urlsplit(url), urllib.parse.urlsplit(broker_url)
    return (mine.scheme, mine.hostname, mine.port) == (broker.scheme, broker.hostname, broker.port)


def fetch_json(url: str, headers: Mapping[str, str], body: object = None) -> Any:
    """GET (or, with a body, POST) a JSON document; raises ``FetchError`` saying why it failed."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={
            "Accept": "application/hal+json, application/json",
            **({"Content-Type": "application/json"} if data is not None else {}),
            **headers,
        },
        method="GET" if data is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        hint = " (check the credentials)" if exc.code in (401, 403) else ""
        raise FetchError(f"HTTP {exc.code} {exc.reason}{hint}") from None
    except urllib.error.URLError as exc:
        raise FetchError(str(exc.reason)) from None
    except RecursionError:
        raise NestedTooDeep("the response nests arrays and objects more deeply than a JSON reader follows") from None
    except ValueError as exc:
        raise FetchError(f"the response is not JSON ({exc})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(str(exc) or type(exc).__name__) from None


class FetchError(Exception):
    """Why a URL could not be read."""


class NestedTooDeep(FetchError):
    """The response is JSON nested deeper than Python's JSON reader follows."""


def broker_pacts(broker: PactBroker, provider: str, provider_branch: str | None = None) -> list[object]:
    """The pacts the broker will hand the verifier (its "pacts for verification"), read to route messages.

    A broker that cannot be read here is not fatal: the verifier fetches the pacts itself, and
    their messages fall back to the other ways of routing; a warning says so.
    """
    assert broker.url
    base = broker.url.rstrip("/")
    url = f"{base}/pacts/provider/{urllib.parse.quote(provider, safe='')}/for-verification"
    headers = broker.auth_headers()
    fallback = (
        "their messages are routed by an event type leading the description, or to the producer's only event type, "
        "and fail naming the description otherwise"
    )
    try:
        found = fetch_json(url, headers, broker.for_verification(provider_branch))
        links = [str(pact["_links"]["self"]["href"]) for pact in found["_embedded"]["pacts"]]
    except FetchError as exc:
        warnings.warn(f"cannot read the pacts for verification from {url}: {exc}; {fallback}", stacklevel=3)
        return []
    except (KeyError, TypeError):
        warnings.warn(
            f"the pacts for verification from {url} are not the broker's HAL document "
            f"(_embedded.pacts[*]._links.self.href); {fallback}",
            stacklevel=3,
        )
        return []
    pacts = []
    for link in links:
        try:
            pacts.append(fetch_json(link, headers))
        except FetchError as exc:
            warnings.warn(f"cannot read the pact {link} from the broker: {exc}; {fallback}", stacklevel=3)
    return pacts


_Settings = TypeVar("_Settings", PactBroker, PublishResults)


def coerce_settings(kind: type[_Settings], name: str, value: object) -> _Settings | None:
    """``broker=``/``publish=`` as their dataclass, given as one or as a dict of its fields."""
    if value is None or value is False:
        return None
    if isinstance(value, kind):
        return value
    if isinstance(value, Mapping):
        known = [f.name for f in fields(kind)]
        for key in value:
            if key not in known:
                raise TypeError(unknown_setting(f"{name}=", str(key), known))
        return kind(**value)
    raise TypeError(f"{name}= takes {kind.__name__}(...) or a dict of its settings, not {type(value).__name__}")

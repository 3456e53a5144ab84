"""Pact Broker settings: every misspelt setting or selector key names the right one, in every form."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pact.verifier import BrokerSelectorBuilder

from pytest_thrillpots.pact import PactBroker, PublishResults
from pytest_thrillpots.pact._broker import NestedTooDeep, coerce_settings, fetch_json, selector_keys

BROKER_SETTINGS = (
    "url, token, username, password, selectors, include_pending, include_wip_since, provider_branch, provider_tags"
)
SELECTOR_KEYS = (
    "consumer, tag, fallback_tag, latest, deployed_or_released, deployed, released, environment, main_branch, branch, "
    "matching_branch, fallback_branch"
)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: PactBroker(selectorz=[{"main_branch": True}]), f"PactBroker() has no setting 'selectorz'. Did you mean 'selectors'? Its settings: {BROKER_SETTINGS}"),
        (lambda: coerce_settings(PactBroker, "broker", {"selectorz": []}), f"broker= has no setting 'selectorz'. Did you mean 'selectors'? Its settings: {BROKER_SETTINGS}"),
        (lambda: PactBroker(selectors=[{"main_brnach": True}]), f"the consumer version selector {{'main_brnach': True}} has no key 'main_brnach'. Did you mean 'main_branch' or 'matching_branch'? Its keys: {SELECTOR_KEYS}"),
        (lambda: coerce_settings(PactBroker, "broker", {"selectors": [{"brnch": "feat-x"}]}), f"the consumer version selector {{'brnch': 'feat-x'}} has no key 'brnch'. Did you mean 'branch' or 'main_branch'? Its keys: {SELECTOR_KEYS}"),
        (lambda: PactBroker(selectors={"main_branch": True}), "PactBroker(selectors=...) takes a list of consumer version selectors, e.g. [{'main_branch': True}, {'deployed_or_released': True}], not {'main_branch': True}"),
        (lambda: PactBroker(selectors=["main_branch"]), "a consumer version selector is a dict such as {'main_branch': True}, not 'main_branch'"),
        (lambda: PactBroker(provider_tags="prod"), "PactBroker(provider_tags=...) takes a list of tags, not 'prod'"),
        (lambda: PublishResults(versoin="abc123"), "PublishResults() has no setting 'versoin'. Did you mean 'version'? Its settings: version, branch, build_url, tags"),
        (lambda: coerce_settings(PublishResults, "publish", {"versoin": "abc123"}), "publish= has no setting 'versoin'. Did you mean 'version'? Its settings: version, branch, build_url, tags"),
        (lambda: PublishResults(""), "PublishResults(version=...) is the provider version (the commit SHA), not ''"),
        (lambda: PublishResults("abc123", tags="main"), "PublishResults(tags=...) takes a list of tags, not 'main'"),
    ],
)  # fmt: skip
def test_a_misspelt_or_misshapen_setting_is_a_type_error_naming_the_fix(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(TypeError) as error:
        make()
    assert str(error.value) == message


def test_the_selector_keys_are_pact_pythons_own() -> None:
    parameters = inspect.signature(BrokerSelectorBuilder.consumer_version).parameters
    assert selector_keys() == [name for name in parameters if name != "self"]
    assert ", ".join(selector_keys() or []) == SELECTOR_KEYS


@settings(max_examples=40, deadline=None)
@given(
    selectors=st.lists(
        st.dictionaries(st.sampled_from(SELECTOR_KEYS.split(", ")), st.one_of(st.just(True), st.text(max_size=5)), min_size=1),
        max_size=3,
    )
)  # fmt: skip
def test_every_selector_of_pact_pythons_keys_is_accepted_in_both_forms(selectors: list[dict[str, Any]]) -> None:
    assert PactBroker(url="https://broker.example", selectors=selectors).selectors == selectors
    broker = coerce_settings(PactBroker, "broker", {"url": "https://broker.example", "selectors": selectors})
    assert broker is not None and broker.selectors == selectors


def test_the_settings_keep_their_signature_for_editors_and_docs() -> None:
    assert list(inspect.signature(PactBroker).parameters) == BROKER_SETTINGS.split(", ")
    assert list(inspect.signature(PublishResults).parameters) == ["version", "branch", "build_url", "tags"]


def test_a_fetched_document_nested_past_the_json_reader_is_a_fetch_error(tmp_path: Path) -> None:
    """Never a RecursionError out of verify_pacts or diff: the reason, as for any unreadable response."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(NestedTooDeep) as error:
        fetch_json(deep.as_uri(), {})
    assert str(error.value) == "the response nests arrays and objects more deeply than a JSON reader follows"

"""False greens: nothing the verifier did not check is ever reported verified, nothing is dropped unsaid.

The Pact verifier passes an interaction whose pact has no message contents (it compares nothing),
verifies a synchronous message against the message producer as if it were one ThrillPots
publishes, verifies a pact file named on its own whatever provider it is for, and skips a pact
holding no interactions with a warning only in its own output. Each of these is refused or said
here, naming the pact and the interaction.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from pytest_thrillpots import PactVerificationError, verify_pacts

WIN = {"player_id": "p-1", "brand_id": "brand-7", "community_winners": [], "metadata": None}


def _producer() -> dict[str, Any]:
    return {"WinEvent": lambda description, states: dict(WIN)}


def _pact(*interactions: dict[str, Any], consumer: str = "wallet", provider: str = "thrillpots") -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def _message(description: str = "a win", content: Any = None, **changes: Any) -> dict[str, Any]:
    message = {
        "type": "Asynchronous/Messages",
        "description": description,
        "contents": {
            "content": {"player_id": "p-1"} if content is None else content,
            "contentType": "application/json",
        },
        "metadata": {"event_type": "WinEvent"},
    }
    message.update(changes)
    return message


def _write(directory: Path, name: str, document: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(json.dumps(document))
    return path


NO_CONTENTS = (
    "  its pact has no message contents: the verifier compares nothing then, and would pass any message. The "
    "consumer's pact says the body it expects (thrillpots_pact.expects() writes it)"
)


@pytest.mark.parametrize(
    "interaction",
    [
        {"type": "Asynchronous/Messages", "description": "empty", "metadata": {"event_type": "WinEvent"}},
        _message("empty", contents={"content": None, "contentType": "application/json"}),
        _message("empty", contents={"content": "", "contentType": "application/json"}),
        _message("empty", contents={"content": "", "contentType": "text/plain"}),
    ],
    ids=["no contents", "null content", "empty content", "empty text"],
)
def test_a_message_whose_pact_has_no_contents_is_never_verified(tmp_path: Path, interaction: dict[str, Any]) -> None:
    _write(tmp_path, "wallet-thrillpots.json", _pact(_message(), interaction))
    with pytest.raises(AssertionError) as failure:
        verify_pacts(_producer(), sources=tmp_path)
    assert str(failure.value) == (
        f"Pact verification of thrillpots failed: 1 of 2 interactions\n\nwallet: 'empty'\n{NO_CONTENTS}"
    )


@pytest.mark.parametrize("messages", [[{"description": "empty"}], [{"description": "empty", "contents": None}]])
def test_a_v3_message_without_contents_is_never_verified(tmp_path: Path, messages: list[dict[str, Any]]) -> None:
    document = {"consumer": {"name": "wallet"}, "provider": {"name": "thrillpots"}, "messages": messages}
    for message in messages:
        message["metadata"] = {"event_type": "WinEvent"}
    _write(tmp_path, "wallet-thrillpots.json", document)
    with pytest.raises(AssertionError) as failure:
        verify_pacts(_producer(), sources=tmp_path)
    assert str(failure.value) == (
        f"Pact verification of thrillpots failed: 1 of 1 interactions\n\nwallet: 'empty'\n{NO_CONTENTS}"
    )


def test_interactions_that_are_not_messages_fail_saying_so_even_when_the_verifier_passes_them(tmp_path: Path) -> None:
    # The verifier sends a synchronous message's request to the message producer and passes it
    # when the reply matches (or when it expects no reply at all): ThrillPots publishes no replies.
    sync = {
        "type": "Synchronous/Messages",
        "description": "a reply",
        "metadata": {"event_type": "WinEvent"},
        "request": {"contents": {"content": {"ask": 1}, "contentType": "application/json"}},
        "response": [{"contents": {"content": {"player_id": "p-1"}, "contentType": "application/json"}}],
    }
    no_reply = {**sync, "description": "no reply", "response": []}
    http = {"type": "Synchronous/HTTP", "description": "a status", "request": {"method": "GET", "path": "/"},
            "response": {"status": 200}}  # fmt: skip
    _write(tmp_path, "wallet-thrillpots.json", _pact(_message(), sync, no_reply, http))
    with pytest.raises(AssertionError) as failure:
        verify_pacts(_producer(), sources=tmp_path)
    assert str(failure.value) == (
        "Pact verification of thrillpots failed: 3 of 4 interactions\n"
        "\n"
        "wallet: 'a reply'\n"
        "  a Synchronous/Messages interaction: ThrillPots publishes asynchronous messages only, so nothing it sends "
        "can satisfy it\n"
        "\n"
        "wallet: 'no reply'\n"
        "  a Synchronous/Messages interaction: ThrillPots publishes asynchronous messages only, so nothing it sends "
        "can satisfy it\n"
        "\n"
        "wallet: 'a status'\n"
        "  a Synchronous/HTTP interaction: ThrillPots publishes asynchronous messages only, so nothing it sends can "
        "satisfy it"
    )


def test_a_pact_file_named_on_its_own_for_another_provider_is_refused(tmp_path: Path) -> None:
    # The verifier verifies a file it is given whatever provider it names, as if it were ours.
    other = _write(tmp_path, "crm-other.json", _pact(_message("b win"), consumer="crm", provider="other"))
    ours = _write(tmp_path, "wallet-thrillpots.json", _pact(_message()))
    with pytest.raises(PactVerificationError) as error:
        verify_pacts(_producer(), sources=[other, ours])
    assert str(error.value) == (
        f"{other} is a pact with provider 'other', not 'thrillpots': verify it with verify_pacts(..., provider='other')"
    )


def test_a_pact_of_another_provider_in_a_directory_is_left_to_its_own_verification(tmp_path: Path) -> None:
    _write(tmp_path, "crm-other.json", _pact(_message("b win", {"player_id": "zzz"}), consumer="crm", provider="other"))
    _write(tmp_path, "wallet-thrillpots.json", _pact(_message()))
    result = verify_pacts(_producer(), sources=tmp_path)
    assert [(i.consumer, i.description, i.passed) for i in result.interactions] == [("wallet", "a win", True)]


def test_a_pact_holding_no_interactions_is_said_not_silently_passed(tmp_path: Path) -> None:
    empty = _write(tmp_path, "crm-thrillpots.json", _pact(consumer="crm"))
    _write(tmp_path, "wallet-thrillpots.json", _pact(_message()))
    with pytest.warns(UserWarning) as caught:
        result = verify_pacts(_producer(), sources=tmp_path)
    assert [str(w.message) for w in caught] == [
        f"{empty} (crm -> thrillpots) holds no interactions: nothing of crm's is verified"
    ]
    assert result.consumers == ["wallet"]


def test_a_pact_with_interactions_verifies_without_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, "wallet-thrillpots.json", _pact(_message()))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert verify_pacts(_producer(), sources=tmp_path).consumers == ["wallet"]


def test_a_pact_whose_messages_the_verifier_would_not_read_fails_the_run_naming_it(tmp_path: Path) -> None:
    # Declared 4.0, the verifier reads no interactions from it and verified the others green.
    v3 = {"description": "a v3 win", "contents": {"player_id": "zzz"}, "metadata": {"event_type": "WinEvent"}}
    document = {k: v for k, v in _pact(consumer="crm").items() if k != "interactions"}
    crm = _write(tmp_path, "crm-thrillpots.json", {**document, "messages": [v3]})
    _write(tmp_path, "wallet-thrillpots.json", _pact(_message()))
    with pytest.raises(PactVerificationError) as error:
        verify_pacts(_producer(), sources=tmp_path)
    assert str(error.value).startswith(f"{crm} lists V3 'messages' but declares Pact specification 4.0: ")


def test_an_interaction_the_verifier_never_reports_fails_the_run() -> None:
    # A safety net under the reader: whatever the verifier does not read, it cannot call verified.
    from pytest_thrillpots.pact._mismatch import report

    results = {"interactionResults": [{"consumer": "wallet", "description": "a win", "result": "OK"}]}
    with pytest.raises(AssertionError) as failure:
        report(results, "", {}, "thrillpots", False, expected=[("wallet", "a win", ()), ("crm", "an opt-in", ("s",))])
    assert str(failure.value) == (
        "Pact verification of thrillpots failed: 1 of 2 interactions\n"
        "\n"
        "crm: 'an opt-in' (given s)\n"
        "  the Pact verifier never verified it: it is in the pacts given, but not in the verifier's results"
    )

"""identify() takes a payload as validate() does: parsed JSON or JSON text."""

from __future__ import annotations

import orjson
import pytest

from pytest_thrillpots import (
    IdentifyError,
    OptInEventFactory,
    identify,
)

# --- identify() takes a payload as validate() does: parsed JSON or JSON text ----------------------


def test_identify_reads_json_text() -> None:
    event = OptInEventFactory.seeded(1).build()
    assert identify(orjson.dumps(event)) == "OptInEvent"
    assert identify(orjson.dumps(event).decode()) == "OptInEvent"
    with pytest.raises(IdentifyError, match=r"the payload is not valid JSON \(unexpected end of data"):
        identify(b"{")
    with pytest.raises(IdentifyError, match="cannot identify the event type of a list: an event is a JSON object"):
        identify(b"[]")

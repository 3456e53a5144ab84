"""Traits as their signature reads: ``community(n)``, positionally, in errors, in ``sample``."""

from __future__ import annotations

import orjson
import pytest

from pytest_thrillpots import (
    UnknownTraitError,
    WinEventFactory,
)
from pytest_thrillpots.cli import main
from pytest_thrillpots.factories._traits import parse_trait

# --- Traits as their signature reads: community(n) -----------------------------------------------


def test_a_trait_parameter_may_be_given_by_position() -> None:
    assert len(WinEventFactory.seeded(1).trait("community", 5).build()["community_winners"]) == 5
    assert (
        WinEventFactory.seeded(1).trait("community", 5).build()
        == WinEventFactory.seeded(1).trait("community", n=5).build()
    )


@pytest.mark.parametrize("written", ["community(n=4)", "community(4)", "community:n=4", "community:4"])
def test_a_trait_may_be_written_as_its_signature_reads(written: str) -> None:
    assert WinEventFactory.seeded(1).trait(written).build() == WinEventFactory.seeded(1).trait("community", n=4).build()


def test_the_signature_in_an_error_message_is_accepted_as_written() -> None:
    # The unknown-trait message lists "community(n=3)": that text must work as a trait.
    signature = WinEventFactory.traits["community"].signature
    assert len(WinEventFactory.trait(signature).build()["community_winners"]) == 3


def test_a_factorys_repr_rebuilds_it() -> None:
    factory = WinEventFactory.seeded(3).trait("community", 2)
    assert repr(factory) == "WinEventFactory.seeded(3).trait('community(n=2)')"
    assert factory.build() == WinEventFactory.seeded(3).trait("community(n=2)").build()


@pytest.mark.parametrize(
    ("args", "params", "message"),
    [
        (("community", 1, 2), {}, "WinEvent trait 'community(n=3)' takes n, not 2 value(s): 1, 2"),
        (("withheld", 1), {}, "WinEvent trait 'withheld' takes no parameters, not 1 value(s): 1"),
        (("community", 1), {"n": 2}, "WinEvent trait 'community(n=3)': n given twice"),
    ],
)
def test_wrong_positional_trait_parameters_are_clear_errors(
    args: tuple[object, ...], params: dict[str, int], message: str
) -> None:
    with pytest.raises(UnknownTraitError) as raised:
        WinEventFactory.trait(*args, **params)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_unreadable_trait_text_still_lists_the_traits() -> None:
    with pytest.raises(UnknownTraitError, match=r"WinEvent has no trait 'with-held'\. Did you mean 'withheld'\?"):
        WinEventFactory.trait("with-held")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("withheld", ("withheld", (), {})),
        ("community(5)", ("community", (5,), {})),
        ("community( n = 5 )", ("community", (), {"n": 5})),
        ("community:n=5", ("community", (), {"n": 5})),
        ("community:5", ("community", (5,), {})),
    ],
)
def test_parse_trait(text: str, parsed: tuple[str, tuple[int, ...], dict[str, int]]) -> None:
    assert parse_trait(text) == parsed


@pytest.mark.parametrize("text", ["community(n=3", "community(x)", "community(n=1, 2)", "3"])
def test_parse_trait_rejects_what_it_cannot_read(text: str) -> None:
    with pytest.raises(UnknownTraitError, match="cannot read the trait"):
        parse_trait(text)


@pytest.mark.parametrize("written", ["community(4)", "community(n=4)", "community:4"])
def test_sample_takes_a_trait_as_its_signature_reads(capsysbinary: pytest.CaptureFixture[bytes], written: str) -> None:
    code = main(["sample", "WinEvent", "--seed", "1", "--trait", written, "--format", "ndjson"])
    out, _ = capsysbinary.readouterr()
    assert code == 0
    assert orjson.loads(out) == WinEventFactory.seeded(1).trait("community", n=4).build()

"""Referral codes: random, from the unambiguous alphabet, forgiving on input."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from mubayiro.referrals.codes.schemas import CODE_ALPHABET, ReferralCodeText
from mubayiro.referrals.codes.service import new_code

CODE = TypeAdapter(ReferralCodeText)


def test_codes_use_six_unambiguous_characters():
    codes = {new_code() for _ in range(500)}

    assert len(codes) == 500
    for code in codes:
        assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert not set("01ILO") & set(CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["K7PX2M", "k7px2m", "K7P-X2M", " k7p x2m "])
def test_typed_codes_are_normalized(typed):
    assert CODE.validate_python(typed) == "K7PX2M"


@pytest.mark.parametrize("bad", ["K7PX2", "K7PX2MM", "K7PX2O", "K7PX21", "K7PX2!", "", 123456])
def test_malformed_codes_are_refused(bad):
    with pytest.raises(ValidationError):
        CODE.validate_python(bad)

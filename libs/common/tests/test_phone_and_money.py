"""Phone parsing and money/points types."""

from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from mubayiro.common.money import Money, Points
from mubayiro.common.phone import (
    InvalidPhoneNumber,
    PhoneNumber,
    format_phone,
    mask_phone,
    normalize_phone,
    sms_country_served,
)


@pytest.mark.parametrize(
    "raw", ["+263771234567", "0771234567", "+263 77 123 4567", "00263771234567", " 077-123-4567 "]
)
def test_zimbabwe_spellings_normalise_to_one_e164(raw):
    assert normalize_phone(raw) == "+263771234567"


@pytest.mark.parametrize("raw", ["", "abc", "123", "+2637712345678901", "0000000000", "+999123"])
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


def test_region_can_be_given_explicitly():
    assert normalize_phone("0821234567", "ZA") == "+27821234567"


def test_a_remembered_parse_gives_the_same_answer_every_time():
    """Parses are remembered per text and region: asking again, in another region, or
    for a number that was refused, answers as the first time did."""
    for _ in range(3):
        assert normalize_phone("0771234567") == "+263771234567"
        assert normalize_phone("0821234567", "ZA") == "+27821234567"
        with pytest.raises(InvalidPhoneNumber):
            normalize_phone("0821234567")  # not a Zimbabwean mobile number
        assert sms_country_served("+263771234567", ["zw"])
        assert not sms_country_served("+27821234567", ["ZW"])


def test_phone_field_names_the_field():
    class Body(BaseModel):
        customer_phone_number: PhoneNumber

    with pytest.raises(ValidationError) as info:
        Body(customer_phone_number="12")
    assert info.value.errors()[0]["loc"] == ("customer_phone_number",)


def test_format_and_mask():
    assert format_phone("+263771234567") == "+263 77 123 4567"
    masked = mask_phone("+263771234567")
    assert masked.startswith("+26377") and masked.endswith("567") and "1234" not in masked


class Amount(BaseModel):
    amount: Money


@pytest.mark.parametrize("good", ["0.01", "10", "10.5", "25.50", 12, 999999.99])
def test_money_accepts_positive_two_place_amounts(good):
    assert Amount(amount=good).amount == Decimal(str(good)).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    "bad", ["0", "-1", "10.005", "abc", "NaN", "Infinity", "1e400", "1000000.01", None, ""]
)
def test_money_refuses_bad_amounts(bad):
    with pytest.raises(ValidationError):
        Amount(amount=bad)


def test_points_are_strict_positive_integers():
    class P(BaseModel):
        points: Points

    assert P(points=5).points == 5
    for bad in (0, -1, 1.5, "5", True):
        with pytest.raises(ValidationError):
            P(points=bad)



@pytest.mark.parametrize("raw", [
    "+26377abc4567",            # letters would become keypad digits
    "+1-800-FLOWERS",
    "+263771234567 ext. 12",    # an extension would be dropped silently
    "+263771234567x12",
    "０７７１２３４５６７",       # full-width digits
    "٠٧٧١٢٣٤٥٦٧",               # Arabic-Indic digits
    "++263771234567",
    "263771234567+",
    "+263\u200b771234567",      # a zero-width space hiding in a pasted number
])
def test_only_what_a_person_types_as_a_number_is_accepted(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


@pytest.mark.parametrize("raw", ["0771234567", "+263 77 123 4567", "+263-77-123-4567",
                                 "(077) 123 4567", "077.123.4567", " +263771234567 "])
def test_the_usual_spellings_still_work(raw):
    assert normalize_phone(raw) == "+263771234567"

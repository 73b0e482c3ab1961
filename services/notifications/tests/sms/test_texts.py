"""SMS texts: the exact wording, and one segment whatever the business name."""

from __future__ import annotations

from mubayiro.notifications.sms.texts import (
    fits_one_sms,
    is_gsm,
    points_earned_text,
    segment_limit,
    sms_length,
)


def test_points_earned_text_is_exact():
    text = points_earned_text(points=25, business_name="Mbare Fresh Grocers", total_points=140)

    assert text == "You earned 25 points at Mbare Fresh Grocers. Balance: 140."


def test_long_gsm_business_name_is_cut_to_fill_exactly_160():
    text = points_earned_text(points=10, business_name="A" * 300, total_points=10_000_000)

    assert len(text) == 160
    assert text.startswith("You earned 10 points at AAAA")
    assert text.endswith("AAA... Balance: 10000000.")


def test_name_that_fits_is_left_whole():
    name = "B" * 100
    text = points_earned_text(points=10, business_name=name, total_points=20)

    assert name in text
    assert fits_one_sms(text)


def test_non_gsm_name_keeps_the_sms_within_70_units():
    text = points_earned_text(points=25, business_name="Café “Shona” 🍲 " * 10,
                              total_points=140)

    assert not is_gsm(text)
    assert sms_length(text) <= 70
    assert text.startswith("You earned 25 points at Café “Shona” 🍲")
    assert text.endswith("... Balance: 140.")


def test_extension_characters_count_twice():
    assert sms_length("[x]") == 5
    assert sms_length("€") == 2
    assert segment_limit("[x]") == 160
    text = points_earned_text(points=1, business_name="[" * 200, total_points=1)
    assert sms_length(text) <= 160
    assert fits_one_sms(text)


def test_emoji_counts_as_two_utf16_units():
    assert sms_length("🍲") == 2
    assert segment_limit("🍲") == 70


def test_whitespace_in_business_name_is_collapsed():
    text = points_earned_text(points=5, business_name="  Mbare\n\nFresh\tGrocers ",
                              total_points=5)

    assert text == "You earned 5 points at Mbare Fresh Grocers. Balance: 5."


def test_braces_in_business_name_are_kept_literally():
    text = points_earned_text(points=5, business_name="{points} Shop", total_points=5)

    assert text == "You earned 5 points at {points} Shop. Balance: 5."

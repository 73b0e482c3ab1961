"""SMS texts: the exact wording, and one segment whatever the names in them."""

from __future__ import annotations

from datetime import date

import pytest

from mubayiro.notifications.sms.texts import (
    expiry_reminder_text,
    fill_template,
    fits_one_sms,
    is_gsm,
    otp_code_text,
    points_earned_text,
    points_given_back_text,
    points_redeemed_text,
    points_taken_back_text,
    referral_bonus_text,
    segment_limit,
    short_day,
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


def test_points_redeemed_text_is_exact():
    text = points_redeemed_text(points=100, business_name="Mbare Coffee",
                                reward_description="Free coffee", total_points=40)

    assert text == "You redeemed 100 points at Mbare Coffee for Free coffee. Balance: 40."


def test_points_redeemed_shortens_the_reward_first():
    text = points_redeemed_text(points=100, business_name="Mbare Fresh Grocers",
                                reward_description="D" * 300, total_points=40)

    assert len(text) == 160
    assert "at Mbare Fresh Grocers for DDD" in text
    assert text.endswith("D... Balance: 40.")


def test_points_redeemed_then_shortens_the_business_name():
    text = points_redeemed_text(points=100, business_name="B" * 300,
                                reward_description="R" * 300, total_points=40)

    assert len(text) <= 160
    assert " for " + "R" * 14 + "... Balance: 40." in text  # the reward keeps 16 units
    assert "B..." in text


def test_points_redeemed_in_ucs2_fits_70_units():
    text = points_redeemed_text(points=100, business_name="Café 🍲 " * 10,
                                reward_description="Sadza “special” " * 10, total_points=40)

    assert sms_length(text) <= 70
    assert text.startswith("You redeemed 100 points at Café")
    assert text.endswith(" Balance: 40.")


def test_points_redeemed_collapses_whitespace_in_the_reward():
    text = points_redeemed_text(points=1, business_name="Shop",
                                reward_description=" Free\n\ncoffee ", total_points=0)

    assert text == "You redeemed 1 points at Shop for Free coffee. Balance: 0."


def test_referral_bonus_text_is_exact_and_fits():
    assert referral_bonus_text(points=50, business_name="Mbare Fresh Grocers",
                               total_points=190) == (
        "You earned 50 bonus points for referring a friend to Mbare Fresh Grocers. "
        "Balance: 190.")
    long = referral_bonus_text(points=50, business_name="N" * 300, total_points=190)
    assert len(long) == 160
    assert long.endswith("N... Balance: 190.")


def test_otp_text_is_exact():
    assert otp_code_text(code="482913", minutes=5) == (
        "Your Mubayiro code is 482913. It expires in 5 minutes. Never share it.")
    assert otp_code_text(code="482913", minutes=1).endswith("expires in 1 minute. Never share it.")


def test_fill_template_cuts_the_first_name_to_keep_then_the_next():
    text = fill_template("{a} and {b}: {n}.", ("a", "b"), a="A" * 200, b="B" * 200, n=12345)

    assert text == "A" * 13 + "... and " + "B" * 128 + "...: 12345."
    assert len(text) == 160


def test_fill_template_leaves_short_names_whole():
    text = fill_template("{a} and {b}: {n}.", ("a", "b"), a="Short", b="B" * 200, n=1)

    assert text.startswith("Short and BBB")
    assert len(text) == 160


def test_refund_texts_are_exact_and_fit_with_any_shop_name():
    assert points_taken_back_text(points=12, business_name="Mazoe Cafe", total_points=30) == (
        "12 points were taken back after a refund at Mazoe Cafe. Balance: 30.")
    assert points_given_back_text(points=5, business_name="Mazoe Cafe", total_points=35) == (
        "Your redemption at Mazoe Cafe was cancelled: 5 points are back. Balance: 35.")
    for name in ("Ñ" * 300, "Café ☕ " * 40, "x" * 500):
        for text in (points_taken_back_text, points_given_back_text):
            assert fits_one_sms(text(points=10**7, business_name=name, total_points=10**12))


@pytest.mark.parametrize(("day", "written"), [
    (date(2027, 1, 12), "12 Jan"),
    (date(2026, 12, 2), "2 Dec"),
    (date(2027, 9, 28), "28 Sep"),  # 300 days ahead: still without the year
    (date(2027, 9, 29), "29 Sep 2027"),
    (date(2036, 5, 1), "1 May 2036"),
])
def test_a_day_is_written_short_with_the_year_only_when_far_off(day, written):
    assert short_day(day, today=date(2026, 12, 2)) == written


def test_expiry_reminder_is_exact_and_fits_one_gsm_sms():
    text = expiry_reminder_text(points=40, day=date(2027, 1, 12), today=date(2026, 12, 2))
    largest = expiry_reminder_text(points=10**12, day=date(2036, 12, 31),
                                   today=date(2026, 12, 2))

    assert text == ("Mubayiro: 40 points expire on 12 Jan. Use them at any Mubayiro business "
                    "before then. Reply STOP to stop these SMS.")
    assert expiry_reminder_text(points=1, day=date(2027, 1, 12), today=date(2026, 12, 2)) \
        .startswith("Mubayiro: 1 point expires on 12 Jan.")
    assert is_gsm(largest) and sms_length(largest) <= 160


def test_a_reminder_for_points_expiring_over_several_days_names_the_span():
    text = expiry_reminder_text(points=60, day=date(2027, 1, 12), last_day=date(2027, 1, 18),
                                today=date(2027, 1, 5))
    largest = expiry_reminder_text(points=10**12, day=date(2036, 12, 25),
                                   last_day=date(2036, 12, 31), today=date(2026, 12, 2))

    assert text == ("Mubayiro: 60 points expire from 12 Jan to 18 Jan. Use them at any "
                    "Mubayiro business before then. Reply STOP to stop these SMS.")
    assert expiry_reminder_text(points=5, day=date(2027, 1, 12), last_day=date(2027, 1, 12),
                                today=date(2027, 1, 5)).startswith(
        "Mubayiro: 5 points expire on 12 Jan.")
    assert is_gsm(largest) and sms_length(largest) <= 160

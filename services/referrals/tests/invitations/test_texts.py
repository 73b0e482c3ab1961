"""The invitation SMS: masked inviter, the code, one SMS even for the longest number."""

from __future__ import annotations

from mubayiro.referrals.invitations.texts import ONE_SMS, invitation_text

# The GSM 03.38 basic character set, without the escape-extended characters.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def test_the_text_masks_the_inviter_and_gives_the_code():
    text = invitation_text("+263771234567", "K7PX2M")

    assert text == ("+26377****567 invites you to Mubayiro: earn points at shops across "
                    "Zimbabwe. Give code K7PX2M at the till when you pay.")
    assert "771234" not in text


def test_the_text_fits_one_gsm_sms_for_the_longest_number():
    longest = "+" + "9" * 15

    text = invitation_text(longest, "WWWWWW")

    assert len(text) <= ONE_SMS
    assert set(text) <= GSM_BASIC

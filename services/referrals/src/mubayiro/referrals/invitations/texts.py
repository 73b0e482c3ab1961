"""The invitation SMS text.

It names the inviter by their *masked* number (the friend should recognise it; nobody
who sees the SMS learns the whole number) and carries the inviter's referral code. It
fits one SMS: at most 160 characters of the GSM 7-bit alphabet, with the longest E.164
number (15 digits) — the test checks that bound.
"""

from __future__ import annotations

from mubayiro.common.phone import mask_phone

#: ``{inviter}`` is the masked number, ``{code}`` the inviter's referral code.
INVITATION_TEMPLATE = (
    "{inviter} invites you to Mubayiro: earn points at shops across Zimbabwe. "
    "Give code {code} at the till when you pay."
)
#: One SMS segment of GSM 7-bit text.
ONE_SMS = 160


def invitation_text(inviter_phone_number: str, code: str) -> str:
    """The SMS inviting a friend on behalf of the E.164 ``inviter_phone_number``."""
    return INVITATION_TEMPLATE.format(inviter=mask_phone(inviter_phone_number), code=code)

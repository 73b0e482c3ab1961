"""What a referral code looks like, as a pydantic type for request bodies.

A code is 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L): 31⁶ ≈ 887
million codes, easy to read off a phone and type at a till. Input is forgiving —
lower case, spaces and hyphens are accepted (``k7p-x2m``) — and stored upper case.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from mubayiro.referrals.models import CODE_LENGTH

#: The characters of a code: digits and capitals, minus 0, 1, I, L and O.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _normalize(value: Any) -> Any:
    if isinstance(value, str) and len(value) <= 4 * CODE_LENGTH:
        return value.replace("-", "").replace(" ", "").upper()
    return value


#: A referral code in a body: any accepted spelling in, the canonical code out.
ReferralCodeText = Annotated[
    str,
    BeforeValidator(_normalize),
    Field(
        pattern=f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$",
        description=f"{CODE_LENGTH} characters: digits 2-9 and letters except I, L and O",
        examples=["K7PX2M"],
    ),
]

"""Phone numbers: parsed with ``phonenumbers``, stored and compared in E.164.

A customer is identified by phone number alone, so every number that enters the
platform goes through :func:`normalize_phone`: ``0771234567`` and
``+263 77 123 4567`` become ``+263771234567`` (local forms are read in
:data:`DEFAULT_REGION`). Use :data:`PhoneNumber` as a pydantic field or path parameter
type: an invalid number is a 422 naming the field.

Only what a person types as a phone number is accepted: ASCII digits, spaces, dashes,
dots, brackets and one leading ``+``. ``phonenumbers`` alone is lenient — it reads letters
as keypad digits (``+1-800-FLOWERS``), drops extensions (``… ext. 12``) and accepts
full-width or Arabic-Indic digits — so two different strings could name one customer, or
a typo could name another; those are refused before parsing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field

from mubayiro.common.errors import InvalidInput

#: Where a number written without a country code is from: the coalition's country. One
#: constant rather than a per-service setting, because a phone number is a customer's
#: identity across the platform: two services reading ``0771234567`` in different
#: regions would make two customers of one person.
DEFAULT_REGION = "ZW"
_MAX_RAW_LENGTH = 32
#: How many numbers each process remembers the parse of (LRU): about half a MB.
_REMEMBERED = 2048
#: What a typed phone number may contain (``[0-9]``: ASCII digits only, unlike ``\d``).
PHONE_PATTERN = r"^\s*\+?[0-9 ().-]+$"
_PHONE_TEXT = re.compile(PHONE_PATTERN)


class InvalidPhoneNumber(InvalidInput):
    default_detail = "Not a valid phone number"


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` as an E.164 string.

    Raises:
        InvalidPhoneNumber: the text is not a valid, dialable number.
    """
    if not isinstance(raw, str) or not raw.strip() or len(raw) > _MAX_RAW_LENGTH:
        raise InvalidPhoneNumber("Not a valid phone number")
    if not _PHONE_TEXT.match(raw):
        raise InvalidPhoneNumber("Not a valid phone number")
    e164 = _e164(raw.strip(), region)
    if e164 is None:
        raise InvalidPhoneNumber("Not a valid phone number")
    return e164


@functools.lru_cache(maxsize=_REMEMBERED)
def _e164(text: str, region: str) -> str | None:
    """``phonenumbers``' E.164 form of ``text`` read in ``region``; None if not valid.

    Remembered: parsing is the dearest step of checking an event or a request (a number
    is checked again by each service an award's event reaches, and a consumer's SMS
    checks the number its event already checked), and the answer never changes.
    """
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def sms_country_served(e164: str, countries: Sequence[str]) -> bool:
    """Whether the platform texts ``e164``: its country (ISO region code, ``ZW``) is one
    of ``countries`` (the ``<SVC>_SMS_COUNTRIES`` setting).

    Every SMS costs money, and satellite or premium foreign destinations cost many
    times a local one: texting only the coalition's countries takes away the profit of
    toll fraud (a client requesting codes for numbers it is paid to text).
    """
    region = _region(e164)
    return region is not None and region.upper() in {c.upper() for c in countries}


@functools.lru_cache(maxsize=_REMEMBERED)
def _region(e164: str) -> str | None:
    """The ISO region code of an E.164 number (None if unknown); remembered as above."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return None


class PhoneCountryNotServed(InvalidInput):
    default_detail = "The platform does not send SMS to numbers of this country"


def format_phone(e164: str) -> str:
    """Human-readable international form: ``+263 77 123 4567``."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def mask_phone(e164: str) -> str:
    """The number with its middle digits hidden, for messages to third parties."""
    if len(e164) <= 7:
        return e164
    return f"{e164[:6]}{'*' * (len(e164) - 9)}{e164[-3:]}"


def _validate(value: str) -> str:
    try:
        return normalize_phone(value)
    except InvalidPhoneNumber as exc:
        raise ValueError(
            "not a valid phone number (use +263771234567 or 0771234567)"
        ) from exc


#: A pydantic type: any accepted spelling in, E.164 out; invalid → 422 naming the field.
PhoneNumber = Annotated[
    str,
    Field(min_length=3, max_length=_MAX_RAW_LENGTH, examples=["+263771234567"],
          json_schema_extra={"pattern": PHONE_PATTERN}),
    AfterValidator(_validate),
]

"""The texts of the SMS this service sends, each kept within one SMS segment.

An SMS longer than one segment is split and billed per part, and on cheap phones
may arrive out of order. One segment holds 160 characters of the GSM 03.38 alphabet
(characters of its extension table, such as ``€`` or ``[``, take two), but only 70
UTF-16 code units as soon as one character is outside that alphabet (an emoji, a
curly quote, most non-Latin scripts). :func:`segment_limit` and :func:`sms_length`
follow those rules, and a template that includes names we do not control (a business
name, a reward description) shortens the names, never the facts around them.

Those names are a business's words in an SMS that arrives under the platform's name, so
they are also defanged (:func:`defang`): a name may not carry a link or a phone number
("MUBAYIRO SECURITY: your account is locked. Call +263 …" as a shop name). Their length
is bounded twice: by the fields themselves (a name 120 characters, a reward 200) and by
the one segment the whole text must fit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

#: Kinds of SMS (``sms_message.kind``); other services name their own kinds through
#: ``POST /internal/sms`` (e.g. ``referral_invitation``).
KIND_POINTS_EARNED = "points_earned"
KIND_POINTS_REDEEMED = "points_redeemed"
KIND_REFERRAL_BONUS = "referral_bonus"
KIND_OTP_CODE = "otp_code"
KIND_REDEMPTION_CODE = "redemption_code"
KIND_POINTS_REVERSED = "points_reversed"
KIND_EXPIRY_REMINDER = "expiry_reminder"

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM_SEGMENT = 160
UCS2_SEGMENT = 70
_ELLIPSIS = "..."  # three GSM characters: "…" would force the 70-character encoding
_SPACES = re.compile(r"\s+")
#: Links: a scheme, ``www.``, or a bare domain with a common top-level domain.
_LINK = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.-]*://\S*|\bwww\.\S*"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|co|zw|za|io|ly|me|app|link"
    r"|xyz|online|site|top|click)\b\S*)"
)
#: A phone number: seven or more digits, with the separators people write.
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def defang(value: str) -> str:
    """``value`` without links or phone numbers, each run of whitespace one space: what
    of a business's words may go into an SMS (:func:`fill_template` fits it into the segment)."""
    text = _PHONE.sub(" ", _LINK.sub(" ", value))
    return _SPACES.sub(" ", text).strip(" -:,")


def is_gsm(text: str) -> bool:
    """True when every character of ``text`` is in the GSM 03.38 alphabet."""
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text)


def _char_cost(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in _GSM_EXTENDED else 1
    return len(ch.encode("utf-16-le")) // 2


def sms_length(text: str) -> int:
    """Length of ``text`` in the units its encoding is counted in (septets or UTF-16)."""
    gsm = is_gsm(text)
    return sum(_char_cost(ch, gsm) for ch in text)


def segment_limit(text: str) -> int:
    """How long ``text`` may be to fit one SMS: 160 in GSM 03.38, else 70."""
    return GSM_SEGMENT if is_gsm(text) else UCS2_SEGMENT


def fits_one_sms(text: str) -> bool:
    """True when ``text`` is sent as a single SMS segment."""
    return sms_length(text) <= segment_limit(text)


def _clip(name: str, budget: int, gsm: bool, marker: str) -> str:
    """The longest prefix of ``name`` plus ``marker`` whose cost is at most ``budget``."""
    room = budget - len(marker)
    if room <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in name:
        cost = _char_cost(ch, gsm)
        if used + cost > room:
            break
        out.append(ch)
        used += cost
    return "".join(out).rstrip() + marker


def _marker_for(template: str, field: str) -> str:
    """The ellipsis to end a shortened ``field`` with in ``template``.

    "Gro..." followed by the template's own full stop would read "Gro...."; the
    template's dots right after the field are borrowed instead.
    """
    after = template.split("{" + field + "}", 1)[1]
    borrowed = min(len(after) - len(after.lstrip(".")), 2)
    return _ELLIPSIS[: len(_ELLIPSIS) - borrowed]


#: How many units of a shortened name are kept before the next name is cut (fill_template).
KEEP = 16


def fill_template(
    template: str, shorten: Sequence[str], *, keep: int = KEEP, **values: object
) -> str:
    """Format ``template`` with ``values``, shortening names so the result fits one SMS.

    ``shorten`` names the free-text values we do not control (a business name, a reward
    description), most expendable first. When the text is too long, the first is cut
    down to ``keep`` units, then the next, and so on; only if that is still not enough
    are they cut further, in the same order. The facts around them (numbers, the
    template's words) are never cut. Those values are first :func:`defang`-ed (no links,
    no phone numbers, one space for each run of whitespace, bounded).
    """
    names = {key: defang(str(values[key])) for key in shorten}
    values = {**values, **names}
    text = template.format(**values)
    if fits_one_sms(text):
        return text
    # The encoding is decided by the whole text (a non-GSM name makes it UCS-2, 70).
    gsm = is_gsm(text)
    limit = GSM_SEGMENT if gsm else UCS2_SEGMENT
    fixed = template.format(**{**values, **dict.fromkeys(shorten, "")})
    budget = limit - sum(_char_cost(ch, gsm) for ch in fixed)
    costs = {key: sum(_char_cost(ch, gsm) for ch in name) for key, name in names.items()}
    allowed = dict(costs)
    over = sum(costs.values()) - budget
    for floor in (keep, 0):
        for key in shorten:
            if over <= 0:
                break
            cut = min(over, max(allowed[key] - min(floor, costs[key]), 0))
            allowed[key] -= cut
            over -= cut
    shortened = {
        key: name if allowed[key] >= costs[key]
        else _clip(name, allowed[key], gsm, _marker_for(template, key))
        for key, name in names.items()
    }
    return template.format(**{**values, **shortened})


def fill_with_name(template: str, name: str, *, keep: int = KEEP, **values: object) -> str:
    """Format ``template`` with ``{name}`` shortened so the result fits one SMS.

    ``template`` uses ``{name}`` for the name and ``{...}`` for ``values``; see
    :func:`fill_template`.
    """
    return fill_template(template, ("name",), keep=keep, name=name, **values)


def points_earned_text(*, points: int, business_name: str, total_points: int) -> str:
    """``You earned {points} points at {business_name}. Balance: {total_points}.``"""
    return fill_with_name(
        "You earned {points} points at {name}. Balance: {total_points}.",
        business_name,
        points=points,
        total_points=total_points,
    )


def points_redeemed_text(
    *, points: int, business_name: str, reward_description: str | None, total_points: int
) -> str:
    """``You redeemed {points} points at {business_name} for {reward_description}.
    Balance: {total_points}.``

    The reward description is shortened first, then the business name. Without a
    description the sentence ends after the business name.
    """
    reward = _SPACES.sub(" ", reward_description or "").strip()
    if not reward:
        return fill_with_name(
            "You redeemed {points} points at {name}. Balance: {total_points}.",
            business_name,
            points=points,
            total_points=total_points,
        )
    return fill_template(
        "You redeemed {points} points at {name} for {reward}. Balance: {total_points}.",
        ("reward", "name"),
        name=business_name,
        reward=reward,
        points=points,
        total_points=total_points,
    )


def referral_bonus_text(*, points: int, business_name: str, total_points: int) -> str:
    """``You earned {points} bonus points for referring a friend to {business_name}.
    Balance: {total_points}.``"""
    return fill_with_name(
        "You earned {points} bonus points for referring a friend to {name}. "
        "Balance: {total_points}.",
        business_name,
        points=points,
        total_points=total_points,
    )


def points_taken_back_text(*, points: int, business_name: str, total_points: int) -> str:
    """``{points} points were taken back after a refund at {business_name}. Balance:
    {total_points}.`` (a purchase or a referral bonus refunded)."""
    unit = "point was" if points == 1 else "points were"
    return fill_with_name(
        "{points} " + unit + " taken back after a refund at {name}. Balance: {total_points}.",
        business_name,
        points=points,
        total_points=total_points,
    )


def points_given_back_text(*, points: int, business_name: str, total_points: int) -> str:
    """``Your redemption at {business_name} was cancelled: {points} points are back.
    Balance: {total_points}.``"""
    unit = "point is" if points == 1 else "points are"
    return fill_with_name(
        "Your redemption at {name} was cancelled: {points} " + unit + " back. "
        "Balance: {total_points}.",
        business_name,
        points=points,
        total_points=total_points,
    )


#: Beyond this many days ahead a day is written with its year ("12 Jan 2028"): nearer,
#: "12 Jan" cannot be mistaken for a year away.
_YEARLESS_DAYS = 300
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_day(day: date, *, today: date) -> str:
    """``day`` as people write it in an SMS: "12 Jan", with the year when it is far off
    (English month names whatever the server's locale)."""
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if (day - today).days > _YEARLESS_DAYS else text


def expiring_points_sentence(*, points: int, day: date, today: date) -> str:
    """``{points} points expire on {12 Jan}.`` (the BALANCE reply and the reminder)."""
    verb = "point expires" if points == 1 else "points expire"
    return f"{points:,} {verb} on {short_day(day, today=today)}."


def expiry_reminder_text(
    *, points: int, day: date, today: date, last_day: date | None = None
) -> str:
    """``Mubayiro: {points} points expire on {12 Jan}. Use them at any Mubayiro business
    before then. Reply STOP to stop these SMS.`` (non-essential: STOP honoured). Points
    expiring over several days (``day`` to ``last_day``) read "expire from 12 Jan to
    18 Jan", and the advice is to use them by the first."""
    if last_day is None or last_day <= day:
        sentence = expiring_points_sentence(points=points, day=day, today=today)
    else:
        verb = "point expires" if points == 1 else "points expire"
        sentence = (f"{points:,} {verb} from {short_day(day, today=today)} "
                    f"to {short_day(last_day, today=today)}.")
    return (
        f"Mubayiro: {sentence} "
        "Use them at any Mubayiro business before then. Reply STOP to stop these SMS."
    )


def redemption_code_text(*, business_name: str, code: str) -> str:
    """``{business_name} asks to use your points. Give the cashier this code: {code}.
    Not you? Ignore this.`` (the shop's name shortened to fit one SMS)."""
    return fill_with_name(
        "{name} asks to use your points. Give the cashier this code: {code}. "
        "Not you? Ignore this.",
        business_name,
        code=code,
    )


def otp_code_text(*, code: str, minutes: int) -> str:
    """``Your Mubayiro code is {code}. It expires in {minutes} minutes. Never share it.``"""
    unit = "minute" if minutes == 1 else "minutes"
    return f"Your Mubayiro code is {code}. It expires in {minutes} {unit}. Never share it."

"""Free text as people type it, and nothing that could hide what it says.

Every free-text field of the platform (names, reward text, reasons, notes, search
terms, chat messages) carries :data:`NoHiddenCharacters` beside its bounds, so it is
refused (422) when it holds a character that is invisible or changes how the rest is
shown:

- control characters (``Cc``: NUL, escape, line breaks in one-line fields…) — NUL cannot
  even be stored by PostgreSQL, and the others break logs, CSV exports and SMS;
- format characters (``Cf``): bidirectional overrides and isolates (``U+202E`` shows
  "Coffee\u202egnp.exe" backwards — the Trojan Source trick), zero-width spaces and
  joiners used to make two names look alike — except the zero-width joiner inside emoji
  sequences (``U+200D``), which people do type;
- surrogates, private-use and unassigned code points (``Cs``, ``Co``, ``Cn``).

Multi-line fields (a description) may hold line breaks and tabs:
:data:`NoHiddenCharactersMultiline`.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_ALLOWED = frozenset({"\u200d"})  # zero-width joiner: emoji sequences
_LINE_BREAKS = frozenset({"\n", "\r", "\t"})


def hidden_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The characters of ``value`` a free-text field refuses, as ``U+XXXX``."""
    allowed = _ALLOWED | (_LINE_BREAKS if multiline else frozenset())
    return [
        f"U+{ord(ch):04X}"
        for ch in value
        if ch not in allowed and unicodedata.category(ch) in _REFUSED_CATEGORIES
    ]


def _check(value: str, multiline: bool) -> str:
    found = hidden_characters(value, multiline=multiline)
    if found:
        raise ValueError(
            "must not contain control, formatting or invisible characters "
            f"(found {', '.join(dict.fromkeys(found))})"
        )
    return value


#: The check of a one-line free-text field: ``Annotated[str, StringConstraints(…),
#: NoHiddenCharacters]``.
NoHiddenCharacters = AfterValidator(lambda value: _check(value, multiline=False))
#: The same for a field that may hold line breaks and tabs (a description).
NoHiddenCharactersMultiline = AfterValidator(lambda value: _check(value, multiline=True))


#: A short note typed at the till (what a redemption was for, why a sale is refunded):
#: trimmed, 1 to 200 characters, nothing hidden.
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    NoHiddenCharacters,
]

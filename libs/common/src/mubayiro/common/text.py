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
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

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


@dataclass(frozen=True)
class _NoHidden:
    """The check as a pydantic annotation: validates after the string constraints, and
    publishes the rule in the JSON schema as a ``pattern`` (the common hidden characters;
    the check itself goes by Unicode category, so it refuses a little more)."""

    multiline: bool

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        multiline = self.multiline
        return core_schema.no_info_after_validator_function(
            lambda value: _check(value, multiline), handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault(
            "pattern", _VISIBLE_MULTILINE if self.multiline else _VISIBLE_ONE_LINE)
        return json_schema


# The published form of the rule (ECMA-262): no C0/C1 controls, soft hyphen, zero-width
# space/non-joiner, direction marks, bidi embeddings/overrides/isolates, word joiner,
# invisible operators or byte-order mark.
_INVISIBLE = (
    "\\u007f-\\u009f\\u00ad\\u200b\\u200c\\u200e\\u200f\\u202a-\\u202e"
    "\\u2060-\\u2064\\u2066-\\u2069\\ufeff"
)
_VISIBLE_ONE_LINE = "^[^\\u0000-\\u001f" + _INVISIBLE + "]*$"
_VISIBLE_MULTILINE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f" + _INVISIBLE + "]*$"

#: The check of a one-line free-text field: ``Annotated[str, StringConstraints(…),
#: NoHiddenCharacters]``.
NoHiddenCharacters = _NoHidden(multiline=False)
#: The same for a field that may hold line breaks and tabs (a description).
NoHiddenCharactersMultiline = _NoHidden(multiline=True)


#: A short note typed at the till (what a redemption was for, why a sale is refunded):
#: trimmed, 1 to 200 characters, nothing hidden.
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    NoHiddenCharacters,
]

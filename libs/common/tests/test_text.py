"""Free text refuses what could hide what it says (mubayiro.common.text)."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, StringConstraints, ValidationError

from mubayiro.common.text import NoHiddenCharacters, NoHiddenCharactersMultiline


class Form(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50),
                    NoHiddenCharacters]
    description: Annotated[str, StringConstraints(max_length=200),
                           NoHiddenCharactersMultiline] = ""


@pytest.mark.parametrize("name", [
    "Coffee\x00", "Esc\x1b[31m", "Two\nlines", "Coffee\u202egnp.exe", "Bank\u2066\u2069",
    "Mbare\u200bCoffee", "soft\u00adhyphen", "bom\ufeff", "private\ue000", "unassigned\U000e0fff",
])
def test_hidden_characters_are_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="invisible characters"):
        Form(name=name)


@pytest.mark.parametrize("name", [
    "Mbare Coffee", "Café Zürich", "Chipo's Salon ✂️", "👨‍👩‍👧 Family Shop", "مقهى", "Ndeipi 2",
])
def test_what_people_type_is_kept(name: str) -> None:
    assert Form(name=f"  {name} ").name == name


def test_descriptions_may_hold_line_breaks_but_nothing_hidden() -> None:
    assert Form(name="x", description="Any size.\nAny blend.\t").description
    with pytest.raises(ValidationError):
        Form(name="x", description="Any\u202esize")


def test_the_published_schema_carries_the_rule() -> None:
    import re

    pattern = Form.model_json_schema()["properties"]["name"]["pattern"]
    assert re.fullmatch(pattern, "Chipo's Salon ✂️")
    for hidden in ("\x00", "\u202e", "\u200b", "\ufeff", "\n"):
        assert not re.fullmatch(pattern, f"Mbare{hidden}Coffee")
    multiline = Form.model_json_schema()["properties"]["description"]["pattern"]
    assert re.fullmatch(multiline, "Any size.\nAny blend.")

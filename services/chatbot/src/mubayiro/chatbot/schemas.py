"""Bodies of the chat routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.phone import PhoneNumber
from mubayiro.common.text import NoHiddenCharactersMultiline


class ChatMessage(BaseModel):
    """A customer's message (its length is checked against the setting); control, bidi
    and invisible characters are refused (an SMS is taken as the phone sent it)."""

    model_config = ConfigDict(extra="forbid")

    message: Annotated[str, Field(min_length=1, max_length=4000), NoHiddenCharactersMultiline]


class SmsChat(BaseModel):
    """An SMS that was not a command, from the phone that sent it."""

    model_config = ConfigDict(extra="forbid")

    phone_number: PhoneNumber
    message: str = Field(min_length=1, max_length=4000)


class ChatReply(BaseModel):
    """The bot's answer and the MCP tools it called."""

    reply: str
    tools_used: list[str]

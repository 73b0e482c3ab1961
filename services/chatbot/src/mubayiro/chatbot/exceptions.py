"""Errors of the chatbot module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import Forbidden, InvalidInput, TooManyRequests, UpstreamUnavailable


class McpUnavailable(UpstreamUnavailable):
    """503: the MCP server could not be asked (down, timed out, refused the session)."""

    default_detail = "The MCP server is unavailable"


class ChatRateLimited(TooManyRequests):
    """429: too many messages with this token for now (the MCP server's limit per token)."""

    default_detail = "Too many messages for now; try again shortly"

    def __init__(self, retry_after: str):
        super().__init__(headers={"Retry-After": retry_after})


class MessageTooLong(InvalidInput):
    """The message is longer than ``max_message_chars``."""

    default_detail = "Message too long"


class SmsChatNotAllowed(Forbidden):
    """403: only the SMS channel (``sms_clients``) may speak for a phone number."""

    default_detail = "This service may not hand over SMS chats"

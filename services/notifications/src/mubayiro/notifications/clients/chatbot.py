"""Client for the chatbot's ``POST /internal/chat/sms``, called with this service's token.

An inbound SMS that is not a command is a chat message: notifications hands the text and
the sender's phone — which the SMS channel vouches for, as it does for BALANCE — to the
chatbot, which answers from the customer's own data (through MCP, with a short-lived
customer token auth issues for that phone). Nothing about the chat is decided here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.http import PeerClient


class ChatbotReply(BaseModel):
    """The chatbot's answer (``tools_used`` and any other field are ignored)."""

    model_config = ConfigDict(extra="ignore")

    reply: str = Field(min_length=1)


class ChatbotClient(PeerClient):
    """The chatbot's ``/internal/*`` routes."""

    peer_name = "chatbot"

    def sms_chat(self, phone_number: str, message: str) -> str:
        """The chatbot's reply to ``message`` texted from the E.164 ``phone_number``.

        Raises:
            UpstreamError: the chatbot refused the call or answered something
                unreadable (502).
            UpstreamUnavailable: the chatbot (or auth, for our token) could not be
                reached, or could not reach its own peers (503).
            UpstreamTimeout: the chatbot did not answer in time (504).
        """
        return self.call("POST", "/internal/chat/sms", ChatbotReply,
                         json={"phone_number": phone_number, "message": message}).reply

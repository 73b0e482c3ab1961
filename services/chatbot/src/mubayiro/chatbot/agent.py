"""The chatbot's brain: turn one message into tool calls on MCP and a reply.

- **Parser mode** (default): :func:`~mubayiro.chatbot.intents.parse` picks the intent;
  one tool answers it; :mod:`~mubayiro.chatbot.replies` words the result.
- **LLM mode** (``CHATBOT_LLM_BASE_URL`` and ``CHATBOT_LLM_MODEL``): the MCP tools the
  token may use are offered to an OpenAI-compatible chat-completions endpoint as
  functions; each tool call it makes runs through MCP (with the same token, so the same
  refusals), and its final message is the reply. Any model failure — unreachable, an
  error status, an unreadable answer, too many rounds — falls back to parser mode.

The customer's phone number comes from the token (or the SMS sender), never from the
message: a number in the message is passed to MCP as asked, and MCP refuses it unless
it is the customer's own.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from mubayiro.chatbot import replies
from mubayiro.chatbot.config import ChatbotSettings
from mubayiro.chatbot.intents import parse
from mubayiro.chatbot.mcp_client import McpConnector, ToolSession

logger = logging.getLogger(__name__)


class LlmFailed(Exception):
    """The model endpoint failed; the parser answers instead."""


@dataclass(frozen=True)
class ChatAnswer:
    """A reply and the MCP tools called to make it."""

    reply: str
    tools_used: list[str]


class Chatbot:
    """Answers messages for one customer at a time."""

    def __init__(
        self,
        settings: ChatbotSettings,
        connector: McpConnector,
        *,
        llm_transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.settings = settings
        self.connector = connector
        self._llm_transport = llm_transport

    async def answer(self, message: str, *, token: str, phone: str, short: bool = False
                     ) -> ChatAnswer:
        """Answer ``message`` from the customer ``phone`` holding ``token``."""
        async with self.connector.session(token) as session:
            if self.settings.llm_enabled:
                try:
                    reply = await self._llm(session, message, phone)
                    return self._finish(reply, session, short)
                except LlmFailed as exc:
                    logger.warning("LLM mode failed, the parser answers", extra={"why": str(exc)})
            reply = await self._parsed(session, message, phone, short)
            return self._finish(reply, session, short)

    def _finish(self, reply: str, session: ToolSession, short: bool) -> ChatAnswer:
        if short:
            reply = replies.fit_sms(reply, self.settings.sms_reply_chars)
        return ChatAnswer(reply=reply, tools_used=list(dict.fromkeys(session.used)))

    async def _parsed(self, session: ToolSession, message: str, phone: str, short: bool) -> str:
        intent = parse(message)
        subject = intent.phone_number or phone
        if intent.kind == "greeting":
            return replies.GREETING if not short else "Mhoro! " + replies.HELP_SHORT
        if intent.kind in ("help", "unknown"):
            prefix = "" if intent.kind == "help" else "Sorry, I didn't understand that. "
            return prefix + (replies.HELP_SHORT if short else replies.HELP)
        if intent.kind == "offers":
            outcome = await session.call(
                "get_business_offers", {"business_name": intent.business_name or ""}
            )
            word = replies.offers
        elif intent.kind == "transactions":
            outcome = await session.call(
                "get_customer_transactions", {"phone_number": subject, "limit": 5}
            )
            word = replies.transactions
        elif intent.kind == "recommendations":
            outcome = await session.call("get_recommendations", {"phone_number": subject})
            word = replies.recommendations
        else:
            outcome = await session.call("get_customer_points", {"phone_number": subject})
            word = replies.affordable if intent.kind == "affordable" else replies.balance
        if not outcome.ok:
            return replies.refusal(outcome.error)
        return word(outcome.data, short=short)

    async def _llm(self, session: ToolSession, message: str, phone: str) -> str:
        """Run the chat-completions loop with the MCP tools as functions.

        Raises:
            LlmFailed: the endpoint failed or never gave a final answer.
        """
        tools = [{"type": "function", "function": t} for t in await session.tools()]
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": (
                "You are the Mubayiro loyalty assistant. Answer briefly and kindly, with "
                f"numbers from the tools. The customer's phone number is {phone}; use it "
                "for their data. You cannot see other people's data.")},
            {"role": "user", "content": message},
        ]
        base = (self.settings.llm_base_url or "").rstrip("/")
        headers = {}
        if self.settings.llm_api_key is not None:
            headers["Authorization"] = f"Bearer {self.settings.llm_api_key.get_secret_value()}"
        async with httpx.AsyncClient(timeout=self.settings.llm_timeout_seconds,
                                     transport=self._llm_transport) as http:
            for _ in range(self.settings.llm_max_rounds):
                try:
                    resp = await http.post(f"{base}/chat/completions", headers=headers, json={
                        "model": self.settings.llm_model, "messages": messages, "tools": tools})
                    resp.raise_for_status()
                    choice = resp.json()["choices"][0]["message"]
                except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
                    raise LlmFailed(f"model endpoint: {exc!r}") from exc
                calls = choice.get("tool_calls") or []
                if not calls:
                    content = choice.get("content")
                    if not isinstance(content, str) or not content.strip():
                        raise LlmFailed("empty answer")
                    return content.strip()
                messages.append({"role": "assistant", "content": choice.get("content"),
                                 "tool_calls": calls})
                for call in calls:
                    fn = call.get("function", {})
                    try:
                        args = json.loads(fn.get("arguments") or "{}")
                    except ValueError:
                        args = {}
                    outcome = await session.call(str(fn.get("name")), args if isinstance(
                        args, dict) else {})
                    content = json.dumps(outcome.data) if outcome.ok else json.dumps(
                        {"error": outcome.error})
                    messages.append({"role": "tool", "tool_call_id": call.get("id"),
                                     "content": content})
        raise LlmFailed("too many tool rounds")

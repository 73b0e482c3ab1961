"""``POST /chat/messages`` (customer token) and ``POST /internal/chat/sms`` (service
token, from notifications' inbound SMS handler)."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request

from mubayiro.chatbot.agent import Chatbot
from mubayiro.chatbot.clients.auth import AuthClient
from mubayiro.chatbot.exceptions import (
    ChatRateLimited,
    McpUnavailable,
    MessageTooLong,
    SmsChatNotAllowed,
)
from mubayiro.chatbot.schemas import ChatMessage, ChatReply, SmsChat
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.common.security import CurrentCustomer, ServiceCaller

router = APIRouter(tags=["chat"], route_class=SessionRoute)


def _check_length(request: Request, message: str) -> str:
    limit = request.app.state.settings.max_message_chars
    if len(message) > limit:
        raise MessageTooLong(f"Message too long: at most {limit} characters")
    return message


def _bearer(request: Request) -> str:
    return request.headers["authorization"].split(" ", 1)[1].strip()


@router.post("/chat/messages", response_model=ChatReply,
             responses=error_responses(
                 Unauthorized, Forbidden, InvalidInput, ChatRateLimited, McpUnavailable))
async def post_message(body: ChatMessage, caller: CurrentCustomer, request: Request) -> ChatReply:
    """Ask the assistant about your points, history, offers and recommendations."""
    message = _check_length(request, body.message)
    bot: Chatbot = request.app.state.chatbot
    assert caller.phone_number is not None
    answer = await bot.answer(message, token=_bearer(request), phone=caller.phone_number)
    return ChatReply(reply=answer.reply, tools_used=answer.tools_used)


@router.post("/internal/chat/sms", response_model=ChatReply, include_in_schema=False)
async def post_sms(body: SmsChat, caller: ServiceCaller, request: Request) -> ChatReply:
    """Answer an SMS chat from ``phone_number`` (≤ 160 characters where possible).

    The caller vouches that the text came from that phone (as the SMS channel does), so
    only the clients in ``sms_clients`` may; auth in turn gives customer tokens only to
    the chatbot.
    """
    if caller.client_id not in request.app.state.settings.sms_clients:
        raise SmsChatNotAllowed()
    message = _check_length(request, body.message)
    auth: AuthClient = request.app.state.auth_client
    token = await anyio.to_thread.run_sync(auth.customer_token, body.phone_number)
    bot: Chatbot = request.app.state.chatbot
    answer = await bot.answer(message, token=token, phone=body.phone_number, short=True)
    return ChatReply(reply=answer.reply, tools_used=answer.tools_used)

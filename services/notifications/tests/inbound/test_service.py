"""Answering an inbound SMS once, even when two deliveries of it race each other."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from mubayiro.common.db import Database
from mubayiro.common.deps import Transactions
from mubayiro.common.tokens import ServiceTokenProvider
from mubayiro.notifications.clients.loyalty import LoyaltyClient
from mubayiro.notifications.inbound import commands
from mubayiro.notifications.inbound.service import inbound_service
from mubayiro.notifications.models import InboundMessage, SmsOptOut

PHONE = "+263771234567"


def _count(database: Database, model) -> int:
    with database.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_racing_deliveries_both_answer_the_recorded_reply(database):
    # Both deliveries reach loyalty before either has recorded anything; loyalty
    # answers each differently, yet both must answer with the one reply recorded.
    arrived = threading.Barrier(2, timeout=10)
    answers = iter([10, 20])
    lock = threading.Lock()

    def loyalty(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.test":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 900})
        arrived.wait()
        with lock:
            total = next(answers)
        return httpx.Response(200, json={"phone_number": PHONE, "total_points": total})

    transport = httpx.MockTransport(loyalty)
    http = httpx.Client(transport=transport)
    client = LoyaltyClient(
        "http://loyalty.test", transport=transport,
        token_provider=ServiceTokenProvider(token_url="http://auth.test/auth/token",
                                            client_id="notifications", client_secret="s",
                                            http=http),
    )

    def deliver() -> str:
        return inbound_service.receive(Transactions(database), provider="twilio",
                                       provider_message_id="SM1", from_phone=PHONE, text="BAL",
                                       loyalty=client)

    try:
        with ThreadPoolExecutor(2) as pool:
            replies = list(pool.map(lambda _: deliver(), range(2)))
    finally:
        client.close()
        http.close()

    assert replies[0] == replies[1]
    assert replies[0] in {commands.balance_reply(10), commands.balance_reply(20)}
    assert _count(database, InboundMessage) == 1


def test_racing_stop_deliveries_record_one_opt_out(database):
    def deliver() -> str:
        return inbound_service.receive(Transactions(database), provider="twilio",
                                       provider_message_id="SM2", from_phone=PHONE, text="STOP",
                                       loyalty=None)  # type: ignore[arg-type]

    with ThreadPoolExecutor(4) as pool:
        replies = set(pool.map(lambda _: deliver(), range(8)))

    assert replies == {commands.STOP_REPLY}
    assert _count(database, SmsOptOut) == 1
    assert _count(database, InboundMessage) == 1

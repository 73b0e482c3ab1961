"""The limits hold under concurrent requests, on SQLite and on PostgreSQL.

The verify path spends a try with a conditional UPDATE and the request path serialises
per phone; a read-then-write version of either lets a burst through. The PostgreSQL
cases need the server at 127.0.0.1:5432 (``postgres`` marker) and skip without it (outside
CI); each gets a database of its own (``postgres_database``), dropped afterwards.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from mubayiro.auth.main import create_app
from mubayiro.common.testing import postgres_database

from .helpers import PHONE, last_code, otp_rows, wrong


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str | None]:
    """None (the SQLite file under ``data_dir``) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    with postgres_database("auth_test") as url:
        yield url


@pytest.fixture
def otp_app(make_settings, loyalty, clock, database_url):
    """The auth app on the database under test."""
    return create_app(make_settings(database_url=database_url),
                      outbox_transport=loyalty.transport, clock=clock)


async def _burst(app, path: str, bodies: list[dict]) -> Counter[int]:
    """POST every body at once; count the answers' status codes."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://auth") as client:
        answers = await asyncio.gather(*(client.post(path, json=b) for b in bodies))
    return Counter(r.status_code for r in answers)


async def test_concurrent_requests_never_exceed_three_codes(otp_app):
    async with otp_app.router.lifespan_context(otp_app):
        statuses = await _burst(otp_app, "/auth/customer/otp/request",
                                [{"phone_number": PHONE}] * 12)
        assert statuses == Counter({202: 3, 429: 9})
        assert len(otp_rows(otp_app)) == 3


async def test_concurrent_wrong_guesses_never_exceed_five_tries(otp_app):
    async with otp_app.router.lifespan_context(otp_app):
        await _burst(otp_app, "/auth/customer/otp/request", [{"phone_number": PHONE}])
        code = last_code(otp_app)
        guesses = [{"phone_number": PHONE, "code": wrong(code)}] * 12
        statuses = await _burst(otp_app, "/auth/customer/otp/verify", guesses)
        assert statuses == Counter({401: 5, 429: 7})
        assert otp_rows(otp_app)[0].attempts == 5


async def test_a_code_verified_concurrently_signs_in_once(otp_app):
    async with otp_app.router.lifespan_context(otp_app):
        await _burst(otp_app, "/auth/customer/otp/request", [{"phone_number": PHONE}])
        code = last_code(otp_app)
        statuses = await _burst(otp_app, "/auth/customer/otp/verify",
                                [{"phone_number": PHONE, "code": code}] * 8)
        assert statuses == Counter({200: 1, 401: 7})

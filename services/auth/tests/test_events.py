"""Event delivery: auth's outbox reaches loyalty's /internal/events/batch with a service token."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.auth.main import create_app
from mubayiro.auth.models import outbox
from mubayiro.common.testing import wait_until


def test_business_registered_is_delivered_to_loyalty_with_a_service_token(
    client: TestClient, app, loyalty
):
    resp = client.post("/auth/register_business", json={
        "name": "Chitungwiza Hardware", "contact_person": "Farai", "email": "f@example.com",
        "password": "hammer 123", "loyalty_rate": "0.5"})
    business_id = resp.json()["id"]
    wait_until(lambda: loyalty.requests, message="delivery to loyalty")
    request = loyalty.requests[0]
    assert str(request.url) == "http://loyalty.test/internal/events/batch"
    token = request.headers["authorization"].removeprefix("Bearer ")
    principal = app.state.token_verifier.verify(token, audience="mubayiro-internal")
    assert principal.role == "service"
    assert principal.client_id == "auth"
    envelope = json.loads(request.content)
    assert envelope["type"] == "business.registered"
    assert envelope["data"]["business_id"] == business_id
    assert envelope["data"]["loyalty_rate"] == "0.5"

    def delivered() -> bool:
        with app.state.database.session(write=False) as s:
            return s.execute(select(outbox.c.delivered_at)).scalar_one() is not None

    wait_until(delivered, message="the outbox row marked delivered")


def test_failed_deliveries_stay_in_the_outbox_for_retry(client: TestClient, app, loyalty):
    loyalty.status_code = 503
    client.post("/auth/register_business", json={
        "name": "A", "contact_person": "B", "email": "a@example.com", "password": "password 1"})

    def attempted() -> bool:
        with app.state.database.session(write=False) as s:
            row = s.execute(select(outbox)).one()
        return row.attempts >= 1 and row.delivered_at is None and "503" in row.last_error

    wait_until(attempted, message="a failed attempt recorded")


def test_no_events_are_written_when_loyalty_is_not_deployed(make_settings, loyalty):
    app = create_app(make_settings(loyalty_url=""), outbox_transport=loyalty.transport)
    with TestClient(app) as client:
        resp = client.post("/auth/register_business", json={
            "name": "A", "contact_person": "B", "email": "a@example.com",
            "password": "password 1"})
        assert resp.status_code == 201
        with app.state.database.session(write=False) as s:
            assert s.execute(select(outbox)).all() == []

"""``/auth/customer/otp/request`` and ``/verify``: every rule, and every way to be refused."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from mubayiro.auth.main import create_app
from mubayiro.auth.models import outbox
from mubayiro.auth.otp import service as otp_service_module
from mubayiro.common.testing import wait_until
from mubayiro.common.tokens import TokenVerifier

from .helpers import OTHER_PHONE, PHONE, last_code, otp_rows, row_counts, sent_codes, wrong

REQUESTED = {"detail": "If the number can receive SMS, a code is on its way.",
             "expires_in": 300}


def _request(client: TestClient, phone: str = PHONE):
    return client.post("/auth/customer/otp/request", json={"phone_number": phone})


def _verify(client: TestClient, code: str, phone: str = PHONE):
    return client.post("/auth/customer/otp/verify", json={"phone_number": phone, "code": code})


# --- the happy path ---------------------------------------------------------------------


def test_a_texted_code_signs_the_customer_in(client: TestClient, app):
    resp = _request(client)
    assert resp.status_code == 202
    assert resp.json() == REQUESTED

    resp = _verify(client, last_code(app))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert resp.headers["cache-control"] == "no-store"

    jwks = client.get("/auth/.well-known/jwks.json").json()
    principal = TokenVerifier(issuer="mubayiro-auth", jwks=jwks).verify(
        body["access_token"], audience="mubayiro")
    assert principal.role == "customer"
    assert principal.subject == f"customer:{PHONE}"
    assert principal.phone_number == PHONE


def test_local_and_international_spellings_are_one_phone(client: TestClient, app):
    assert _request(client, "0771234567").status_code == 202
    assert sent_codes(app)[0]["phone_number"] == PHONE
    resp = _verify(client, last_code(app), phone="+263 77 123 4567")
    assert resp.status_code == 200, resp.text
    claims = app.state.token_verifier.verify(resp.json()["access_token"], audience="mubayiro")
    assert claims.phone_number == PHONE


def test_the_same_answer_for_any_valid_number(client: TestClient):
    # Auth does not know who is a customer, and must not help anyone find out.
    answers = [_request(client, phone) for phone in (PHONE, "+263712345678", "+263731234567")]
    assert {r.status_code for r in answers} == {202}
    assert all(r.json() == REQUESTED for r in answers)


# --- refusals on verify -------------------------------------------------------------------


def test_a_wrong_code_is_401_and_spends_a_try(client: TestClient, app):
    _request(client)
    resp = _verify(client, wrong(last_code(app)))
    assert resp.status_code == 401
    assert resp.json()["error"] == "InvalidCode"
    assert otp_rows(app)[0].attempts == 1  # committed although the answer was an error
    assert _verify(client, last_code(app)).status_code == 200


def test_a_code_works_until_it_expires(client: TestClient, app, clock):
    _request(client)
    clock.advance(299)
    assert _verify(client, last_code(app)).status_code == 200


def test_an_expired_code_is_401(client: TestClient, app, clock):
    _request(client)
    clock.advance(300)
    resp = _verify(client, last_code(app))
    assert resp.status_code == 401
    assert resp.json()["error"] == "InvalidCode"


def test_a_phone_without_a_code_is_401(client: TestClient):
    resp = _verify(client, "123456")
    assert resp.status_code == 401
    assert resp.json()["error"] == "InvalidCode"


def test_after_five_wrong_codes_even_the_right_one_is_429(client: TestClient, app):
    _request(client)
    code = last_code(app)
    for _ in range(5):
        assert _verify(client, wrong(code)).status_code == 401
    resp = _verify(client, code)
    assert resp.status_code == 429
    assert resp.json()["error"] == "TooManyAttempts"
    # Until the spent code expires (5 minutes from its request, no time has passed).
    assert resp.headers["Retry-After"] == "300"
    assert otp_rows(app)[0].attempts == 5
    assert otp_rows(app)[0].consumed_at is None
    # A fresh code starts with fresh tries.
    _request(client)
    assert _verify(client, last_code(app)).status_code == 200


def test_a_code_for_another_phone_is_401(client: TestClient, app):
    _request(client, PHONE)
    code = last_code(app, PHONE)
    assert _verify(client, code, phone=OTHER_PHONE).status_code == 401  # it has no code
    _request(client, OTHER_PHONE)
    if code != last_code(app, OTHER_PHONE):  # one chance in a million they coincide
        assert _verify(client, code, phone=OTHER_PHONE).status_code == 401
    assert _verify(client, code, phone=PHONE).status_code == 200


def test_a_used_code_cannot_be_used_again(client: TestClient, app):
    _request(client)
    code = last_code(app)
    assert _verify(client, code).status_code == 200
    resp = _verify(client, code)
    assert resp.status_code == 401
    assert resp.json()["error"] == "InvalidCode"


def test_a_new_code_supersedes_the_older_ones(client: TestClient, app, monkeypatch):
    codes = iter(["111111", "222222"])
    monkeypatch.setattr(otp_service_module, "generate_code", lambda: next(codes))
    _request(client)
    _request(client)
    assert _verify(client, "111111").status_code == 401
    assert _verify(client, "222222").status_code == 200


# --- the request limit --------------------------------------------------------------------


def test_a_fourth_request_in_fifteen_minutes_is_429_until_the_first_leaves_the_window(
    client: TestClient, app, clock
):
    for _ in range(3):
        assert _request(client).status_code == 202
        clock.advance(60)
    resp = _request(client)  # 180 s after the first
    assert resp.status_code == 429
    assert resp.json()["error"] == "TooManyCodeRequests"
    assert resp.headers["retry-after"] == "720"
    assert row_counts(app) == (3, 3)  # a refused request writes nothing

    clock.advance(719)
    assert _request(client).headers["retry-after"] == "1"
    clock.advance(1)  # the first code is now 900 s old
    assert _request(client).status_code == 202
    assert _request(client).status_code == 429  # the second is still in the window


def test_the_request_limit_counts_every_spelling_of_a_phone(client: TestClient):
    for spelling in ("+263771234567", "0771234567", "+263 77 123 4567"):
        assert _request(client, spelling).status_code == 202
    assert _request(client, "077 123 4567").status_code == 429
    assert _request(client, OTHER_PHONE).status_code == 202  # other phones are not limited


def test_old_codes_are_forgotten_once_they_matter_to_no_rule(client: TestClient, app, clock):
    _request(client)
    _request(client)
    clock.advance(900)
    _request(client)
    assert len(otp_rows(app)) == 1


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"phone_number": None},
        {"phone_number": ""},
        {"phone_number": "123"},
        {"phone_number": "not a phone"},
        {"phone_number": "+26377123456789012345678"},
        {"phone_number": "x" * 5000},
        {"phone_number": 771234567},
        {"phone_number": PHONE, "extra": 1},
    ],
)
def test_request_refuses_invalid_bodies_with_422_and_writes_nothing(client: TestClient, app,
                                                                    body):
    resp = client.post("/auth/customer/otp/request", json=body)
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"] == "ValidationError"
    assert row_counts(app) == (0, 0)


def test_an_invalid_phone_is_named_in_the_422(client: TestClient):
    resp = _request(client, "12345")
    assert resp.json()["errors"][0]["field"] == "phone_number"


def test_request_refuses_a_body_that_is_not_json(client: TestClient, app):
    resp = client.post("/auth/customer/otp/request", content=b"phone_number=0771234567",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 422
    assert row_counts(app) == (0, 0)


@pytest.mark.parametrize(
    "body",
    [
        {"phone_number": PHONE},
        {"code": "123456"},
        {"phone_number": PHONE, "code": "12345"},
        {"phone_number": PHONE, "code": "1234567"},
        {"phone_number": PHONE, "code": "12a456"},
        {"phone_number": PHONE, "code": " 123456"},
        {"phone_number": PHONE, "code": "123456\n"},
        {"phone_number": PHONE, "code": "１２３４５６"},  # full-width digits
        {"phone_number": PHONE, "code": 123456},
        {"phone_number": PHONE, "code": None},
        {"phone_number": PHONE, "code": ""},
        {"phone_number": "0000", "code": "123456"},
        {"phone_number": PHONE, "code": "123456", "extra": True},
    ],
)
def test_verify_refuses_invalid_bodies_with_422_and_spends_no_try(client: TestClient, app,
                                                                  body):
    _request(client)
    resp = client.post("/auth/customer/otp/verify", json=body)
    assert resp.status_code == 422, resp.text
    assert otp_rows(app)[0].attempts == 0


# --- storage and delivery -----------------------------------------------------------------


def test_the_code_is_never_stored_in_plain_text(client: TestClient, app):
    _request(client)
    code = last_code(app)
    with app.state.database.session(write=False) as s:
        raw = s.execute(text("SELECT * FROM customer_otp")).mappings().one()
    assert all(code not in str(value) for value in raw.values())
    assert raw["code_hash"] == app.state.otp_hasher.digest(PHONE, code)
    assert len(raw["code_hash"]) == 64


def test_the_code_goes_to_notifications_through_the_outbox(client: TestClient, app, loyalty):
    _request(client)
    with app.state.database.session(write=False) as s:
        row = s.execute(select(outbox)).one()
    assert row.event_type == "customer.otp_requested"
    assert row.destination == "notifications"
    envelope = json.loads(row.envelope)
    assert envelope["source"] == "auth"
    data = envelope["data"]
    assert set(data) == {"phone_number", "code", "expires_at"}
    assert data["phone_number"] == PHONE
    assert len(data["code"]) == 6 and data["code"].isdigit()
    otp = otp_rows(app)[0]
    assert datetime.fromisoformat(data["expires_at"]) == otp.expires_at
    assert otp.expires_at - otp.created_at == timedelta(seconds=300)

    wait_until(lambda: loyalty.requests, message="delivery to notifications")
    request = loyalty.requests[0]
    assert str(request.url) == "http://notifications.test/internal/events/batch"
    token = request.headers["authorization"].removeprefix("Bearer ")
    assert app.state.token_verifier.verify(token, audience="mubayiro-internal").role == "service"
    assert json.loads(request.content)["data"] == data


def test_without_notifications_the_answer_is_the_same_and_no_event_is_written(
    make_settings, loyalty
):
    app = create_app(make_settings(notifications_url=""), outbox_transport=loyalty.transport)
    with TestClient(app) as client:
        resp = _request(client)
        assert resp.status_code == 202
        assert resp.json() == REQUESTED
        assert row_counts(app) == (1, 0)


def test_codes_survive_a_restart(make_settings, loyalty):
    settings = make_settings()
    with TestClient(create_app(settings, outbox_transport=loyalty.transport)) as client:
        _request(client)
        code = json.loads(_otp_envelope(client))["data"]["code"]
    restarted = create_app(make_settings(), outbox_transport=loyalty.transport)
    with TestClient(restarted) as client:
        assert _verify(client, code).status_code == 200


def _otp_envelope(client: TestClient) -> str:
    """The outbox envelope of the only OTP event in the client's app."""
    database = client.app.state.database  # type: ignore[attr-defined]
    with database.session(write=False) as s:
        return s.execute(select(outbox.c.envelope)).scalar_one()


def test_the_policy_comes_from_the_settings(make_settings, loyalty, clock):
    app = create_app(make_settings(otp_ttl_seconds=60, otp_max_attempts=1,
                                   otp_max_requests=1, otp_window_seconds=120),
                     outbox_transport=loyalty.transport, clock=clock)
    with TestClient(app) as client:
        resp = _request(client)
        assert resp.json()["expires_in"] == 60
        assert _request(client).headers["retry-after"] == "120"
        code = last_code(app)
        assert _verify(client, wrong(code)).status_code == 401
        assert _verify(client, code).status_code == 429
        clock.advance(120)
        _request(client)
        clock.advance(60)
        assert _verify(client, last_code(app)).status_code == 401


def test_openapi_documents_the_otp_routes(client: TestClient):
    paths = client.get("/openapi/auth.json").json()["paths"]
    request = paths["/auth/customer/otp/request"]["post"]
    assert {"202", "422", "429"} <= set(request["responses"])
    verify = paths["/auth/customer/otp/verify"]["post"]
    assert {"200", "401", "422", "429"} <= set(verify["responses"])

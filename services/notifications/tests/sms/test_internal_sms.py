"""``POST /internal/sms``: SMS other services ask for (referral invitations …)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mubayiro.common.testing import TestKeys, wait_until
from mubayiro.notifications.models import SMS_SENT, idempotency_record
from mubayiro.notifications.optouts.service import optout_service

URL = "/internal/sms"
PHONE = "+263771234567"
INVITE = {"to": "0771234567", "body": "Tendai invites you to Mubayiro: earn points at shops "
          "near you.", "kind": "referral_invitation"}


def _idempotency_rows(client) -> int:
    with client.app.state.database.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(idempotency_record)) or 0)


def test_queues_the_sms_and_sends_it(client, service_headers, sms_rows):
    resp = client.post(URL, json=INVITE, headers=service_headers)

    assert resp.status_code == 202
    body = resp.json()
    assert body == {"id": body["id"], "status": "queued"}
    [sms] = wait_until(
        lambda: [m for m in sms_rows(client.app) if m.status == SMS_SENT], message="sms sent"
    )
    assert (sms.id, sms.to_number, sms.body, sms.kind, sms.essential) == (
        body["id"], PHONE, INVITE["body"], "referral_invitation", False)


def test_non_essential_sms_to_an_opted_out_number_is_skipped(client, service_headers, sms_rows):
    with client.app.state.database.session() as session:
        optout_service.opt_out(session, PHONE)

    resp = client.post(URL, json=INVITE, headers=service_headers)

    assert resp.status_code == 202
    assert resp.json()["status"] == "skipped"
    [sms] = sms_rows(client.app)
    assert sms.status == "skipped"


def test_essential_sms_to_an_opted_out_number_is_queued(client, service_headers, sms_rows):
    with client.app.state.database.session() as session:
        optout_service.opt_out(session, PHONE)

    resp = client.post(URL, json={**INVITE, "kind": "otp_code", "essential": True},
                       headers=service_headers)

    assert resp.json()["status"] == "queued"
    wait_until(lambda: sms_rows(client.app)[0].status == SMS_SENT, message="sms sent")


def test_same_idempotency_key_queues_once(client, service_headers, sms_rows):
    headers = {**service_headers, "Idempotency-Key": "invite-42"}

    first = client.post(URL, json=INVITE, headers=headers)
    again = client.post(URL, json={**INVITE, "to": "+263 77 123 4567"}, headers=headers)

    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(sms_rows(client.app)) == 1


def test_same_idempotency_key_with_another_body_is_422(client, service_headers, sms_rows):
    headers = {**service_headers, "Idempotency-Key": "invite-43"}
    client.post(URL, json=INVITE, headers=headers)

    resp = client.post(URL, json={**INVITE, "body": "Another text"}, headers=headers)

    assert resp.status_code == 422
    assert resp.json()["error"] == "IdempotencyKeyReused"
    assert len(sms_rows(client.app)) == 1


def test_idempotency_keys_are_per_calling_service(client, keys, sms_rows):
    for service in ("referrals", "loyalty"):
        headers = {"Authorization": f"Bearer {keys.service_token(service)}",
                   "Idempotency-Key": "same-key"}
        assert client.post(URL, json=INVITE, headers=headers).status_code == 202

    assert len(sms_rows(client.app)) == 2


def test_without_a_key_each_request_queues(client, service_headers, sms_rows):
    client.post(URL, json=INVITE, headers=service_headers)
    client.post(URL, json=INVITE, headers=service_headers)

    assert len(sms_rows(client.app)) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to": "12345"}, "to"),
        ({"to": ""}, "to"),
        ({"to": None}, "to"),
        ({"to": "+2637" + "1" * 40}, "to"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 481}, "body"),
        ({"body": 42}, "body"),
        ({"kind": ""}, "kind"),
        ({"kind": "Referral Invitation"}, "kind"),
        ({"kind": "referral_"}, "kind"),
        ({"kind": "k" * 33}, "kind"),
        ({"kind": "émoji"}, "kind"),
        ({"essential": "yes"}, "essential"),
        ({"essential": 1}, "essential"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_bad_input_is_422_and_stores_nothing(client, service_headers, sms_rows, change, field):
    resp = client.post(URL, json={**INVITE, **change}, headers=service_headers)

    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"
    assert field in resp.json()["detail"]
    assert sms_rows(client.app) == []


@pytest.mark.parametrize("missing", ["to", "body", "kind"])
def test_missing_field_is_422(client, service_headers, sms_rows, missing):
    resp = client.post(URL, json={k: v for k, v in INVITE.items() if k != missing},
                       headers=service_headers)

    assert resp.status_code == 422
    assert missing in resp.json()["detail"]
    assert sms_rows(client.app) == []


def test_longest_body_is_accepted(client, service_headers):
    assert client.post(URL, json={**INVITE, "body": "x" * 480},
                       headers=service_headers).status_code == 202


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
def test_bad_idempotency_key_is_422_and_stores_nothing(client, service_headers, sms_rows, key):
    resp = client.post(URL, json=INVITE, headers={**service_headers, "Idempotency-Key": key})

    assert resp.status_code == 422
    assert sms_rows(client.app) == []
    assert _idempotency_rows(client) == 0


@pytest.mark.parametrize(
    ("make_token", "status"),
    [
        (lambda keys: None, 401),
        (lambda keys: "not-a-jwt", 401),
        (lambda keys: TestKeys(kid=keys.kid).service_token(), 401),
        (lambda keys: keys.service_token(expires_in=-60), 401),
        (lambda keys: keys.service_token(audience="mubayiro"), 401),
        (lambda keys: keys.business_token(3), 401),
        (lambda keys: keys.customer_token(PHONE), 401),
        (lambda keys: keys.business_token(3, audience="mubayiro-internal"), 403),
        (lambda keys: keys.customer_token(PHONE, audience="mubayiro-internal"), 403),
    ],
    ids=["missing", "garbage", "forged", "expired", "wrong-audience", "business", "customer",
         "business-internal-aud", "customer-internal-aud"],
)
def test_needs_a_service_token(client, keys, sms_rows, make_token, status):
    token = make_token(keys)
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    resp = client.post(URL, json=INVITE, headers=headers)

    assert resp.status_code == status
    assert sms_rows(client.app) == []


def test_an_sms_to_a_country_not_served_is_refused(client, service_headers, sms_rows):
    resp = client.post(URL, json={**INVITE, "to": "+881631234567"}, headers=service_headers)
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"] == "PhoneCountryNotServed"
    assert sms_rows(client.app) == []

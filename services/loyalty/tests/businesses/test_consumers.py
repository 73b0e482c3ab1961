"""The consumer of auth's business events on ``/internal/events``."""

from __future__ import annotations

import pytest


def _registered(business_id=1, name="Mazoe Cafe", rate=None):
    return {"business_id": business_id, "name": name, "contact_person": "Tendai",
            "email": "tendai@example.com", "loyalty_rate": rate}


def test_registered_event_creates_the_program_with_its_rate(loyalty):
    resp = loyalty.send_event("business.registered", _registered(rate="1.75"))

    assert resp.status_code == 200
    assert loyalty.client.get("/businesses/1").json() == {
        "id": 1, "name": "Mazoe Cafe", "loyalty_rate": "1.7500",
        "points_expire_after_days": None, "rewards": []}


def test_same_event_twice_creates_one_business_without_error(loyalty):
    first = loyalty.send_event("business.registered", _registered(), event_id="e-1")
    second = loyalty.send_event("business.registered", _registered(), event_id="e-1")

    assert first.status_code == second.status_code == 200
    assert second.json() == {"status": "duplicate"}
    assert loyalty.count("business") == 1
    assert loyalty.count("processed_event") == 1


def test_same_registration_under_two_event_ids_is_still_one_business(loyalty):
    loyalty.send_event("business.registered", _registered(), event_id="e-1")
    resp = loyalty.send_event("business.registered", _registered(), event_id="e-2")

    assert resp.status_code == 200
    assert loyalty.count("business") == 1


def test_updated_event_renames_but_never_changes_the_rate(loyalty):
    loyalty.send_event("business.registered", _registered(rate="2"))
    loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "5"},
                        headers=loyalty.business_headers(1))

    resp = loyalty.send_event("business.updated", _registered(name="Mazoe Cafe & Deli",
                                                              rate="2"))

    assert resp.status_code == 200
    assert loyalty.client.get("/businesses/1").json() == {
        "id": 1, "name": "Mazoe Cafe & Deli", "loyalty_rate": "5.0000",
        "points_expire_after_days": None, "rewards": []}


def test_updated_event_never_sets_a_rate_even_if_it_carries_one(loyalty):
    loyalty.send_event("business.registered", _registered(rate="2"))

    loyalty.send_event("business.updated", _registered(name="Renamed", rate="7"))

    assert loyalty.client.get("/businesses/1").json() == {
        "id": 1, "name": "Renamed", "loyalty_rate": "2.0000",
        "points_expire_after_days": None, "rewards": []}


def test_registration_after_an_update_still_sets_the_first_rate(loyalty):
    loyalty.send_event("business.updated", _registered(name="Early"))

    loyalty.send_event("business.registered", _registered(name="Early", rate="3"))

    assert loyalty.client.get("/businesses/1").json()["loyalty_rate"] == "3.0000"


def test_registration_without_a_rate_keeps_the_current_rate(loyalty):
    loyalty.send_event("business.registered", _registered(rate="3"))

    loyalty.send_event("business.registered", _registered(rate=None))

    assert loyalty.client.get("/businesses/1").json()["loyalty_rate"] == "3.0000"


def test_updated_event_for_an_unknown_business_creates_it(loyalty):
    resp = loyalty.send_event("business.updated", _registered(business_id=3, name="Late"))

    assert resp.status_code == 200
    assert loyalty.client.get("/businesses/3").json() == {
        "id": 3, "name": "Late", "loyalty_rate": "1.0000",
        "points_expire_after_days": None, "rewards": []}


@pytest.mark.parametrize("rate", ["-1", "1.23456", "5000"])
def test_registered_event_with_an_invalid_rate_uses_the_default(loyalty, rate):
    resp = loyalty.send_event("business.registered", _registered(rate=rate))

    assert resp.status_code == 200
    assert loyalty.client.get("/businesses/1").json()["loyalty_rate"] == "1.0000"


def test_event_with_a_bad_payload_is_refused_and_can_be_retried(loyalty):
    bad = loyalty.send_event("business.registered", {"name": "No id"}, event_id="e-9")
    fixed = loyalty.send_event("business.registered", _registered(), event_id="e-9")

    assert bad.status_code == 422
    assert fixed.status_code == 200
    assert fixed.json() == {"status": "processed"}
    assert loyalty.count("business") == 1


def test_unknown_event_types_are_acknowledged_and_ignored(loyalty):
    resp = loyalty.send_event("something.else", {"x": 1})

    assert resp.status_code == 200
    assert resp.json() == {"status": "ignored"}


def _envelope():
    return {"id": "e-1", "type": "business.registered", "source": "auth",
            "occurred_at": "2026-11-24T10:00:00Z", "data": _registered()}


def test_events_need_a_service_token(loyalty, keys):
    no_token = loyalty.client.post("/internal/events", json=_envelope())
    business = loyalty.client.post("/internal/events", json=_envelope(),
                                   headers=loyalty.business_headers(1))
    api_audience = keys.service_token("auth", audience="mubayiro")
    wrong_aud = loyalty.client.post("/internal/events", json=_envelope(),
                                    headers={"Authorization": f"Bearer {api_audience}"})
    expired = keys.service_token("auth", expires_in=-60)
    old = loyalty.client.post("/internal/events", json=_envelope(),
                              headers={"Authorization": f"Bearer {expired}"})

    internal_business = keys.business_token(1, audience="mubayiro-internal")
    wrong_role = loyalty.client.post("/internal/events", json=_envelope(),
                                     headers={"Authorization": f"Bearer {internal_business}"})

    assert no_token.status_code == 401
    assert wrong_role.status_code == 403
    # A business token is minted for the public audience, so the internal check refuses it.
    assert business.status_code == 401
    assert wrong_aud.status_code == 401
    assert old.status_code == 401
    assert loyalty.count("business") == 0
    assert loyalty.count("processed_event") == 0

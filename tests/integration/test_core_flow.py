"""The core platform end to end: real processes, real HTTP, through the HTTPS gateway."""

import random
import uuid
from functools import partial

import httpx

from mubayiro.common.testing import run_concurrently, wait_until


def new_phone() -> str:
    """A random valid Zimbabwean mobile number in local form."""
    return f"077{random.randint(1_000_000, 9_999_999)}"


def e164(local: str) -> str:
    return "+263" + local[1:]


def sms_to(gw: httpx.Client, phone: str) -> list[dict]:
    r = gw.get("/notifications/outbox", params={"to": phone})
    assert r.status_code == 200, r.text
    return r.json()


def test_walkthrough_register_login_rate_earn_lookup_sms(gw, business, customer_login):
    business_id, headers, email = business
    me = gw.get("/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == email

    r = gw.post(f"/businesses/{business_id}/loyalty_rules", json={"loyalty_rate": "1.5"},
                headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["loyalty_rate"] in ("1.5", "1.50", "1.5000", 1.5)

    phone = new_phone()
    first = gw.post("/transactions/add_points", headers=headers, json={
        "business_id": business_id, "customer_phone_number": phone, "amount_spent": "10.99"})
    assert first.status_code == 201, first.text
    assert first.json()["points_earned"] == 16 and first.json()["total_points"] == 16
    assert first.json()["customer_phone_number"] == e164(phone)

    second = gw.post("/transactions/add_points", headers=headers, json={
        "business_id": business_id, "customer_phone_number": e164(phone), "amount_spent": 20})
    assert second.status_code == 201, second.text
    assert second.json()["points_earned"] == 30 and second.json()["total_points"] == 46

    customer = customer_login(phone)
    assert gw.get(f"/customers/points/{e164(phone)}", headers=headers).status_code == 403
    lookup = gw.get(f"/customers/points/{e164(phone)}", headers=customer)
    assert lookup.status_code == 200, lookup.text
    body = lookup.json()
    assert body["total_points"] == 46
    assert [t["points"] for t in body["recent_transactions"]] == [30, 16]
    me_name = me.json()["name"]
    assert {t["business_name"] for t in body["recent_transactions"]} == {me_name}

    def earn_sms():
        earned = [m["body"] for m in sms_to(gw, phone) if m["body"].startswith("You earned")]
        return earned if len(earned) == 2 else None

    assert wait_until(earn_sms, timeout=15, message="two SMS in the outbox") == [
        f"You earned 30 points at {me_name}. Balance: 46.",
        f"You earned 16 points at {me_name}. Balance: 16.",
    ]


def test_last_five_across_businesses_with_names(gw, business, customer_login):
    other_email = f"o-{uuid.uuid4().hex[:8]}@example.co.zw"
    r = gw.post("/auth/register_business", json={
        "name": "Avondale Bakery", "contact_person": "Rudo", "email": other_email,
        "password": "Bread2026!", "loyalty_rate": "2"})
    assert r.status_code == 201, r.text
    other_id = r.json()["id"]
    other_headers = {"Authorization": "Bearer " + gw.post("/auth/login_business", json={
        "email": other_email, "password": "Bread2026!"}).json()["access_token"]}
    business_id, headers, _ = business
    phone = new_phone()
    for i in range(4):
        assert gw.post("/transactions/add_points", headers=headers, json={
            "business_id": business_id, "customer_phone_number": phone,
            "amount_spent": str(10 + i)}).status_code == 201
        assert gw.post("/transactions/add_points", headers=other_headers, json={
            "business_id": other_id, "customer_phone_number": phone,
            "amount_spent": "5"}).status_code == 201
    body = gw.get(f"/customers/points/{e164(phone)}", headers=customer_login(phone)).json()
    assert body["total_points"] == (10 + 11 + 12 + 13) + 4 * 10
    recent = body["recent_transactions"]
    assert len(recent) == 5
    assert recent[0]["business_name"] == "Avondale Bakery" and recent[0]["points"] == 10
    assert [t["points"] for t in recent] == [10, 13, 10, 12, 10]


def test_other_business_is_refused_everywhere(gw, business):
    business_id, headers, _ = business
    other_id = business_id + 100_000
    assert gw.post(f"/businesses/{other_id}/loyalty_rules", json={"loyalty_rate": "2"},
                   headers=headers).status_code == 403
    assert gw.get(f"/businesses/{other_id}/transactions", headers=headers).status_code == 403
    r = gw.post("/transactions/add_points", headers=headers, json={
        "business_id": other_id, "customer_phone_number": new_phone(), "amount_spent": "5"})
    assert r.status_code == 403 and r.json()["error"]


def test_bad_tokens_are_401_through_the_gateway(gw, business):
    business_id, headers, _ = business
    token = headers["Authorization"].split()[1]
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Bearer {tampered}"}):
        assert gw.get("/auth/me", headers=bad).status_code == 401
        assert gw.get(f"/businesses/{business_id}/transactions", headers=bad).status_code == 401


def test_internal_routes_are_never_routed(gw):
    for path in ("/internal/events", "/auth/../internal/events", "/%69nternal/events"):
        assert gw.post(path, json={}).status_code == 404


def test_idempotency_key_awards_once_through_the_gateway(gw, business):
    business_id, headers, _ = business
    phone = new_phone()
    body = {"business_id": business_id, "customer_phone_number": phone, "amount_spent": "12"}
    key = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    first = gw.post("/transactions/add_points", headers=key, json=body)
    again = gw.post("/transactions/add_points", headers=key, json=body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    view = gw.get(f"/businesses/{business_id}/customers/{e164(phone)}", headers=headers).json()
    assert view["total_points"] == 12 and len(view["transactions"]) == 1
    changed = gw.post("/transactions/add_points", headers=key, json={**body, "amount_spent": "13"})
    assert changed.status_code == 422


def test_hundred_concurrent_earns_keep_the_ledger_exact(gw, business, platform):
    business_id, headers, _ = business
    phone = new_phone()
    amounts = [random.randint(1, 50) for _ in range(100)]
    statuses: list[int] = []

    def earn(amount: int) -> None:
        with platform.client() as client:
            statuses.append(client.post("/transactions/add_points", headers=headers, json={
                "business_id": business_id, "customer_phone_number": phone,
                "amount_spent": amount}).status_code)

    run_concurrently(*[partial(earn, a) for a in amounts])
    assert statuses == [201] * 100
    total = gw.get(f"/businesses/{business_id}/customers/{e164(phone)}",
                   headers=headers).json()["total_points"]
    listed = gw.get(f"/businesses/{business_id}/transactions", params={"limit": 200},
                    headers=headers).json()
    mine = [t for t in listed if t.get("customer_phone_number") == e164(phone)]
    assert total == sum(amounts) == sum(t["points"] for t in mine)
    assert len(mine) == 100


def test_sms_is_delivered_once_after_notifications_comes_back(gw, business, platform):
    business_id, headers, _ = business
    phone = new_phone()
    platform.stop("notifications")
    try:
        r = gw.post("/transactions/add_points", headers=headers, json={
            "business_id": business_id, "customer_phone_number": phone, "amount_spent": "7"})
        assert r.status_code == 201, r.text
        assert gw.get("/notifications/outbox").status_code == 502
    finally:
        platform.start("notifications")
    assert platform.procs  # notifications is back: the outbox drains on its own
    messages = wait_until(lambda: sms_to(gw, phone), timeout=20, message="the delayed SMS")
    wait_until(lambda: all(m["status"] == "sent" for m in sms_to(gw, phone)), timeout=10,
               message="the SMS to be sent")
    # Loyalty's outbox has nothing left to send, so no second copy can still be on its way.
    wait_until(lambda: undelivered_events(platform) == 0, timeout=10,
               message="loyalty's outbox to drain")
    assert len(sms_to(gw, phone)) == len(messages) == 1


def undelivered_events(platform) -> int:
    """Rows in loyalty's outbox not yet acknowledged (read from its database)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(platform.database_url("loyalty"))
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT count(*) FROM outbox_message WHERE delivered_at IS NULL")).scalar_one()
    finally:
        engine.dispose()

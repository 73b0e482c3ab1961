"""The outbox dispatcher delivers ``points.earned`` to each subscriber, with retries."""

from __future__ import annotations

from mubayiro.common.testing import wait_until

PHONE = "+263771234567"


def test_points_earned_reaches_both_subscribers_with_a_service_token(loyalty, keys):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="2")
    result = loyalty.add_points(1, PHONE, "12.50").json()

    wait_until(lambda: len(loyalty.subscribers.received) == 2, message="two deliveries")

    for host in ("notifications.test", "reports.test"):
        [delivery] = loyalty.subscribers.for_host(host)
        assert delivery["path"] == "/internal/events/batch"
        token = delivery["authorization"].removeprefix("Bearer ")
        caller = keys.verifier().verify(token, audience="mubayiro-internal")
        assert (caller.role, caller.client_id) == ("service", "loyalty")
        envelope = delivery["envelope"]
        assert envelope["type"] == "points.earned"
        assert envelope["data"]["transaction_id"] == result["transaction_id"]
        assert envelope["data"]["points"] == 25
        assert envelope["data"]["total_points"] == 25
        assert envelope["data"]["amount_spent"] == "12.50"
    wait_until(lambda: all(r.delivered_at for r in loyalty.rows("outbox_message")),
               message="rows marked delivered")


def test_a_subscriber_that_is_down_gets_the_event_when_it_is_back(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")
    loyalty.subscribers.failing.add("reports.test")

    loyalty.add_points(1, PHONE, "10.00")
    wait_until(lambda: loyalty.subscribers.for_host("notifications.test"),
               message="notifications delivery")
    wait_until(lambda: any(r.attempts >= 1 and r.destination == "reports"
                           for r in loyalty.rows("outbox_message")),
               message="a failed attempt to reports")
    assert loyalty.subscribers.for_host("reports.test") == []

    loyalty.subscribers.failing.clear()

    wait_until(lambda: loyalty.subscribers.for_host("reports.test"), message="reports delivery")
    assert len(loyalty.subscribers.for_host("notifications.test")) == 1


def test_rolled_back_award_emits_nothing(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")
    loyalty.add_points(1, PHONE, "10.00", headers={"Idempotency-Key": "k"})

    resp = loyalty.add_points(1, PHONE, "99.00", headers={"Idempotency-Key": "k"})

    assert resp.status_code == 422
    assert loyalty.count("outbox_message") == 2

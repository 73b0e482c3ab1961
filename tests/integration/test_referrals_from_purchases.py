"""Referrals learnt from purchases, through the gateway (issues 11 and 16): a friend
invited from the portal buys at a shop and becomes that shop's pending referral; the shop
completes it once, paying its default bonus; another shop learns nothing of it."""

from mubayiro.common.testing import wait_until
from tests.helpers import earn, new_phone, register_business, track_referral, unique


def pending(gw, headers) -> list[dict]:
    r = gw.get("/referrals", params={"status": "pending"}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_invite_then_the_friend_buys_then_the_shop_completes_once(gw, customer_login):
    shop_id, shop, _ = register_business(gw, unique("Avondale Butchery"), loyalty_rate="1")
    other_id, other, _ = register_business(gw, unique("Borrowdale Books"), loyalty_rate="1")
    inviter, friend = new_phone(), new_phone()
    earn(gw, other_id, other, inviter, 20)  # the inviter is a customer elsewhere only
    as_inviter = customer_login(inviter)
    invited = gw.post("/referrals/invite", json={"friend_phone_number": friend},
                      headers=as_inviter)
    assert invited.status_code == 201, invited.text
    referral_id = invited.json()["referral_id"]
    assert pending(gw, shop) == []
    assert gw.put("/referrals/settings", json={"default_bonus_points": 75},
                  headers=shop).status_code == 200

    # The friend buys at the shop: loyalty's points.earned reaches referrals.
    earn(gw, shop_id, shop, friend, 12)
    items = wait_until(lambda: pending(gw, shop), timeout=15,
                       message="the invitation to become the shop's pending referral")

    assert [r["id"] for r in items] == [referral_id]
    assert items[0]["referrer_phone_number"] == inviter
    assert items[0]["first_purchase_at"] is not None
    # The other shop, where the friend has bought nothing, sees nothing of it ...
    assert pending(gw, other) == []
    refused = gw.post("/referrals/complete", json={"referral_id": referral_id}, headers=other)
    assert refused.status_code == 404
    # ... and a second purchase, there, changes nothing for either shop.
    earn(gw, other_id, other, friend, 3)

    done = gw.post("/referrals/complete", json={"referral_id": referral_id}, headers=shop)
    again = gw.post("/referrals/complete", json={"referral_id": referral_id}, headers=shop)

    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed" and done.json()["points_awarded"] == 75
    assert again.status_code == 409 and again.json()["error"] == "ReferralAlreadyCompleted"
    history = gw.get(f"/customers/{inviter}/transactions", headers=as_inviter).json()
    bonuses = [t for t in history if t["type"] == "referral_bonus"]
    assert [(t["points"], t["business_id"]) for t in bonuses] == [(75, shop_id)]
    assert pending(gw, other) == []


def test_complete_waits_for_the_friends_purchase_at_the_shop(gw):
    shop_id, shop, _ = register_business(gw, unique("Chisipite Chemist"), loyalty_rate="1")
    other_id, other, _ = register_business(gw, unique("Dzivarasekwa Deli"), loyalty_rate="1")
    referrer, friend = new_phone(), new_phone()
    earn(gw, shop_id, shop, referrer, 10)
    tracked = track_referral(gw, shop_id, shop, friend, referrer)
    assert tracked.status_code == 201, tracked.text
    earn(gw, other_id, other, friend, 10)  # bought, but at another shop

    refused = gw.post("/referrals/complete", headers=shop, json={
        "referral_id": tracked.json()["id"], "points_to_award_referrer": 30})
    earn(gw, shop_id, shop, friend, 10)
    # No waiting for the event: loyalty's ledger already has the purchase.
    done = gw.post("/referrals/complete", headers=shop, json={
        "referral_id": tracked.json()["id"], "points_to_award_referrer": 30})

    assert refused.status_code == 409 and refused.json()["error"] == "NoPurchaseYet"
    assert done.status_code == 200, done.text


def test_another_shop_cannot_tell_a_referred_customer_from_a_stranger(gw):
    shop_id, shop, _ = register_business(gw, unique("Eastlea Electrics"), loyalty_rate="1")
    other_id, other, _ = register_business(gw, unique("Fairview Fabrics"), loyalty_rate="1")
    referrer, friend = new_phone(), new_phone()
    earn(gw, shop_id, shop, referrer, 10)
    assert track_referral(gw, shop_id, shop, friend, referrer).status_code == 201
    earn(gw, shop_id, shop, friend, 10)

    def ask(referrer_phone, friend_phone):
        r = track_referral(gw, other_id, other, friend_phone, referrer_phone)
        return r.status_code, r.json()

    known = ask(referrer, friend)
    stranger = ask(new_phone(), new_phone())

    assert known == stranger
    assert known[0] == 422 and known[1]["error"] == "ReferrerNotACustomer"

"""Issue 11: a shop cannot tell a customer (or a referral) of another shop from a stranger.

Two shops, the same phones. Shop A knows the referrer (a customer of A), has referred
the friend, seen the friend buy and paid the bonus. Shop B then asks every question the
referral routes answer about those phones, and the same questions about phones nobody
has ever seen: each answer must be the same, word for word once the phones are swapped.
"""

from __future__ import annotations

import pytest

SHOP_A, SHOP_B = 1, 2
REFERRER, FRIEND = "+263771234567", "+263772345678"
STRANGER, NOBODY = "+263779990001", "+263779990002"


@pytest.fixture
def shop_a_history(referrals):
    """Shop A's referral of FRIEND by REFERRER, bought and completed; REFERRER's code."""
    referrals.peers.buys(SHOP_A, REFERRER)
    code = referrals.invite(REFERRER, "+263774445556").json()["referral_code"]
    referral = referrals.track(SHOP_A, FRIEND, REFERRER).json()["id"]
    referrals.purchase(SHOP_A, FRIEND)
    assert referrals.complete(SHOP_A, referral_id=referral, points=40).status_code == 200
    return code


def _answer(response, referrer, friend, code):
    """What shop B sees: the status and body, with the phones and code asked about made
    generic."""
    text = (response.text.replace(referrer, "<referrer>").replace(friend, "<friend>")
            .replace(code, "<code>"))
    return response.status_code, text


PROBES = {
    "track by phone": lambda r, referrer, friend, code: r.track(SHOP_B, friend, referrer),
    "track by code": lambda r, referrer, friend, code: r.track(SHOP_B, friend, code=code),
    "complete by phone": lambda r, referrer, friend, code: r.complete(SHOP_B, phone=friend),
    "complete, default bonus": lambda r, referrer, friend, code: r.complete(
        SHOP_B, phone=friend, points=None),
}


@pytest.mark.parametrize("probe", PROBES.values(), ids=PROBES.keys())
def test_shop_b_gets_the_same_answer_for_shop_as_phones_as_for_strangers(
        referrals, shop_a_history, probe):
    code = shop_a_history
    # A code nobody has, so the stranger's probe has a code too.
    nobodys_code = "ABCDEF" if code != "ABCDEF" else "ABCDEG"
    before = referrals.counts()
    balance_calls = len(referrals.peers.balance_calls)

    known = probe(referrals, REFERRER, FRIEND, code)
    strangers = probe(referrals, STRANGER, NOBODY, nobodys_code)

    assert known.status_code >= 400
    assert _answer(known, REFERRER, FRIEND, code) == _answer(
        strangers, STRANGER, NOBODY, nobodys_code)
    assert referrals.counts() == before
    # Never a coalition-wide question on a shop's behalf.
    assert len(referrals.peers.balance_calls) == balance_calls


def test_shop_b_lists_nothing_of_shop_a(referrals, shop_a_history):
    assert referrals.list(SHOP_B).json() == {"items": [], "total": 0}
    assert referrals.list(SHOP_B, status="completed").json() == {"items": [], "total": 0}


def test_shop_b_may_refer_the_same_friend_by_its_own_customer_and_pay_its_own_bonus(
        referrals, shop_a_history):
    """Once the referrer is shop B's customer too, B records and completes its own
    referral of the same friend: neither shop's referral stands in the other's way."""
    referrals.peers.buys(SHOP_B, REFERRER)

    tracked = referrals.track(SHOP_B, FRIEND, REFERRER)
    refused = referrals.complete(SHOP_B, referral_id=tracked.json()["id"])
    referrals.purchase(SHOP_B, FRIEND)
    done = referrals.complete(SHOP_B, referral_id=tracked.json()["id"], points=25)

    assert tracked.status_code == 201, tracked.text
    assert tracked.json()["business_id"] == SHOP_B
    # A's purchase is not B's: B's referral waits for the friend to buy at B.
    assert tracked.json()["first_purchase_at"] is None
    assert refused.status_code == 409 and refused.json()["error"] == "NoPurchaseYet"
    assert done.status_code == 200, done.text
    assert referrals.peers.paid_to(REFERRER) == 40 + 25
    assert [r["business_id"] for r in referrals.list(SHOP_B).json()["items"]] == [SHOP_B]

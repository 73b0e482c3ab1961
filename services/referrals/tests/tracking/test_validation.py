"""Bad input on every route: a clear 4xx, and nothing written anywhere."""

from __future__ import annotations

import pytest

REFERRER = "+263771234567"
NEW = "+263772345678"
FRIEND = "+263773456789"

TRACK_CASES = {
    "invalid new phone": {"business_id": 1, "new_customer_phone_number": "12345",
                          "referrer_phone_number": REFERRER},
    "letters as phone": {"business_id": 1, "new_customer_phone_number": "phone",
                         "referrer_phone_number": REFERRER},
    "invalid referrer phone": {"business_id": 1, "new_customer_phone_number": NEW,
                               "referrer_phone_number": "+2637"},
    "phone as number": {"business_id": 1, "new_customer_phone_number": 263772345678,
                        "referrer_phone_number": REFERRER},
    "overlong phone": {"business_id": 1, "new_customer_phone_number": "0" * 500,
                       "referrer_phone_number": REFERRER},
    "no referrer at all": {"business_id": 1, "new_customer_phone_number": NEW},
    "null referrer and code": {"business_id": 1, "new_customer_phone_number": NEW,
                               "referrer_phone_number": None, "referral_code_used": None},
    "code too short": {"business_id": 1, "new_customer_phone_number": NEW,
                       "referral_code_used": "K7PX2"},
    "code with a look-alike": {"business_id": 1, "new_customer_phone_number": NEW,
                               "referral_code_used": "K7PX2O"},
    "code as number": {"business_id": 1, "new_customer_phone_number": NEW,
                       "referral_code_used": 234567},
    "missing business": {"new_customer_phone_number": NEW, "referrer_phone_number": REFERRER},
    "business as string": {"business_id": "1", "new_customer_phone_number": NEW,
                           "referrer_phone_number": REFERRER},
    "business as bool": {"business_id": True, "new_customer_phone_number": NEW,
                         "referrer_phone_number": REFERRER},
    "business zero": {"business_id": 0, "new_customer_phone_number": NEW,
                      "referrer_phone_number": REFERRER},
    "business huge": {"business_id": 2**40, "new_customer_phone_number": NEW,
                      "referrer_phone_number": REFERRER},
    "missing new phone": {"business_id": 1, "referrer_phone_number": REFERRER},
    "unknown field": {"business_id": 1, "new_customer_phone_number": NEW,
                      "referrer_phone_number": REFERRER, "points": 5},
    "not an object": [1, 2, 3],
}

COMPLETE_CASES = {
    "zero points": {"referral_id": 1, "points_to_award_referrer": 0},
    "negative points": {"referral_id": 1, "points_to_award_referrer": -5},
    "huge points": {"referral_id": 1, "points_to_award_referrer": 10**12},
    "above the maximum": {"referral_id": 1, "points_to_award_referrer": 10_001},
    "fractional points": {"referral_id": 1, "points_to_award_referrer": 10.5},
    "points as string": {"referral_id": 1, "points_to_award_referrer": "100"},
    "points as bool": {"referral_id": 1, "points_to_award_referrer": True},
    "both targets": {"referral_id": 1, "new_customer_phone_number": NEW,
                     "points_to_award_referrer": 10},
    "neither target": {"points_to_award_referrer": 10},
    "both null": {"referral_id": None, "new_customer_phone_number": None,
                  "points_to_award_referrer": 10},
    "id as string": {"referral_id": "1", "points_to_award_referrer": 10},
    "id zero": {"referral_id": 0, "points_to_award_referrer": 10},
    "id negative": {"referral_id": -1, "points_to_award_referrer": 10},
    "id huge": {"referral_id": 2**40, "points_to_award_referrer": 10},
    "invalid phone": {"new_customer_phone_number": "0000", "points_to_award_referrer": 10},
    "unknown field": {"referral_id": 1, "points_to_award_referrer": 10, "bonus": 1},
}

INVITE_CASES = {
    "invalid phone": {"friend_phone_number": "12"},
    "letters": {"friend_phone_number": "my friend"},
    "phone as number": {"friend_phone_number": 773456789},
    "missing": {},
    "null": {"friend_phone_number": None},
    "unknown field": {"friend_phone_number": FRIEND, "message": "hi"},
}


def _prepared(referrals):
    """A tracked pending referral (id 1), so bad completes have something to hit."""
    referrals.peers.buys(1, REFERRER)
    assert referrals.track(1, NEW, REFERRER).status_code == 201
    return referrals.counts(), len(referrals.peers.balance_calls)


def _refused(referrals, path, body):
    """POST ``body`` to ``path`` as business 1, which must answer 422; the answer."""
    response = referrals.client.post(path, json=body, headers=referrals.business(1))
    assert response.status_code == 422, response.text
    return response


@pytest.mark.parametrize("body", TRACK_CASES.values(), ids=TRACK_CASES.keys())
def test_bad_track_bodies_are_422_and_write_nothing(referrals, body):
    before, calls = _prepared(referrals)

    response = _refused(referrals, "/referrals/track", body)

    assert response.json()["error"] == "ValidationError"
    assert response.json()["detail"]
    assert referrals.counts() == before
    assert len(referrals.peers.balance_calls) == calls


@pytest.mark.parametrize("body", COMPLETE_CASES.values(), ids=COMPLETE_CASES.keys())
def test_bad_complete_bodies_are_422_and_change_nothing(referrals, body):
    before, _ = _prepared(referrals)

    response = _refused(referrals, "/referrals/complete", body)

    assert response.json()["error"] in {"ValidationError", "PointsAboveMaximum"}
    assert referrals.counts() == before
    assert referrals.rows("referral")[0].status == "pending"
    assert referrals.peers.bonus_requests == []


@pytest.mark.parametrize("body", INVITE_CASES.values(), ids=INVITE_CASES.keys())
def test_bad_invite_bodies_are_422_and_write_nothing(referrals, body):
    before, calls = _prepared(referrals)

    response = referrals.client.post("/referrals/invite", json=body,
                                     headers=referrals.customer(REFERRER))

    assert response.status_code == 422, response.text
    assert referrals.counts() == before
    assert len(referrals.peers.balance_calls) == calls


@pytest.mark.parametrize("params", [
    {"status": "done"}, {"limit": 0}, {"limit": 201}, {"limit": -1}, {"limit": "ten"},
    {"offset": -1}, {"offset": 2**40},
], ids=str)
def test_bad_list_parameters_are_422(referrals, params):
    response = referrals.list(1, **params)

    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"


@pytest.mark.parametrize("path", ["/referrals/track", "/referrals/complete"])
def test_malformed_json_is_422(referrals, path):
    response = referrals.client.post(path, content=b"{not json",
                                     headers={**referrals.business(1),
                                              "Content-Type": "application/json"})

    assert response.status_code == 422


def test_an_oversized_body_is_413_and_writes_nothing(referrals):
    before, _ = _prepared(referrals)
    body = {"business_id": 1, "new_customer_phone_number": NEW, "referrer_phone_number": REFERRER,
            "padding": "x" * 70_000}

    response = referrals.client.post("/referrals/track", json=body,
                                     headers=referrals.business(1))

    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"
    assert referrals.counts() == before


@pytest.mark.parametrize("key", ["", "x" * 256, "clé-non-ascii".encode()],
                         ids=["empty", "long", "non-ascii"])
def test_a_malformed_idempotency_key_is_422(referrals, key):
    before, _ = _prepared(referrals)

    response = referrals.complete(1, referral_id=1, headers={"Idempotency-Key": key})

    assert response.status_code == 422
    assert referrals.counts() == before
    assert referrals.peers.bonus_requests == []

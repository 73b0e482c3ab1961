"""GET /referrals: the caller's business's referrals, newest first, one page at a time."""

from __future__ import annotations

REFERRER = "+263771234567"
PHONES = [f"+2637723456{i:02d}" for i in range(7)]


def _track_all(referrals, business_id, phones):
    referrals.peers.buys(business_id, REFERRER)
    return [referrals.track(business_id, p, REFERRER).json()["id"] for p in phones]


def test_list_is_newest_first_with_the_total(referrals):
    ids = _track_all(referrals, 1, PHONES[:3])

    response = referrals.list(1)

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3
    assert [r["id"] for r in body["items"]] == ids[::-1]
    assert body["items"][0]["referred_phone_number"] == PHONES[2]


def test_list_pages_with_limit_and_offset(referrals):
    ids = _track_all(referrals, 1, PHONES)

    first = referrals.list(1, limit=3).json()
    second = referrals.list(1, limit=3, offset=3).json()
    last = referrals.list(1, limit=3, offset=6).json()
    beyond = referrals.list(1, limit=3, offset=50).json()

    newest_first = ids[::-1]
    assert [r["id"] for r in first["items"]] == newest_first[:3]
    assert [r["id"] for r in second["items"]] == newest_first[3:6]
    assert [r["id"] for r in last["items"]] == newest_first[6:]
    assert beyond == {"items": [], "total": 7}
    assert first["total"] == second["total"] == 7


def test_list_filters_by_status(referrals):
    ids = _track_all(referrals, 1, PHONES[:3])
    referrals.purchase(1, PHONES[1])
    assert referrals.complete(1, referral_id=ids[1]).status_code == 200

    pending = referrals.list(1, status="pending").json()
    completed = referrals.list(1, status="completed").json()

    assert [r["id"] for r in pending["items"]] == [ids[2], ids[0]]
    assert pending["total"] == 2
    assert [r["id"] for r in completed["items"]] == [ids[1]]
    assert completed["items"][0]["points_awarded"] == 100


def test_list_shows_only_the_callers_referrals(referrals):
    mine = _track_all(referrals, 1, PHONES[:2])
    _track_all(referrals, 2, PHONES[2:4])
    referrals.invite(REFERRER, PHONES[5])  # an invitation no business has tracked

    body = referrals.list(1).json()

    assert {r["id"] for r in body["items"]} == set(mine)
    assert body["total"] == 2
    assert referrals.list(3).json() == {"items": [], "total": 0}


def test_a_claimed_invitation_is_listed_when_it_was_tracked(referrals):
    referrals.peers.buys(1, REFERRER)
    invited = referrals.invite(REFERRER, PHONES[0]).json()["referral_id"]
    tracked = referrals.track(1, PHONES[1], REFERRER).json()["id"]
    referrals.track(1, PHONES[0], REFERRER)  # claims the older invitation last

    body = referrals.list(1).json()

    assert [r["id"] for r in body["items"]] == [invited, tracked]

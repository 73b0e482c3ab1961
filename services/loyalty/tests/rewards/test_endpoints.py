"""The rewards catalog: a business's CRUD, ownership, validation, and what customers see."""

from __future__ import annotations

import pytest

PHONE = "+263771234567"


@pytest.fixture
def shops(loyalty):
    """Businesses 1 (Mazoe Cafe) and 2 (Harare Butchery), with empty catalogs."""
    loyalty.register_business(1, "Mazoe Cafe")
    loyalty.register_business(2, "Harare Butchery")
    return loyalty


def create(loyalty, business_id, name="Free coffee", cost=50, *, caller=None, **extra):
    """POST a reward as ``caller`` (default: the business itself)."""
    return loyalty.client.post(f"/businesses/{business_id}/rewards",
                               json={"name": name, "points_cost": cost, **extra},
                               headers=loyalty.business_headers(caller or business_id))


def listing(loyalty, business_id, query=""):
    """GET the business's catalog as itself."""
    resp = loyalty.client.get(f"/businesses/{business_id}/rewards{query}",
                              headers=loyalty.business_headers(business_id))
    assert resp.status_code == 200, resp.text
    return resp.json()


# --- create, list, update, delete -----------------------------------------------------------


def test_create_returns_the_reward(shops):
    resp = create(shops, 1, "  Free coffee ", 50, description="Any size")

    assert resp.status_code == 201
    body = resp.json()
    assert body == {"id": body["id"], "business_id": 1, "name": "Free coffee",
                    "description": "Any size", "points_cost": 50, "active": True,
                    "created_at": body["created_at"], "updated_at": body["created_at"]}
    assert body["created_at"].endswith(("Z", "+00:00"))


def test_catalog_lists_own_rewards_cheapest_first(shops):
    create(shops, 1, "Cake", 80)
    create(shops, 1, "Coffee", 30)
    create(shops, 2, "Steak", 10)

    assert [(r["name"], r["points_cost"]) for r in listing(shops, 1)] == [
        ("Coffee", 30), ("Cake", 80)]


def test_patch_changes_only_the_fields_sent(shops):
    reward = create(shops, 1, "Coffee", 30, description="Small").json()

    resp = shops.client.patch(f"/businesses/1/rewards/{reward['id']}",
                              json={"points_cost": 35},
                              headers=shops.business_headers(1))

    assert resp.status_code == 200
    assert resp.json()["points_cost"] == 35
    assert (resp.json()["name"], resp.json()["description"]) == ("Coffee", "Small")
    assert resp.json()["updated_at"] >= reward["updated_at"]
    assert listing(shops, 1)[0]["points_cost"] == 35


def test_delete_deactivates_and_patch_brings_back(shops):
    reward = create(shops, 1).json()
    headers = shops.business_headers(1)

    deleted = shops.client.delete(f"/businesses/1/rewards/{reward['id']}", headers=headers)
    again = shops.client.delete(f"/businesses/1/rewards/{reward['id']}", headers=headers)

    assert deleted.status_code == again.status_code == 204
    assert deleted.content == b""
    assert listing(shops, 1) == []
    [hidden] = listing(shops, 1, "?include_inactive=true")
    assert hidden["active"] is False
    assert shops.count("reward") == 1  # never erased

    back = shops.client.patch(f"/businesses/1/rewards/{reward['id']}", json={"active": True},
                              headers=headers)
    assert back.json()["active"] is True
    assert len(listing(shops, 1)) == 1


def test_a_reward_can_be_created_inactive(shops):
    create(shops, 1, "Later", 10, active=False)

    assert listing(shops, 1) == []
    assert len(listing(shops, 1, "?include_inactive=true")) == 1


def test_create_with_the_same_idempotency_key_creates_once(shops):
    headers = {**shops.business_headers(1), "Idempotency-Key": "new-reward-1"}
    body = {"name": "Coffee", "points_cost": 30}

    first = shops.client.post("/businesses/1/rewards", json=body, headers=headers)
    again = shops.client.post("/businesses/1/rewards", json=body, headers=headers)
    other = shops.client.post("/businesses/1/rewards", json={**body, "points_cost": 31},
                              headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert shops.count("reward") == 1


def test_a_new_business_is_fetched_from_auth_on_its_first_reward(loyalty):
    loyalty.auth.add_business(8, "New Shop")

    resp = create(loyalty, 8)

    assert resp.status_code == 201
    assert loyalty.auth.lookups() == ["GET /internal/businesses/8"]


# --- the public page and the customer's view ---------------------------------------------


def test_public_business_page_shows_active_rewards(shops):
    cake = create(shops, 1, "Cake", 80, description="Slice").json()
    coffee = create(shops, 1, "Coffee", 30).json()
    gone = create(shops, 1, "Gone", 5).json()
    create(shops, 2, "Steak", 60)
    shops.client.delete(f"/businesses/1/rewards/{gone['id']}", headers=shops.business_headers(1))

    resp = shops.client.get("/businesses/1")

    assert resp.json()["rewards"] == [
        {"id": coffee["id"], "name": "Coffee", "description": "", "points_cost": 30},
        {"id": cake["id"], "name": "Cake", "description": "Slice", "points_cost": 80}]


def test_customer_sees_every_active_reward_redeemable_first_then_closest(shops):
    shops.add_points(1, PHONE, "50.00")  # 50 points
    create(shops, 1, "Cake", 80)
    create(shops, 1, "Coffee", 30)
    create(shops, 2, "Steak", 60)
    create(shops, 2, "Sausage", 50)
    create(shops, 2, "Hidden", 10, active=False)

    resp = shops.client.get(f"/customers/{PHONE}/rewards", headers=shops.customer_headers(PHONE))

    assert resp.status_code == 200
    rows = resp.json()
    assert [(r["name"], r["redeemable"], r["points_missing"]) for r in rows] == [
        ("Coffee", True, 0), ("Sausage", True, 0), ("Steak", False, 10), ("Cake", False, 30)]
    assert rows[2] == {"id": rows[2]["id"], "business_id": 2, "business_name": "Harare Butchery",
                       "name": "Steak", "description": "", "points_cost": 60,
                       "redeemable": False, "points_missing": 10}


def test_customer_without_points_sees_nothing_redeemable(shops):
    create(shops, 1, "Coffee", 30)

    rows = shops.client.get(f"/customers/{PHONE}/rewards",
                            headers=shops.customer_headers(PHONE)).json()

    assert [(r["redeemable"], r["points_missing"]) for r in rows] == [(False, 30)]


def test_customer_rewards_page_with_limit_and_offset(shops):
    for cost in (10, 20, 30, 40):
        create(shops, 1, f"R{cost}", cost)

    rows = shops.client.get(f"/customers/{PHONE}/rewards?limit=2&offset=1",
                            headers=shops.customer_headers(PHONE)).json()

    assert [r["name"] for r in rows] == ["R20", "R30"]


# --- ownership -----------------------------------------------------------------------------


def test_a_business_cannot_list_create_patch_or_delete_another_catalog(shops):
    theirs = create(shops, 2, "Steak", 60).json()
    before = shops.counts()
    headers = shops.business_headers(1)

    responses = [
        shops.client.get("/businesses/2/rewards", headers=headers),
        shops.client.post("/businesses/2/rewards", json={"name": "X", "points_cost": 1},
                          headers=headers),
        shops.client.patch(f"/businesses/2/rewards/{theirs['id']}", json={"points_cost": 1},
                           headers=headers),
        shops.client.delete(f"/businesses/2/rewards/{theirs['id']}", headers=headers),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert shops.counts() == before
    assert listing(shops, 2) == [theirs]


def test_another_business_reward_under_your_own_path_is_404(shops):
    theirs = create(shops, 2, "Steak", 60).json()
    headers = shops.business_headers(1)

    patched = shops.client.patch(f"/businesses/1/rewards/{theirs['id']}",
                                 json={"points_cost": 1}, headers=headers)
    deleted = shops.client.delete(f"/businesses/1/rewards/{theirs['id']}", headers=headers)

    assert patched.status_code == deleted.status_code == 404
    assert patched.json() == {"detail": "Reward not found", "error": "RewardNotFound"}
    assert listing(shops, 2) == [theirs]


def test_unknown_reward_is_404(shops):
    resp = shops.client.patch("/businesses/1/rewards/999", json={"points_cost": 1},
                              headers=shops.business_headers(1))

    assert resp.status_code == 404


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_catalog_refuses_customer_tokens_and_no_token(shops, method):
    body = {"name": "X", "points_cost": 1} if method == "POST" else None

    as_customer = shops.client.request(method, "/businesses/1/rewards", json=body,
                                       headers=shops.customer_headers(PHONE))
    anonymous = shops.client.request(method, "/businesses/1/rewards", json=body)

    assert as_customer.status_code == 403
    assert anonymous.status_code == 401
    assert shops.count("reward") == 0


# --- validation ----------------------------------------------------------------------------


def _reward(**changes):
    body = {"name": "Free coffee", "description": "Any size", "points_cost": 50}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


BAD_REWARDS = {
    "missing name": _reward(name=...),
    "empty name": _reward(name=""),
    "blank name": _reward(name="   "),
    "long name": _reward(name="x" * 121),
    "numeric name": _reward(name=5),
    "long description": _reward(description="x" * 501),
    "null description": _reward(description=None),
    "missing cost": _reward(points_cost=...),
    "zero cost": _reward(points_cost=0),
    "negative cost": _reward(points_cost=-5),
    "fractional cost": _reward(points_cost=2.5),
    "string cost": _reward(points_cost="50"),
    "bool cost": _reward(points_cost=True),
    "huge cost": _reward(points_cost=10**12),
    "string active": _reward(active="yes"),
    "extra field": _reward(business_id=2),
}


def test_create_refuses_bad_input_and_writes_nothing(shops, subtests):
    before = shops.counts()

    for case, body in BAD_REWARDS.items():
        with subtests.test(case=case):
            resp = shops.client.post("/businesses/1/rewards", json=body,
                                     headers=shops.business_headers(1))

            assert resp.status_code == 422, resp.text
            assert resp.json()["error"] == "ValidationError"
            assert shops.counts() == before


BAD_PATCHES = {
    "empty": {},
    "null name": {"name": None},
    "null cost": {"points_cost": None},
    "null active": {"active": None},
    "blank name": {"name": " "},
    "zero cost": {"points_cost": 0},
    "string active": {"active": "no"},
    "extra field": {"business_id": 2},
}


def test_patch_refuses_bad_input_and_changes_nothing(shops, subtests):
    reward = create(shops, 1, "Coffee", 30).json()

    for case, body in BAD_PATCHES.items():
        with subtests.test(case=case):
            resp = shops.client.patch(f"/businesses/1/rewards/{reward['id']}", json=body,
                                      headers=shops.business_headers(1))

            assert resp.status_code == 422, resp.text
            assert listing(shops, 1) == [reward]


def test_edge_lengths_are_accepted(shops):
    resp = create(shops, 1, "x" * 120, 10_000_000, description="y" * 500)

    assert resp.status_code == 201


def test_bad_reward_ids_are_422(shops, subtests):
    for path in ["/businesses/1/rewards/0", "/businesses/1/rewards/abc",
                 "/businesses/1/rewards/99999999999"]:
        with subtests.test(path=path):
            resp = shops.client.delete(path, headers=shops.business_headers(1))

            assert resp.status_code == 422


def test_include_inactive_must_be_a_boolean(shops):
    resp = shops.client.get("/businesses/1/rewards?include_inactive=maybe",
                            headers=shops.business_headers(1))

    assert resp.status_code == 422


@pytest.mark.parametrize("field,value", [
    ("name", "Free coffee\x00"), ("name", "Free \u202eeeffoc"), ("name", "Free\u200bcoffee"),
    ("description", "Any size\x00"), ("description", "Call \u2066+263 77\u2069"),
])
def test_hidden_characters_in_reward_text_are_refused_and_nothing_is_stored(
    shops, field, value,
):
    body = {"name": "Free coffee", field: value}
    resp = create(shops, 1, **body)
    assert resp.status_code == 422, resp.text
    assert "invisible characters" in resp.text
    assert listing(shops, 1) == []


def test_a_business_search_with_a_nul_byte_is_refused(shops):
    resp = shops.client.get("/businesses?q=%00", headers=shops.business_headers(1))
    assert resp.status_code == 422, resp.text

"""The business routes: directory, program, loyalty rules, and the auth fallback."""

from __future__ import annotations

import pytest

# --- directory -------------------------------------------------------------------------


def test_directory_lists_businesses_sorted_by_name(loyalty):
    loyalty.register_business(3, "zebra Bar")
    loyalty.register_business(1, "Mazoe Cafe")
    loyalty.register_business(2, "apex Butchery")

    resp = loyalty.client.get("/businesses")

    assert resp.status_code == 200
    assert resp.json() == [
        {"id": 2, "name": "apex Butchery"},
        {"id": 1, "name": "Mazoe Cafe"},
        {"id": 3, "name": "zebra Bar"},
    ]


def test_directory_filters_by_case_insensitive_substring(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")
    loyalty.register_business(2, "Harare CAFÉ")
    loyalty.register_business(3, "Bulawayo Cafeteria")
    loyalty.register_business(4, "Butchery")

    names = [b["name"] for b in loyalty.client.get("/businesses?q=cAfE").json()]

    assert names == ["Bulawayo Cafeteria", "Mazoe Cafe"]


def test_directory_treats_like_wildcards_literally(loyalty):
    loyalty.register_business(1, "100% Beef")
    loyalty.register_business(2, "Beef Shop")

    assert [b["id"] for b in loyalty.client.get("/businesses", params={"q": "%"}).json()] == [1]
    assert loyalty.client.get("/businesses", params={"q": "_"}).json() == []


def test_directory_pages_with_limit_and_offset(loyalty):
    for i in range(1, 8):
        loyalty.register_business(i, f"Shop {i}")

    page = loyalty.client.get("/businesses?limit=3&offset=2").json()

    assert [b["id"] for b in page] == [3, 4, 5]


def test_directory_limit_defaults_to_50(loyalty):
    for i in range(1, 56):
        loyalty.register_business(i, f"Shop {i:03d}")

    assert len(loyalty.client.get("/businesses").json()) == 50
    assert len(loyalty.client.get("/businesses?limit=200").json()) == 55


@pytest.mark.parametrize(
    "query",
    ["limit=201", "limit=0", "limit=-1", "limit=abc", "offset=-1", "offset=99999999999999999999",
     "q=" + "x" * 101],
)
def test_directory_refuses_bad_paging(loyalty, query):
    resp = loyalty.client.get(f"/businesses?{query}")

    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"


# --- program ---------------------------------------------------------------------------


def test_program_shows_id_name_and_rate(loyalty):
    loyalty.register_business(7, "Mazoe Cafe", loyalty_rate="2.5")

    resp = loyalty.client.get("/businesses/7")

    assert resp.status_code == 200
    assert resp.json() == {"id": 7, "name": "Mazoe Cafe", "loyalty_rate": "2.5000",
        "points_expire_after_days": None, "rewards": []}


def test_program_of_a_business_registered_without_rate_has_the_default_rate(start_loyalty):
    loyalty = start_loyalty(default_loyalty_rate="1.25")
    loyalty.register_business(7, "Mazoe Cafe")

    assert loyalty.client.get("/businesses/7").json()["loyalty_rate"] == "1.2500"


def test_unknown_program_is_404_without_asking_auth(loyalty):
    loyalty.auth.add_business(9, "Nine")

    resp = loyalty.client.get("/businesses/9")

    assert resp.status_code == 404
    assert resp.json() == {"detail": "Business not found", "error": "BusinessNotFound"}
    assert loyalty.auth.lookups() == []


@pytest.mark.parametrize("business_id", ["0", "-1", "abc", "1.5", "99999999999999999999"])
def test_program_refuses_bad_ids(loyalty, business_id):
    resp = loyalty.client.get(f"/businesses/{business_id}")

    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"


# --- read-your-writes fallback ------------------------------------------------------------


def test_own_business_unknown_locally_is_fetched_from_auth_once(loyalty):
    loyalty.auth.add_business(5, "Fresh Bakery", loyalty_rate="3")

    first = loyalty.client.get("/businesses/5", headers=loyalty.business_headers(5))
    second = loyalty.client.get("/businesses/5", headers=loyalty.business_headers(5))

    assert first.status_code == 200
    assert first.json() == {"id": 5, "name": "Fresh Bakery", "loyalty_rate": "3.0000",
                            "points_expire_after_days": None, "rewards": []}
    assert second.json() == first.json()
    assert loyalty.auth.lookups() == ["GET /internal/businesses/5"]
    # The lookup used a service token fetched from auth.
    assert "POST /auth/token" in loyalty.auth.calls
    assert loyalty.count("business") == 1


def test_fallback_without_rate_uses_the_default_rate(loyalty):
    loyalty.auth.add_business(5, "Fresh Bakery")

    resp = loyalty.client.get("/businesses/5", headers=loyalty.business_headers(5))

    assert resp.json()["loyalty_rate"] == "1.0000"


def test_fallback_for_a_business_auth_does_not_know_is_404(loyalty):
    resp = loyalty.client.get("/businesses/5", headers=loyalty.business_headers(5))

    assert resp.status_code == 404
    assert resp.json()["error"] == "BusinessNotFound"
    assert loyalty.count("business") == 0


def test_fallback_is_only_for_the_business_itself(loyalty):
    loyalty.auth.add_business(5, "Fresh Bakery")

    resp = loyalty.client.get("/businesses/5", headers=loyalty.business_headers(6))

    assert resp.status_code == 404
    assert loyalty.auth.lookups() == []


def test_fallback_when_auth_is_down_is_503(loyalty):
    loyalty.auth.down = True

    resp = loyalty.client.get("/businesses/5", headers=loyalty.business_headers(5))

    assert resp.status_code == 503
    assert resp.json()["error"] == "UpstreamUnavailable"
    assert loyalty.count("business") == 0


def test_public_program_with_a_bad_token_is_401(loyalty, keys):
    loyalty.register_business(5, "Fresh Bakery")
    expired = keys.business_token(5, expires_in=-60)

    resp = loyalty.client.get("/businesses/5", headers={"Authorization": f"Bearer {expired}"})

    assert resp.status_code == 401


def test_registration_event_after_fallback_sets_the_first_rate(loyalty):
    # Auth's internal record has no rate: the copy starts at the default rate …
    loyalty.auth.add_business(5, "Fresh Bakery")
    assert loyalty.client.get("/businesses/5", headers=loyalty.business_headers(5)).json()[
        "loyalty_rate"] == "1.0000"

    # … until the registration event brings the rate the business registered with.
    loyalty.register_business(5, "Fresh Bakery", loyalty_rate="2.5")

    assert loyalty.client.get("/businesses/5").json()["loyalty_rate"] == "2.5000"
    assert loyalty.count("business") == 1


def test_event_after_fallback_keeps_the_rate_the_business_set(loyalty):
    loyalty.auth.add_business(5, "Fresh Bakery", loyalty_rate="2")
    loyalty.client.get("/businesses/5", headers=loyalty.business_headers(5))
    loyalty.client.post("/businesses/5/loyalty_rules", json={"loyalty_rate": "4"},
                        headers=loyalty.business_headers(5))

    loyalty.register_business(5, "Fresh Bakery Ltd", loyalty_rate="2")

    assert loyalty.client.get("/businesses/5").json() == {
        "id": 5, "name": "Fresh Bakery Ltd", "loyalty_rate": "4.0000",
        "points_expire_after_days": None, "rewards": []}
    assert loyalty.count("business") == 1


# --- loyalty rules -----------------------------------------------------------------------


def test_business_sets_its_loyalty_rate(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")

    resp = loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "1.5"},
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 200
    assert resp.json() == {"id": 1, "name": "Mazoe Cafe", "loyalty_rate": "1.5000",
                           "points_expire_after_days": None}
    assert loyalty.client.get("/businesses/1").json()["loyalty_rate"] == "1.5000"


@pytest.mark.parametrize("rate", ["0", 0, "1000", "0.0001", 2.25, "1.50000", "1e2"])
def test_loyalty_rate_accepts_bounds_and_number_forms(loyalty, rate):
    loyalty.register_business(1, "Mazoe Cafe")

    resp = loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": rate},
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("rate", ["-0", "-0.0000", -0.0, "0e5"])
def test_a_negative_zero_rate_is_stored_and_shown_as_zero(loyalty, rate):
    loyalty.register_business(1, "Mazoe Cafe")

    resp = loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": rate},
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 200, resp.text
    assert not str(resp.json()["loyalty_rate"]).startswith("-")
    program = loyalty.client.get("/businesses/1", headers=loyalty.business_headers(1)).json()
    assert not str(program["loyalty_rate"]).startswith("-")


@pytest.mark.parametrize(
    "body",
    [
        {"loyalty_rate": "-0.01"},
        {"loyalty_rate": "1.23456"},
        {"loyalty_rate": "abc"},
        {"loyalty_rate": "1000.0001"},
        {"loyalty_rate": "1e400"},
        {"loyalty_rate": "NaN"},
        {"loyalty_rate": "Infinity"},
        {"loyalty_rate": True},
        {"loyalty_rate": None},
        {"loyalty_rate": []},
        {},
        {"loyalty_rate": "1", "extra": 1},
    ],
)
def test_loyalty_rules_refuse_bad_rates_and_change_nothing(loyalty, body):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="2")

    resp = loyalty.client.post("/businesses/1/loyalty_rules", json=body,
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 422, resp.text
    assert set(resp.json()) >= {"detail", "error"}
    assert loyalty.client.get("/businesses/1").json()["loyalty_rate"] == "2.0000"
    assert loyalty.count("idempotency_record") == 0


def test_loyalty_rules_respect_a_configured_maximum(start_loyalty):
    loyalty = start_loyalty(max_loyalty_rate="10")
    loyalty.register_business(1, "Mazoe Cafe")

    resp = loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "10.5"},
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 422
    assert resp.json()["error"] == "InvalidLoyaltyRate"


def test_loyalty_rules_for_an_unknown_own_business_fetch_it_from_auth(loyalty):
    loyalty.auth.add_business(4, "New Shop")

    resp = loyalty.client.post("/businesses/4/loyalty_rules", json={"loyalty_rate": "2"},
                               headers=loyalty.business_headers(4))

    assert resp.status_code == 200
    assert resp.json() == {"id": 4, "name": "New Shop", "loyalty_rate": "2.0000",
                           "points_expire_after_days": None}


def test_loyalty_rules_for_a_business_nobody_knows_is_404(loyalty):
    resp = loyalty.client.post("/businesses/4/loyalty_rules", json={"loyalty_rate": "2"},
                               headers=loyalty.business_headers(4))

    assert resp.status_code == 404
    assert resp.json()["error"] == "BusinessNotFound"


def test_loyalty_rules_with_an_idempotency_key_replay(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")
    headers = {**loyalty.business_headers(1), "Idempotency-Key": "rules-1"}

    first = loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "3"},
                                headers=headers)
    again = loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "3"},
                                headers=headers)
    other = loyalty.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "4"},
                                headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert other.status_code == 422
    assert other.json()["error"] == "IdempotencyKeyReused"
    assert loyalty.client.get("/businesses/1").json()["loyalty_rate"] == "3.0000"

"""``GET|PUT /businesses/{business_id}/cross_promotions``: the partners a business promotes."""

from __future__ import annotations

import pytest

PHONE = "+263771234567"


@pytest.fixture
def coalition(loyalty):
    """Businesses 1 to 4."""
    for business_id, name in [(1, "Mbare Coffee"), (2, "Avondale Bakery"),
                              (3, "Borrowdale Books"), (4, "Chitungwiza Cuts")]:
        loyalty.register_business(business_id, name)
    return loyalty


def put(loyalty, business_id, partner_ids, *, caller=None):
    """PUT the partner list as ``caller`` (default: the business itself)."""
    return loyalty.client.put(f"/businesses/{business_id}/cross_promotions",
                              json={"partner_business_ids": partner_ids},
                              headers=loyalty.business_headers(caller or business_id))


def test_no_partners_at_first(coalition):
    resp = coalition.client.get("/businesses/1/cross_promotions",
                                headers=coalition.business_headers(1))

    assert resp.status_code == 200
    assert resp.json() == {"partner_business_ids": [], "partners": []}


def test_put_replaces_the_partner_list(coalition):
    first = put(coalition, 1, [3, 2])
    second = put(coalition, 1, [4, 2, 4])

    assert first.status_code == 200
    assert first.json() == {"partner_business_ids": [2, 3], "partners": [
        {"id": 2, "name": "Avondale Bakery"}, {"id": 3, "name": "Borrowdale Books"}]}
    assert second.json()["partner_business_ids"] == [2, 4]
    assert coalition.client.get("/businesses/1/cross_promotions",
                                headers=coalition.business_headers(1)).json() == second.json()
    assert coalition.count("cross_promotion") == 2


def test_put_of_an_empty_list_clears_it(coalition):
    put(coalition, 1, [2, 3])

    resp = put(coalition, 1, [])

    assert resp.json() == {"partner_business_ids": [], "partners": []}
    assert coalition.count("cross_promotion") == 0


def test_partner_lists_are_per_business(coalition):
    put(coalition, 1, [2])
    put(coalition, 2, [1, 3])

    assert put(coalition, 1, [2]).json()["partner_business_ids"] == [2]
    assert coalition.client.get("/businesses/2/cross_promotions",
                                headers=coalition.business_headers(2)
                                ).json()["partner_business_ids"] == [1, 3]


BAD_PARTNER_LISTS = {
    "itself": ([1], "SelfPromotion"),
    "unknown business": ([2, 99], "UnknownPartner"),
    "eleven partners": (list(range(2, 13)), "ValidationError"),
    "string id": (["2"], "ValidationError"),
    "zero id": ([0], "ValidationError"),
    "bool id": ([True], "ValidationError"),
    "null list": (None, "ValidationError"),
}


def test_put_refuses_bad_partner_lists_and_changes_nothing(coalition, subtests):
    put(coalition, 1, [3])

    for case, (partners, error) in BAD_PARTNER_LISTS.items():
        with subtests.test(case=case):
            resp = put(coalition, 1, partners)

            assert resp.status_code == 422, resp.text
            assert resp.json()["error"] == error
            assert coalition.count("cross_promotion") == 1


def test_unknown_partner_error_names_the_ids(coalition):
    resp = put(coalition, 1, [98, 2, 99])

    assert resp.json()["detail"] == "Unknown partner business ids: [98, 99]"


def test_ten_partners_are_allowed(coalition):
    for business_id in range(5, 13):
        coalition.register_business(business_id, f"Shop {business_id}")

    resp = put(coalition, 1, list(range(2, 12)))

    assert resp.status_code == 200
    assert len(resp.json()["partners"]) == 10


def test_a_business_cannot_read_or_set_another_list(coalition):
    put(coalition, 2, [3])

    read = coalition.client.get("/businesses/2/cross_promotions",
                                headers=coalition.business_headers(1))
    written = put(coalition, 2, [4], caller=1)

    assert read.status_code == written.status_code == 403
    assert put(coalition, 2, [3]).json()["partner_business_ids"] == [3]


def test_customers_and_anonymous_callers_are_refused(coalition):
    as_customer = coalition.client.put("/businesses/1/cross_promotions",
                                       json={"partner_business_ids": [2]},
                                       headers=coalition.customer_headers(PHONE))
    anonymous = coalition.client.get("/businesses/1/cross_promotions")

    assert as_customer.status_code == 403
    assert anonymous.status_code == 401
    assert coalition.count("cross_promotion") == 0


def test_extra_fields_are_refused(coalition):
    resp = coalition.client.put("/businesses/1/cross_promotions",
                                json={"partner_business_ids": [2], "business_id": 3},
                                headers=coalition.business_headers(1))

    assert resp.status_code == 422
    assert coalition.count("cross_promotion") == 0

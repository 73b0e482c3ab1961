"""GET|PUT /referrals/settings: a business's default referral bonus."""

from __future__ import annotations

import pytest


def test_a_business_starts_with_the_platforms_default(referrals):
    response = referrals.settings(1)

    assert response.status_code == 200
    assert response.json() == {"business_id": 1, "default_bonus_points": 100,
                               "max_bonus_points": 10_000}


def test_the_owner_sets_the_default_and_only_for_their_business(referrals):
    changed = referrals.settings(1, 250)
    changed_again = referrals.settings(1, 300)

    assert changed.status_code == changed_again.status_code == 200
    assert referrals.settings(1).json()["default_bonus_points"] == 300
    assert referrals.settings(2).json()["default_bonus_points"] == 100
    assert referrals.count("referral_setting") == 1


def test_a_cashier_reads_but_cannot_change_the_settings(referrals):
    cashier = {"Authorization": "Bearer " + referrals.keys.business_token(
        1, staff_id=4, staff_role="cashier")}

    read = referrals.settings(1, headers=cashier)
    refused = referrals.settings(1, 5, headers=cashier)

    assert read.status_code == 200
    assert refused.status_code == 403 and refused.json()["error"] == "OwnerOnly"
    assert referrals.count("referral_setting") == 0


@pytest.mark.parametrize("points", [0, -5, 10.5, "100", True, None, 10**12])
def test_bad_defaults_are_422(referrals, points):
    response = referrals.client.put("/referrals/settings",
                                    json={"default_bonus_points": points},
                                    headers=referrals.business(1))

    assert response.status_code == 422
    assert referrals.count("referral_setting") == 0


def test_a_default_above_the_maximum_is_422(start_referrals):
    referrals = start_referrals(max_referral_points=500)

    response = referrals.settings(1, 501)

    assert response.status_code == 422
    assert response.json() == {"detail": "default_bonus_points must not exceed 500",
                               "error": "PointsAboveMaximum"}


def test_a_customer_token_is_refused(referrals):
    response = referrals.client.get("/referrals/settings",
                                    headers=referrals.customer("+263771234567"))

    assert response.status_code == 403

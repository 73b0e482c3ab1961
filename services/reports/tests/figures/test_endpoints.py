"""The report routes: date ranges, the daily series, top customers, and who may see what."""

from __future__ import annotations

import jwt
import pytest

from mubayiro.common.testing import TestKeys

ROUTES = ["total_points_issued", "total_redemptions", "customer_count", "top_customers",
          "summary"]
ANA = "+263771111111"
BEN = "+263772222222"
CHIPO = "+263773333333"
DUDU = "+263774444444"


@pytest.fixture
def week(client, events):
    """Business 1 over a week in November 2026 (and business 2 on the same days).

    18th: Ana earns 100;  20th: Ben earns 40, Ana redeems 30;  22nd: Chipo bonus 50;
    24th: Ben earns 70, Ana earns 5.  Business 2: Dudu earns 999 and redeems 500 on the 20th.
    """
    events.send(
        client,
        events.earned(1, phone=ANA, points=100, at="2026-11-18T09:00:00Z"),
        events.earned(2, phone=BEN, points=40, at="2026-11-20T09:00:00Z"),
        events.redeemed(3, phone=ANA, points=30, at="2026-11-20T17:00:00Z"),
        events.bonus(4, phone=CHIPO, points=50, at="2026-11-22T12:00:00Z"),
        events.earned(5, phone=BEN, points=70, at="2026-11-24T08:00:00Z"),
        events.earned(6, phone=ANA, points=5, at="2026-11-24T23:59:59Z"),
        events.earned(7, business_id=2, phone=DUDU, points=999, at="2026-11-20T10:00:00Z"),
        events.redeemed(8, business_id=2, phone=DUDU, points=500, at="2026-11-20T11:00:00Z"),
    )
    return client


def _day(date: str, issued: int = 0, redeemed: int = 0, **others: int) -> dict[str, object]:
    """One entry of the summary's daily series (the figures not named are 0)."""
    zero = dict.fromkeys(("points_reversed", "points_given_back", "points_expired",
                          "points_imported"), 0)
    return {"date": date, "points_issued": issued, "points_redeemed": redeemed,
            **zero, **others}


def _get(client, headers, route: str, query: str = "") -> dict:
    response = client.get(f"/reports/{route}{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_all_time_figures(week, business_headers):
    h = business_headers(1)

    assert _get(week, h, "total_points_issued") == {
        "business_id": 1, "from": None, "to": None, "total_points_issued": 265,
        "earned_points": 215, "referral_bonus_points": 50}
    assert _get(week, h, "total_redemptions") == {
        "business_id": 1, "from": None, "to": None, "count": 1, "points": 30}
    assert _get(week, h, "customer_count") == {
        "business_id": 1, "from": None, "to": None, "customer_count": 3}
    assert _get(week, h, "top_customers") == {
        "business_id": 1, "from": None, "to": None, "limit": 5, "top_customers": [
            {"phone_number": BEN, "points_earned": 110, "transaction_count": 2},
            {"phone_number": ANA, "points_earned": 105, "transaction_count": 3},
            {"phone_number": CHIPO, "points_earned": 50, "transaction_count": 1},
        ]}


@pytest.mark.parametrize(("query", "issued", "redemptions", "customers", "top"), [
    ("?from=2026-11-20&to=2026-11-20", 40, {"count": 1, "points": 30}, 2, [BEN, ANA]),
    ("?from=2026-11-19&to=2026-11-23", 90, {"count": 1, "points": 30}, 3, [CHIPO, BEN, ANA]),
    ("?from=2026-11-21", 125, {"count": 0, "points": 0}, 3, [BEN, CHIPO, ANA]),
    ("?to=2026-11-19", 100, {"count": 0, "points": 0}, 1, [ANA]),
    ("?from=2026-11-24&to=2026-11-24", 75, {"count": 0, "points": 0}, 2, [BEN, ANA]),
    ("?from=2026-11-25", 0, {"count": 0, "points": 0}, 0, []),
    ("?from=2026-01-01&to=2026-12-31", 265, {"count": 1, "points": 30}, 3, [BEN, ANA, CHIPO]),
])
def test_from_and_to_are_inclusive_utc_days(
    week, business_headers, query, issued, redemptions, customers, top
):
    h = business_headers(1)

    assert _get(week, h, "total_points_issued", query)["total_points_issued"] == issued
    got = _get(week, h, "total_redemptions", query)
    assert {"count": got["count"], "points": got["points"]} == redemptions
    assert _get(week, h, "customer_count", query)["customer_count"] == customers
    tops = _get(week, h, "top_customers", query)["top_customers"]
    assert [c["phone_number"] for c in tops] == top
    summary = _get(week, h, "summary", query)
    assert (summary["total_points_issued"], summary["total_redemptions"],
            summary["customer_count"]) == (issued, redemptions, customers)
    assert summary["top_customers"] == tops


def test_range_figures_count_only_the_range(week, business_headers):
    tops = _get(week, business_headers(1), "top_customers", "?from=2026-11-20&to=2026-11-22")

    assert tops["top_customers"] == [
        {"phone_number": CHIPO, "points_earned": 50, "transaction_count": 1},
        {"phone_number": BEN, "points_earned": 40, "transaction_count": 1},
        {"phone_number": ANA, "points_earned": 0, "transaction_count": 1},
    ]


def test_report_echoes_the_requested_range(week, business_headers):
    body = _get(week, business_headers(1), "customer_count", "?from=2026-11-20")

    assert (body["from"], body["to"]) == ("2026-11-20", None)


def test_summary_daily_series_is_zero_filled_over_the_range(week, business_headers):
    summary = _get(week, business_headers(1), "summary", "?from=2026-11-17&to=2026-11-25")

    assert summary["daily"] == [
        _day("2026-11-17", 0, 0),
        _day("2026-11-18", 100, 0),
        _day("2026-11-19", 0, 0),
        _day("2026-11-20", 40, 30),
        _day("2026-11-21", 0, 0),
        _day("2026-11-22", 50, 0),
        _day("2026-11-23", 0, 0),
        _day("2026-11-24", 75, 0),
        _day("2026-11-25", 0, 0),
    ]


def test_summary_without_range_runs_from_first_to_last_day(week, business_headers):
    daily = _get(week, business_headers(1), "summary")["daily"]

    assert [d["date"] for d in daily] == [f"2026-11-{day}" for day in range(18, 25)]
    assert sum(d["points_issued"] for d in daily) == 265
    assert sum(d["points_redeemed"] for d in daily) == 30


def test_summary_open_bound_ends_at_the_last_day_with_activity(week, business_headers):
    h = business_headers(1)

    since = _get(week, h, "summary", "?from=2026-11-21")["daily"]
    until = _get(week, h, "summary", "?to=2026-11-19")["daily"]

    assert [d["date"] for d in since] == ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"]
    assert [d["date"] for d in until] == ["2026-11-18", "2026-11-19"]


def test_summary_of_a_business_without_transactions(client, business_headers):
    h = business_headers(9)

    empty = _get(client, h, "summary")
    ranged = _get(client, h, "summary", "?from=2026-11-01&to=2026-11-03")

    assert empty == {"business_id": 9, "from": None, "to": None, "total_points_issued": 0,
                     "total_redemptions": {"count": 0, "points": 0},
                     "total_reversals": {"count": 0, "points_reversed": 0, "shortfall": 0,
                                         "points_given_back": 0},
                     "total_points_expired": 0, "total_points_imported": 0, "net_points": 0,
                     "customer_count": 0, "top_customers": [], "daily": []}
    assert ranged["daily"] == [
        _day(f"2026-11-0{d}", 0, 0) for d in (1, 2, 3)
    ]


def test_summary_refuses_a_daily_series_longer_than_ten_years(client, business_headers):
    resp = client.get("/reports/summary?from=2000-01-01&to=2026-12-31",
                      headers=business_headers(1))

    assert resp.status_code == 422
    assert resp.json()["error"] == "DateRangeTooLong"


def test_long_range_is_fine_for_the_single_figures(week, business_headers):
    body = _get(week, business_headers(1), "total_points_issued", "?from=2000-01-01&to=2099-12-31")

    assert body["total_points_issued"] == 265


def test_summary_agrees_with_the_single_routes(week, business_headers):
    h = business_headers(1)
    for query in ("", "?from=2026-11-20&to=2026-11-23", "?to=2026-11-20"):
        summary = _get(week, h, "summary", query)
        assert summary["total_points_issued"] == _get(
            week, h, "total_points_issued", query)["total_points_issued"]
        redemptions = _get(week, h, "total_redemptions", query)
        assert summary["total_redemptions"] == {
            "count": redemptions["count"], "points": redemptions["points"]}
        assert summary["customer_count"] == _get(week, h, "customer_count", query)[
            "customer_count"]
        assert summary["top_customers"] == _get(week, h, "top_customers", query)[
            "top_customers"]


def test_top_customers_orders_by_points_then_phone_and_limits(client, events, business_headers):
    phones = [f"+26377100000{i}" for i in range(8)]
    points = [5, 80, 80, 12, 80, 1, 30, 12]
    events.send(client, *[events.earned(i + 1, phone=p, points=n)
                          for i, (p, n) in enumerate(zip(phones, points, strict=True))])
    h = business_headers(1)

    default = _get(client, h, "top_customers")["top_customers"]
    three = _get(client, h, "top_customers", "?limit=3")["top_customers"]
    everyone = _get(client, h, "top_customers", "?limit=50")["top_customers"]
    summary = _get(client, h, "summary", "?limit=2")["top_customers"]

    expected = sorted(zip(phones, points, strict=True), key=lambda pn: (-pn[1], pn[0]))
    assert [(c["phone_number"], c["points_earned"]) for c in everyone] == expected
    assert [c["phone_number"] for c in default] == [p for p, _ in expected[:5]]
    assert [c["phone_number"] for c in three] == [p for p, _ in expected[:3]]
    assert summary == everyone[:2]


@pytest.mark.parametrize("route", ["top_customers", "summary"])
@pytest.mark.parametrize("limit", [1, 3, 4, 5, 6, 8, 50])
def test_top_customers_of_a_range_order_ties_by_phone_at_the_cut(
    client, events, business_headers, route, limit, walk
):
    phones = [f"+26377100000{i}" for i in range(8)]
    points = [5, 80, 80, 12, 80, 1, 30, 12]
    events.send(client, *[events.earned(i + 1, phone=p, points=n)
                          for i, (p, n) in enumerate(zip(phones, points, strict=True))])
    # Another day, so that the range below is not the whole history.
    events.send(client, events.earned(99, phone="+263779999999", points=1000,
                                      at="2026-11-25T10:00:00Z"))

    body = _get(client, business_headers(1), route,
                f"?limit={limit}&from=2026-11-20&to=2026-11-20")

    expected = sorted(zip(phones, points, strict=True), key=lambda pn: (-pn[1], pn[0]))
    assert [(c["phone_number"], c["points_earned"]) for c in body["top_customers"]] == \
        expected[:limit]
    if route == "summary":
        assert body["customer_count"] == 8


def test_a_refund_after_the_range_does_not_hide_who_earned_most_in_it(
    client, events, business_headers, walk
):
    # Ana earned most in the range, then her purchase was refunded: all time she has
    # earned nothing, so the walk (by points issued, refunds not taken off) must still
    # read her before it stops. Customers with more points all time come first.
    others = [f"+26377200000{i}" for i in range(8)]
    events.send(
        client,
        events.earned(1, phone=ANA, points=500, at="2026-11-20T09:00:00Z"),
        events.reversed(2, phone=ANA, points=-500, at="2026-11-26T09:00:00Z"),
        *[events.earned(10 + i, phone=p, points=10 + i, at="2026-11-20T10:00:00Z")
          for i, p in enumerate(others)],
        *[events.earned(20 + i, phone=p, points=400, at="2026-11-25T10:00:00Z")
          for i, p in enumerate(others)],
    )
    h = business_headers(1)

    in_range = _get(client, h, "summary", "?from=2026-11-19&to=2026-11-21&limit=3")
    since = _get(client, h, "summary", "?from=2026-11-21&limit=3")
    everyone = _get(client, h, "top_customers", "?limit=50")["top_customers"]

    assert [(c["phone_number"], c["points_earned"]) for c in in_range["top_customers"]] == [
        (ANA, 500), (others[7], 17), (others[6], 16)]
    assert in_range["customer_count"] == 9
    # Since the 21st: Ana's refund (-500) and the others' 400 each; counted by last seen.
    assert since["customer_count"] == 9
    assert [(c["phone_number"], c["points_earned"]) for c in since["top_customers"]] == [
        (others[0], 400), (others[1], 400), (others[2], 400)]
    assert (everyone[-1]["phone_number"], everyone[-1]["points_earned"]) == (ANA, 0)


def test_customer_count_of_a_range_in_the_middle_and_one_to_the_present(
    week, business_headers, walk
):
    h = business_headers(1)
    # 20th–22nd: Ben, Ana, Chipo; 21st–23rd: Chipo; from the 23rd: Ben and Ana (the 24th).
    assert _get(client := week, h, "customer_count",
                "?from=2026-11-20&to=2026-11-22")["customer_count"] == 3
    assert _get(client, h, "customer_count", "?from=2026-11-21&to=2026-11-23")[
        "customer_count"] == 1
    assert _get(client, h, "customer_count", "?from=2026-11-23")["customer_count"] == 2
    assert _get(client, h, "customer_count", "?from=2026-11-25")["customer_count"] == 0
    assert _get(client, h, "summary", "?from=2026-11-21&to=2026-11-23")[
        "customer_count"] == 1


_BAD_QUERIES = [
    "?from=2026-13-01", "?from=2026-02-30", "?from=20261101", "?from=1700000000",
    "?from=", "?from=yesterday", "?from=2026-11-20T00:00:00", "?to=2026-1-5",
    "?to=26-11-20", "?from=2026-11-21&to=2026-11-20", "?business_id=abc", "?business_id=0",
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("query", _BAD_QUERIES)
def test_bad_dates_and_parameters_are_422(client, business_headers, route, query):
    resp = client.get(f"/reports/{route}{query}", headers=business_headers(1))

    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["error"] in {"ValidationError", "InvalidDateRange"}
    assert body["detail"]


def test_from_after_to_names_the_problem(client, business_headers):
    resp = client.get("/reports/summary?from=2026-11-21&to=2026-11-20",
                      headers=business_headers(1))

    assert resp.json() == {"detail": "from (2026-11-21) must not be after to (2026-11-20)",
                           "error": "InvalidDateRange"}


@pytest.mark.parametrize("route", ["top_customers", "summary"])
@pytest.mark.parametrize("limit", ["0", "51", "-1", "abc", "2.5"])
def test_top_limit_must_be_1_to_50(client, business_headers, route, limit):
    resp = client.get(f"/reports/{route}?limit={limit}", headers=business_headers(1))

    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("route", ROUTES)
def test_business_never_sees_another_business_figures(week, business_headers, route):
    mine = _get(week, business_headers(1), route)
    theirs_by_id = week.get(f"/reports/{route}?business_id=2", headers=business_headers(1))
    own_by_id = _get(week, business_headers(1), route, "?business_id=1")

    assert theirs_by_id.status_code == 403
    assert theirs_by_id.json()["error"] == "Forbidden"
    assert own_by_id == mine
    assert mine["business_id"] == 1
    assert DUDU not in str(mine)
    # Business 2's own token answers business 2's figures only; a stranger sees zeros.
    assert _get(week, business_headers(2), route)["business_id"] == 2
    assert DUDU not in str(_get(week, business_headers(3), route))


def test_business_two_figures_come_from_its_own_events(week, business_headers):
    summary = _get(week, business_headers(2), "summary")

    assert (summary["total_points_issued"], summary["total_redemptions"],
            summary["customer_count"]) == (999, {"count": 1, "points": 500}, 1)
    assert [c["phone_number"] for c in summary["top_customers"]] == [DUDU]


def _none_token() -> str:
    claims = {"iss": "mubayiro-auth", "aud": "mubayiro", "sub": "business:1",
              "role": "business", "business_id": 1, "iat": 1, "exp": 4_000_000_000}
    return jwt.encode(claims, key=None, algorithm="none")


@pytest.mark.parametrize("route", ROUTES)
def test_reports_need_a_valid_business_token(client, keys, route):
    forged = TestKeys(kid=keys.kid).business_token(1)
    tokens = {
        "missing": None,
        "malformed": "not-a-jwt",
        "forged": forged,
        "expired": keys.business_token(1, expires_in=-60),
        "service audience": keys.business_token(1, audience="mubayiro-internal"),
        "alg none": _none_token(),
        "service token": keys.service_token("loyalty"),
    }
    statuses = {}
    for name, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = client.get(f"/reports/{route}", headers=headers)
        statuses[name] = resp.status_code
        assert resp.json()["error"] in {"Unauthorized", "InvalidToken"}

    assert set(statuses.values()) == {401}


@pytest.mark.parametrize("route", ROUTES)
def test_customer_token_is_refused(client, keys, route):
    resp = client.get(f"/reports/{route}",
                      headers={"Authorization": f"Bearer {keys.customer_token(ANA)}"})

    assert resp.status_code == 403


def test_bad_token_is_401_even_with_bad_parameters(client):
    resp = client.get("/reports/summary?from=nonsense&limit=0")

    assert resp.status_code == 401


def test_openapi_documents_every_report_shape(client):
    spec = client.get("/openapi/reports.json").json()

    for route in ROUTES:
        get = spec["paths"][f"/reports/{route}"]["get"]
        assert get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        names = {p["name"] for p in get["parameters"]}
        assert {"from", "to", "business_id"} <= names
    summary = spec["components"]["schemas"]["SummaryReport"]["properties"]
    assert {"business_id", "from", "to", "total_points_issued", "total_redemptions",
            "customer_count", "top_customers", "daily"} <= set(summary)
    assert "/internal/events" not in spec["paths"]


# --- the internal summary (the MCP server's get_business_summary) ----------------------


def test_internal_summary_equals_the_business_own(week, business_headers, service_headers):
    own = _get(week, business_headers(1), "summary", "?from=2026-11-19&to=2026-11-24")

    resp = week.get("/internal/reports/1/summary?from=2026-11-19&to=2026-11-24",
                    headers=service_headers)

    assert resp.status_code == 200, resp.text
    assert resp.json() == own


@pytest.mark.parametrize("who", ["none", "business", "customer"])
def test_internal_summary_needs_a_service_token(week, business_headers, keys, who):
    headers = {"none": {}, "business": business_headers(1),
               "customer": {"Authorization": f"Bearer {keys.customer_token(ANA)}"}}[who]

    assert week.get("/internal/reports/1/summary", headers=headers).status_code == 401


@pytest.mark.parametrize("query", ["?from=2026-11-24&to=2026-11-01", "?from=24-11-2026"])
def test_internal_summary_validates_the_range(week, service_headers, query):
    assert week.get(f"/internal/reports/1/summary{query}",
                    headers=service_headers).status_code == 422


@pytest.mark.parametrize("route", ROUTES)
def test_a_cashier_cannot_see_reports(week, keys, route):
    """Issue 11: reports are the owner's; a cashier's token is 403 ``OwnerOnly``."""
    cashier = {"Authorization": "Bearer " + keys.business_token(
        1, staff_id=9, staff_role="cashier")}
    owner = {"Authorization": "Bearer " + keys.business_token(1, staff_id=1, staff_role="owner")}

    refused = week.get(f"/reports/{route}", headers=cashier)

    assert refused.status_code == 403
    assert refused.json()["error"] == "OwnerOnly"
    assert week.get(f"/reports/{route}", headers=owner).status_code == 200

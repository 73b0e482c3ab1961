"""Each recommendation rule, firing and not firing, on data built through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from mubayiro.loyalty.models import Customer, PointTransaction

PHONE = "+263771234567"

MBARE, AVONDALE, BORROWDALE, CHITUNGWIZA, DZIVARASEKWA = 1, 2, 3, 4, 5
NAMES = {MBARE: "Mbare Coffee", AVONDALE: "Avondale Bakery", BORROWDALE: "Borrowdale Books",
         CHITUNGWIZA: "Chitungwiza Cuts", DZIVARASEKWA: "Dzivarasekwa Deli"}


def phone(n: int) -> str:
    """The n-th made-up customer's number."""
    return f"+26377200{n:04d}"


@pytest.fixture
def city(loyalty):
    """Five businesses (rate 1: a purchase of N.00 earns N points)."""
    for business_id, name in NAMES.items():
        loyalty.register_business(business_id, name, loyalty_rate="1")
    return loyalty


def visit(loyalty, business_id, who=PHONE, amount="1.00"):
    """One purchase of ``who`` at ``business_id``."""
    resp = loyalty.add_points(business_id, who, amount)
    assert resp.status_code == 201, resp.text


def reward(loyalty, business_id, name, cost, **extra):
    """Add a reward to ``business_id``'s catalog; return its JSON."""
    resp = loyalty.client.post(f"/businesses/{business_id}/rewards",
                               json={"name": name, "points_cost": cost, **extra},
                               headers=loyalty.business_headers(business_id))
    assert resp.status_code == 201, resp.text
    return resp.json()


def recommendations(loyalty, who=PHONE):
    """The customer's recommendations, as ``(rule, message, business_id)`` triples."""
    resp = loyalty.client.get(f"/customers/recommendations/{who}",
                              headers=loyalty.customer_headers(who))
    assert resp.status_code == 200, resp.text
    return [(r["rule"], r["message"], r["business_id"]) for r in resp.json()["recommendations"]]


def rules_of(loyalty, who=PHONE):
    """Just the rules that fired for the customer, in order."""
    return [rule for rule, _, _ in recommendations(loyalty, who)]


def age(loyalty, days, who=None):
    """Move every transaction of ``who`` (default: everybody's) ``days`` into the past."""
    with loyalty.app.state.database.session() as s:
        query = select(PointTransaction.id, PointTransaction.created_at)
        if who is not None:
            query = query.join(Customer).where(Customer.phone_number == who)
        for row in s.execute(query).all():
            s.execute(update(PointTransaction).where(PointTransaction.id == row.id)
                      .values(created_at=row.created_at - timedelta(days=days)))


def promote(loyalty, business_id, partner_ids):
    """Set ``business_id``'s cross-promotion partners."""
    resp = loyalty.client.put(f"/businesses/{business_id}/cross_promotions",
                              json={"partner_business_ids": partner_ids},
                              headers=loyalty.business_headers(business_id))
    assert resp.status_code == 200, resp.text


def co_visitors(loyalty, businesses, count, start):
    """``count`` new customers (numbered from ``start``), each visiting every business."""
    for n in range(start, start + count):
        for business_id in businesses:
            visit(loyalty, business_id, phone(n))


# --- rule 1: near a reward ------------------------------------------------------------------


def test_near_reward_fires_within_20_percent_of_the_cost(city):
    visit(city, MBARE, amount="48.00")
    reward(city, MBARE, "a free coffee", 60)

    assert recommendations(city) == [
        ("near_reward", "You are 12 points away from a free coffee at Mbare Coffee.", MBARE)]


def test_near_reward_does_not_fire_further_away(city):
    visit(city, MBARE, amount="47.00")  # 13 missing > 20% of 60
    reward(city, MBARE, "a free coffee", 60)

    assert recommendations(city) == []


def test_near_reward_considers_the_cheapest_reward_out_of_reach_at_any_business(city):
    visit(city, MBARE, amount="48.00")
    reward(city, MBARE, "a free coffee", 60)
    reward(city, AVONDALE, "a loaf of bread", 50)
    reward(city, BORROWDALE, "a bookmark", 20)  # already affordable: not a goal

    assert recommendations(city) == [
        ("near_reward", "You are 2 points away from a loaf of bread at Avondale Bakery.",
         AVONDALE)]


def test_near_reward_only_looks_at_the_cheapest_unaffordable_reward(city):
    visit(city, MBARE, amount="10.00")
    reward(city, MBARE, "a free coffee", 100)  # cheapest out of reach, 90 missing
    reward(city, AVONDALE, "a cake", 101)

    assert rules_of(city) == []


def test_near_reward_ignores_deactivated_rewards(city):
    visit(city, MBARE, amount="48.00")
    reward(city, MBARE, "a free coffee", 60, active=False)

    assert recommendations(city) == []


def test_near_reward_says_one_point_in_the_singular(city):
    visit(city, MBARE, amount="59.00")
    reward(city, MBARE, "a free coffee", 60)

    assert recommendations(city)[0][1] == "You are 1 point away from a free coffee at Mbare Coffee."


def test_near_reward_follows_the_configured_fraction(start_loyalty):
    loyalty = start_loyalty(recommend_near_reward_fraction="0.5")
    loyalty.register_business(MBARE, "Mbare Coffee", loyalty_rate="1")
    visit(loyalty, MBARE, amount="30.00")
    reward(loyalty, MBARE, "a free coffee", 60)

    assert rules_of(loyalty) == ["near_reward"]


def test_near_reward_moves_on_after_a_redemption(city):
    visit(city, MBARE, amount="55.00")
    coffee = reward(city, MBARE, "a free coffee", 50)
    reward(city, MBARE, "a sandwich", 60)
    assert recommendations(city)[0][1] == "You are 5 points away from a sandwich at Mbare Coffee."

    city.client.post("/transactions/redeem_points", json={
        "business_id": MBARE, "customer_phone_number": PHONE, "points_to_redeem": 50,
        "reward_description": "a free coffee", "reward_id": coffee["id"],
        "customer_code": city.redemption_code(MBARE, PHONE)},
        headers=city.business_headers(MBARE))

    assert recommendations(city) == []  # 5 points left: 45 from the coffee is too far


# --- rule 2: inactivity -------------------------------------------------------------------


def test_inactivity_fires_after_30_days_for_the_most_visited_business(city):
    for _ in range(3):
        visit(city, MBARE)
    visit(city, AVONDALE)
    age(city, 31)

    assert recommendations(city) == [
        ("inactivity", "We miss you at Mbare Coffee! It has been 31 days since your last visit.",
         MBARE)]


def test_inactivity_does_not_fire_before_30_days(city):
    visit(city, MBARE)
    age(city, 29)

    assert recommendations(city) == []


def test_inactivity_fires_at_exactly_30_days(city):
    visit(city, MBARE)
    age(city, 30)

    assert rules_of(city) == ["inactivity"]


def test_a_recent_visit_anywhere_means_not_inactive(city):
    for _ in range(3):
        visit(city, MBARE)
    age(city, 60)
    visit(city, AVONDALE)

    assert rules_of(city) == []


def test_inactivity_breaks_ties_by_the_latest_visit(city):
    visit(city, MBARE)
    visit(city, AVONDALE)
    age(city, 40)

    assert recommendations(city)[0][2] == AVONDALE


def test_inactivity_follows_the_configured_days(start_loyalty):
    loyalty = start_loyalty(recommend_inactive_days=7)
    loyalty.register_business(MBARE, "Mbare Coffee")
    visit(loyalty, MBARE)
    age(loyalty, 8)

    assert rules_of(loyalty) == ["inactivity"]


# --- rule 3a: configured cross-promotion ----------------------------------------------------


def test_configured_partner_is_recommended_to_customers_of_the_promoter(city):
    visit(city, MBARE)
    promote(city, MBARE, [AVONDALE])

    assert recommendations(city) == [
        ("cross_promotion", "Mbare Coffee recommends Avondale Bakery: your points count there "
         "too.", AVONDALE)]


def test_configured_partner_already_visited_is_not_recommended(city):
    visit(city, MBARE)
    visit(city, AVONDALE)
    promote(city, MBARE, [AVONDALE, BORROWDALE])

    assert [b for _, _, b in recommendations(city)] == [BORROWDALE]


def test_partners_of_businesses_the_customer_never_visited_are_not_recommended(city):
    visit(city, MBARE)
    promote(city, CHITUNGWIZA, [AVONDALE])

    assert recommendations(city) == []


def test_partners_of_the_most_visited_business_come_first(city):
    visit(city, MBARE)
    for _ in range(2):
        visit(city, BORROWDALE)
    promote(city, MBARE, [AVONDALE])
    promote(city, BORROWDALE, [CHITUNGWIZA])

    assert [b for _, _, b in recommendations(city)] == [CHITUNGWIZA, AVONDALE]


def test_clearing_the_partners_stops_the_recommendation(city):
    visit(city, MBARE)
    promote(city, MBARE, [AVONDALE])

    promote(city, MBARE, [])

    assert recommendations(city) == []


# --- rule 3b: co-visits learned from the data --------------------------------------------


def test_customers_of_a_also_visit_b(city):
    co_visitors(city, [MBARE, AVONDALE], count=2, start=1)
    visit(city, MBARE)

    assert recommendations(city) == [
        ("co_visit", "Customers of Mbare Coffee also visit Avondale Bakery.", AVONDALE)]


def test_one_co_visiting_customer_is_not_enough(city):
    co_visitors(city, [MBARE, AVONDALE], count=1, start=1)
    visit(city, MBARE)

    assert recommendations(city) == []


def test_minimum_support_follows_the_setting(start_loyalty):
    loyalty = start_loyalty(recommend_min_co_visits=1)
    for business_id in (MBARE, AVONDALE):
        loyalty.register_business(business_id, NAMES[business_id])
    co_visitors(loyalty, [MBARE, AVONDALE], count=1, start=1)
    visit(loyalty, MBARE)

    assert rules_of(loyalty) == ["co_visit"]


def test_co_visits_never_recommend_a_business_already_used(city):
    co_visitors(city, [MBARE, AVONDALE], count=3, start=1)
    visit(city, MBARE)
    visit(city, AVONDALE)

    assert recommendations(city) == []


def test_co_visit_answer_changes_with_the_data(city):
    visit(city, MBARE)
    co_visitors(city, [MBARE, AVONDALE], count=2, start=1)
    assert [b for _, _, b in recommendations(city)] == [AVONDALE]

    # Three customers now also pair Mbare with Borrowdale: cosine 3/sqrt(6*3) beats
    # Avondale's 2/sqrt(6*2).
    co_visitors(city, [MBARE, BORROWDALE], count=3, start=10)

    assert recommendations(city) == [
        ("co_visit", "Customers of Mbare Coffee also visit Borrowdale Books.", BORROWDALE),
        ("co_visit", "Customers of Mbare Coffee also visit Avondale Bakery.", AVONDALE)]

    visit(city, BORROWDALE)  # now the customer uses it: only Avondale remains

    assert [b for _, _, b in recommendations(city)] == [AVONDALE]


def test_co_visits_are_scored_by_cosine_not_raw_counts(city):
    visit(city, MBARE)
    # Avondale: 2 co-visitors out of 2 visitors. Chitungwiza: 3 co-visitors, but 12
    # visitors in all (a place everybody goes), so less specific to Mbare's customers.
    co_visitors(city, [MBARE, AVONDALE], count=2, start=1)
    co_visitors(city, [MBARE, CHITUNGWIZA], count=3, start=10)
    co_visitors(city, [CHITUNGWIZA], count=9, start=20)

    assert [b for _, _, b in recommendations(city)] == [AVONDALE, CHITUNGWIZA]


def test_each_recommended_business_names_its_strongest_link(city):
    visit(city, MBARE)
    visit(city, BORROWDALE)
    co_visitors(city, [MBARE, AVONDALE], count=2, start=1)
    co_visitors(city, [BORROWDALE, AVONDALE], count=4, start=10)

    assert recommendations(city) == [
        ("co_visit", "Customers of Borrowdale Books also visit Avondale Bakery.", AVONDALE)]


def test_co_visits_count_distinct_customers_not_purchases(city):
    # One customer buying many times at both is still one co-visiting customer.
    for _ in range(5):
        visit(city, MBARE, phone(1))
        visit(city, AVONDALE, phone(1))
    visit(city, MBARE)

    assert recommendations(city) == []


def test_the_query_count_does_not_grow_with_the_data(city):
    database = city.app.state.database
    visit(city, MBARE)
    reward(city, AVONDALE, "a cake", 1000)
    promote(city, MBARE, [DZIVARASEKWA])

    def statements_for_one_request():
        seen = []

        def count(_conn, _cursor, statement, *_args):
            # The outbox dispatcher's polling (another thread) and BEGINs are not the rules'.
            if "outbox_message" not in statement and not statement.startswith("BEGIN"):
                seen.append(statement)

        event.listen(database.engine, "before_cursor_execute", count)
        try:
            recommendations(city)
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        return len(seen)

    small = statements_for_one_request()
    co_visitors(city, [MBARE, AVONDALE, BORROWDALE], count=12, start=1)
    large = statements_for_one_request()

    assert small == large == 5  # the customer, then one statement per rule


# --- ranking across rules -------------------------------------------------------------------


def test_rules_rank_near_reward_inactivity_cross_promotion_then_co_visit(city):
    for _ in range(2):
        visit(city, MBARE, amount="25.00")  # 50 points
    reward(city, BORROWDALE, "a novel", 55)
    promote(city, MBARE, [CHITUNGWIZA])
    co_visitors(city, [MBARE, DZIVARASEKWA], count=2, start=1)
    age(city, 45)

    assert recommendations(city) == [
        ("near_reward", "You are 5 points away from a novel at Borrowdale Books.", BORROWDALE),
        ("inactivity", "We miss you at Mbare Coffee! It has been 45 days since your last visit.",
         MBARE),
        ("cross_promotion", "Mbare Coffee recommends Chitungwiza Cuts: your points count there "
         "too.", CHITUNGWIZA),
        ("co_visit", "Customers of Mbare Coffee also visit Dzivarasekwa Deli.", DZIVARASEKWA),
    ]


def test_one_recommendation_per_business_the_best_ranked_one(city):
    visit(city, MBARE, amount="50.00")
    reward(city, AVONDALE, "a cake", 55)
    promote(city, MBARE, [AVONDALE])
    co_visitors(city, [MBARE, AVONDALE], count=2, start=1)

    assert rules_of(city) == ["near_reward"]


def test_at_most_five_recommendations(city):
    for business_id in range(6, 12):
        city.register_business(business_id, f"Shop {business_id}")
    visit(city, MBARE)
    promote(city, MBARE, list(range(2, 12)))

    recs = recommendations(city)

    assert len(recs) == 5
    assert {rule for rule, _, _ in recs} == {"cross_promotion"}


def test_unknown_customer_gets_no_recommendations(city):
    reward(city, MBARE, "a free coffee", 1)

    assert recommendations(city, "+263712345678") == []

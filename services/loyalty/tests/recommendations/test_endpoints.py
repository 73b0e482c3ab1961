"""The recommendation routes, the engine's interface and its ranking."""

from __future__ import annotations

from mubayiro.loyalty.recommendations.base import Recommendation, RuleDescription, rank
from mubayiro.loyalty.recommendations.rules import CombinedRecommender, RuleBasedRecommender

PHONE = "+263771234567"


# --- capabilities ------------------------------------------------------------------------


def test_capabilities_are_public_and_show_the_defaults(loyalty):
    resp = loyalty.client.get("/customers/recommendations/capabilities")

    assert resp.status_code == 200
    body = resp.json()
    assert [r["rule"] for r in body["rules"]] == [
        "near_reward", "inactivity", "cross_promotion", "co_visit"]
    near, inactive, cross, co_visit = body["rules"]
    assert near["parameters"] == {"near_reward_fraction": 0.2, "near_reward_percent": 20.0}
    assert "at most 20% of its cost" in near["description"]
    assert inactive["parameters"] == {"inactive_days": 30}
    assert "30 days" in inactive["description"]
    assert cross["parameters"] == {"max_partners_per_business": 10}
    assert co_visit["parameters"] == {"min_co_visits": 2, "similarity": "cosine"}
    assert all(r["title"] and r["description"] for r in body["rules"])
    assert body["max_recommendations"] == 5
    assert body["ranking"].startswith(
        "By rule (near_reward, inactivity, cross_promotion, co_visit)")


def test_capabilities_show_the_configured_x_and_y(start_loyalty):
    loyalty = start_loyalty(recommend_near_reward_fraction="0.25", recommend_inactive_days=14,
                            recommend_min_co_visits=3)

    rules = {r["rule"]: r for r in
             loyalty.client.get("/customers/recommendations/capabilities").json()["rules"]}

    assert rules["near_reward"]["parameters"]["near_reward_fraction"] == 0.25
    assert "at most 25% of its cost" in rules["near_reward"]["description"]
    assert rules["inactivity"]["parameters"] == {"inactive_days": 14}
    assert "14 days" in rules["inactivity"]["description"]
    assert rules["co_visit"]["parameters"]["min_co_visits"] == 3


def test_capabilities_do_not_take_capabilities_for_a_phone_number(loyalty):
    with_token = loyalty.client.get("/customers/recommendations/capabilities",
                                    headers=loyalty.customer_headers(PHONE))

    assert with_token.status_code == 200
    assert "rules" in with_token.json()


def test_capabilities_are_in_the_schema_before_the_phone_route(loyalty):
    paths = list(loyalty.client.get("/openapi/loyalty.json").json()["paths"])

    assert paths.index("/customers/recommendations/capabilities") < paths.index(
        "/customers/recommendations/{phone_number}")


# --- a plugged-in recommender --------------------------------------------------------------


class FixedModel:
    """A stand-in for a trained model: always suggests business 2, under its own rule."""

    def recommend(self, session, customer, *, now):
        return [Recommendation(rule="model", message="Try Avondale Bakery.", business_id=2,
                               score=0.9),
                Recommendation(rule="model", message="Try Mbare Coffee.", business_id=1,
                               score=0.5)]

    def describe(self):
        return [RuleDescription(rule="model", title="Learned", description="A model.",
                                parameters={"version": 1})]


def test_a_model_can_join_the_rules(start_loyalty, make_settings):
    settings = make_settings()
    loyalty = start_loyalty(
        recommender=CombinedRecommender([RuleBasedRecommender(settings), FixedModel()]))
    loyalty.register_business(1, "Mbare Coffee", loyalty_rate="1")
    loyalty.register_business(2, "Avondale Bakery")
    loyalty.add_points(1, PHONE, "48.00")
    loyalty.client.post("/businesses/1/rewards", json={"name": "a free coffee",
                                                       "points_cost": 60},
                        headers=loyalty.business_headers(1))

    recs = loyalty.client.get(f"/customers/recommendations/{PHONE}",
                              headers=loyalty.customer_headers(PHONE)).json()["recommendations"]
    rules = loyalty.client.get("/customers/recommendations/capabilities").json()["rules"]

    # The rule comes first; the model's suggestion for business 1 is dropped (one per
    # business), its suggestion for business 2 follows.
    assert recs == [
        {"rule": "near_reward", "message": "You are 12 points away from a free coffee at "
         "Mbare Coffee.", "business_id": 1},
        {"rule": "model", "message": "Try Avondale Bakery.", "business_id": 2}]
    assert [r["rule"] for r in rules][-1] == "model"


def test_a_model_can_replace_the_rules(start_loyalty):
    loyalty = start_loyalty(recommender=FixedModel())
    loyalty.register_business(1, "Mbare Coffee")
    loyalty.add_points(1, PHONE, "1.00")

    recs = loyalty.client.get(f"/customers/recommendations/{PHONE}",
                              headers=loyalty.customer_headers(PHONE)).json()["recommendations"]

    assert [r["business_id"] for r in recs] == [2, 1]


# --- rank ----------------------------------------------------------------------------------


def _rec(rule, business_id, score=0.0):
    return Recommendation(rule=rule, message=f"{rule} {business_id}", business_id=business_id,
                          score=score)


def test_rank_orders_by_rule_then_score():
    ranked = rank([_rec("co_visit", 1, 0.1), _rec("co_visit", 2, 0.9),
                   _rec("cross_promotion", 3), _rec("inactivity", 4), _rec("near_reward", 5)])

    assert [(r.rule, r.business_id) for r in ranked] == [
        ("near_reward", 5), ("inactivity", 4), ("cross_promotion", 3), ("co_visit", 2),
        ("co_visit", 1)]


def test_rank_keeps_the_first_recommendation_per_business():
    ranked = rank([_rec("co_visit", 1), _rec("near_reward", 1), _rec("inactivity", 1)])

    assert [r.rule for r in ranked] == ["near_reward"]


def test_rank_puts_unknown_rules_last_and_cuts_at_the_limit():
    candidates = [_rec("model", 9, 1.0)] + [_rec("cross_promotion", b) for b in range(1, 7)]

    assert [r.business_id for r in rank(candidates)] == [1, 2, 3, 4, 5]
    assert [r.business_id for r in rank(candidates, limit=10)] == [1, 2, 3, 4, 5, 6, 9]


def test_rank_keeps_suggestions_without_a_business():
    ranked = rank([_rec("model", None), _rec("model", None)])

    assert len(ranked) == 2

"""Recommendations: what to suggest to a customer, from rules over the ledger.

The engine sits behind a small interface (``base.Recommender``: given a session, a
customer and the time, return candidate ``Recommendation``s), so that a learned model
can join or replace the rules later without touching the routes. Today one
implementation exists, ``rules.RuleBasedRecommender``, combining these rules (a
*visit* is an ``earn`` or ``redeem`` transaction of the customer at a business;
referral bonuses are not visits, the customer was not there):

1. ``near_reward`` — take the cheapest active reward, at any business, that the
   customer cannot afford yet. If the points still missing are at most X of its
   cost (``recommend_near_reward_fraction``, 20% by default), say so: "You are 12
   points away from a free coffee at Mbare Coffee." Only the cheapest such reward is
   considered: it is the one the customer will reach first.
2. ``inactivity`` — if the customer's last visit anywhere is Y days ago or more
   (``recommend_inactive_days``, 30 by default), invite them back to the business
   they visited most (ties: the one visited last): "We miss you at Mbare Coffee! …".
3. Cross-promotion, two ways. Neither ever suggests a business the customer has
   already visited.

   a. ``cross_promotion`` (configured): each business may name partners to promote
      (``/businesses/{id}/cross_promotions``). A customer of A is told about A's
      partners B: "Mbare Coffee recommends Avondale Bakery: …". Partners of the
      businesses the customer visits most come first.
   b. ``co_visit`` (learned from data, item-to-item co-occurrence): over all
      customers' distinct (customer, business) visits, for each business A the
      customer uses and each business B they do not, count the *other* customers who
      visited both (the co-visits). Pairs with fewer than
      ``recommend_min_co_visits`` (2) co-visiting customers are ignored: one shared
      customer is a coincidence, not a pattern. The rest are scored by cosine
      similarity, ``co_visits(A, B) / sqrt(visitors(A) × visitors(B))``, which keeps
      a business everybody visits from topping every list. Each B takes its best A:
      "Customers of Mbare Coffee also visit Avondale Bakery." All of it is one SQL
      statement (a self-join of the distinct visits, grouped by pair), so the
      database does the counting, not a Python loop over the ledger.

Ranking (``base.rank``): by rule — ``near_reward``, then ``inactivity``, then
``cross_promotion``, then ``co_visit`` (a rule the ranking does not know, such as a
future model's, comes last) — and within a rule by its score, highest first. Only
the first recommendation per business is kept, and at most 5 are returned.

The ``GET /customers/recommendations/capabilities`` route describes the rules with
their configured X and Y (for the admin page).
"""

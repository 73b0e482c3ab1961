"""The structured outputs of the MCP tools (and the bodies of the JSON mirror routes).

Each model becomes a tool's output schema, so field descriptions are written for a
model reading them: units (points are whole numbers; money is a decimal string in the
shop's currency), order (newest first) and what an empty list means.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Transaction(_Out):
    """One ledger row of a customer."""

    id: int
    type: str = Field(
        description="earn, redeem, referral_bonus, reversal, expire or import"
    )
    business_id: int | None = None
    business_name: str | None = Field(default=None, description="Where it happened")
    amount_spent: str | None = Field(
        default=None, description="Money spent (decimal string), for purchases"
    )
    points: int = Field(description="Signed: positive earned, negative spent")
    reward_description: str | None = None
    timestamp: str = Field(description="UTC, ISO-8601")


class RedeemableReward(_Out):
    """A reward the customer has enough points for right now."""

    id: int
    business_id: int
    business_name: str
    name: str
    points_cost: int


class CustomerPoints(_Out):
    """A customer's balance (one balance across every business of the coalition)."""

    phone_number: str = Field(description="E.164")
    total_points: int = Field(ge=0, description="Points available now")
    recent_transactions: list[Transaction] = Field(
        description="The last 5 transactions, newest first (for a business token: those "
        "at that business only)"
    )
    redeemable_rewards: list[RedeemableReward] = Field(
        default_factory=list,
        description="Up to 5 rewards the customer can redeem now, cheapest first "
        "(customer tokens only; empty for a business token)",
    )


class CustomerTransactions(_Out):
    """A page of a customer's history."""

    phone_number: str
    limit: int = Field(description="The page size used (after capping)")
    transactions: list[Transaction] = Field(description="Newest first")


class Reward(_Out):
    """An active reward of a business's catalog."""

    id: int
    name: str
    description: str
    points_cost: int = Field(description="Points needed to redeem it")


class BusinessRef(_Out):
    """A business by id and name (the start of every answer about a business)."""

    id: int
    name: str


class Business(BusinessRef):
    """A business's loyalty program."""

    loyalty_rate: str = Field(description="Points earned per unit of money spent (decimal)")
    rewards: list[Reward] = Field(description="Active rewards, cheapest first")


class BusinessCandidate(BusinessRef):
    """A business whose name resembles the one asked for."""

    score: float = Field(description="Similarity 0–100")


class BusinessOffers(_Out):
    """What a business offers, found by (approximate) name."""

    query: str = Field(description="The name asked for")
    matched: bool = Field(
        description="True when one business clearly matches; false when the name is "
        "unknown or ambiguous (then see candidates and ask the user which one)"
    )
    business: Business | None = None
    partners: list[BusinessRef] = Field(
        default_factory=list, description="Businesses it cross-promotes to its customers"
    )
    candidates: list[BusinessCandidate] = Field(
        default_factory=list, description="Closest names, best first, when not matched"
    )


class Recommendation(_Out):
    """One suggestion for the customer."""

    rule: str
    message: str = Field(description="One short sentence for the customer")
    business_id: int | None = None


class Recommendations(_Out):
    """A customer's recommendations, best first (at most 5)."""

    phone_number: str
    recommendations: list[Recommendation]


class Redemptions(_Out):
    """Redemptions in the period."""

    count: int
    points: int = Field(description="Points redeemed (positive)")


class TopCustomer(_Out):
    """One of the business's best customers."""

    phone_number: str
    points_earned: int
    transaction_count: int


class Reversals(_Out):
    """Refunds at the business in the period, and the points they moved."""

    count: int = Field(description="Refunds (reversal rows)")
    points_reversed: int = Field(
        description="Points refunds took back from customers (refunded purchases and "
        "referral bonuses), positive"
    )
    shortfall: int = Field(
        description="Points refunds could not take back because the customer had already "
        "spent them (not part of points_reversed)"
    )
    points_given_back: int = Field(
        description="Points given back to customers by cancelled redemptions"
    )


class DailyPoints(_Out):
    """One UTC day (every figure positive; 0 on a day without any)."""

    date: date
    points_issued: int
    points_redeemed: int
    points_reversed: int = Field(description="Taken back by refunds")
    points_given_back: int = Field(description="Given back by cancelled redemptions")
    points_expired: int = Field(description="Expired unspent")
    points_imported: int = Field(description="Balances imported from another system")


class BusinessSummary(_Out):
    """The calling business's figures over a period (inclusive UTC days; null = open)."""

    business_id: int
    from_date: date | None = Field(default=None, description="First day included")
    to_date: date | None = Field(default=None, description="Last day included")
    total_points_issued: int = Field(
        description="Earned plus referral bonuses given (a later refund does not lower it: "
        "see total_reversals)"
    )
    total_redemptions: Redemptions
    total_reversals: Reversals
    total_points_expired: int = Field(
        description="Points this business gave that expired unspent"
    )
    total_points_imported: int = Field(
        description="Balances brought from another system (not part of points issued)"
    )
    net_points: int = Field(
        description="What the period added to customers' balances at this business: "
        "issued + imported + given back - redeemed - reversed - expired (can be negative)"
    )
    customer_count: int
    top_customers: list[TopCustomer]
    daily: list[DailyPoints] = Field(description="One entry per day, oldest first")


class CustomerAtBusiness(_Out):
    """A customer as the calling business sees them."""

    business_id: int
    phone_number: str
    total_points: int = Field(description="The coalition-wide balance")
    transactions: list[Transaction] = Field(
        description="Their transactions at this business only, newest first"
    )

"""Bodies of the recommendation routes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class RecommendationOut(BaseModel):
    """One suggestion, as shown to the customer."""

    rule: str = Field(examples=["near_reward"])
    message: str = Field(examples=["You are 12 points away from a free coffee at Mbare Coffee."])
    business_id: int | None = Field(description="The business the suggestion is about.")


class Recommendations(BaseModel):
    """A customer's recommendations, best first (at most 5, one per business)."""

    recommendations: list[RecommendationOut]


class RuleCapability(BaseModel):
    """What one rule does, with its configured parameters."""

    rule: str
    title: str
    description: str
    parameters: dict[str, Any]


class Capabilities(BaseModel):
    """Every rule of the engine, in ranking order, and how results are ranked."""

    rules: list[RuleCapability]
    ranking: str
    max_recommendations: int

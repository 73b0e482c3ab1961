"""Bodies of the cross-promotions routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.loyalty.businesses.schemas import BusinessId, BusinessPage, BusinessSummary

#: How many partners one business may promote.
MAX_PARTNERS = 10


class CrossPromotionsUpdate(BaseModel):
    """The whole new list of partners (replaces the old one; ``[]`` clears it)."""

    model_config = ConfigDict(extra="forbid")

    partner_business_ids: list[BusinessId] = Field(max_length=MAX_PARTNERS)


class CrossPromotions(BaseModel):
    """The partners a business promotes, by id (ascending) and with their names."""

    partner_business_ids: list[int]
    partners: list[BusinessSummary]


class BusinessOffers(BusinessPage):
    """A business's public page plus the partners it promotes (what a customer asking
    "what does this shop offer?" may be told: both end up in front of customers anyway)."""

    partners: list[BusinessSummary]

"""Tools about businesses: a program by id, offers by (approximate) name, and — for a
business token only — its own figures and one of its customers."""


from datetime import date
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field

from mubayiro.mcp_server.schemas import (
    Business,
    BusinessOffers,
    BusinessSummary,
    CustomerAtBusiness,
)
from mubayiro.mcp_server.service import MAX_NAME_LENGTH, LoyaltyReader
from mubayiro.mcp_server.tools.context import run
from mubayiro.mcp_server.tools.customers import READ_ONLY, PhoneNumberArg

Day = Annotated[date | None, Field(description="A UTC day, YYYY-MM-DD; omit for open-ended")]


def register(server: MCPServer[Any], reader: LoyaltyReader) -> None:
    """Add the business tools to ``server``."""

    @server.tool(title="Business", annotations=READ_ONLY)
    def get_business(
        business_id: Annotated[int, Field(ge=1, le=2**31 - 1, description="The business's id")],
        ctx: Context[Any],
    ) -> Business:
        """A business's loyalty program: its name, its loyalty rate (points earned per unit
        of money spent) and its active rewards with their points cost, cheapest first.
        Read-only."""
        return run(ctx, lambda _who: reader.business(business_id))

    @server.tool(title="Business offers", annotations=READ_ONLY)
    def get_business_offers(
        business_name: Annotated[
            str,
            Field(min_length=1, max_length=MAX_NAME_LENGTH,
                  description="The business's name as the user wrote it (typos are fine)"),
        ],
        ctx: Context[Any],
    ) -> BusinessOffers:
        """The current offers of a business found by name: its active rewards (points
        cost) and the partner businesses it promotes. The name is matched approximately;
        when it is unknown or could be several businesses, matched is false and the
        closest names are returned as candidates — ask the user which one they meant
        rather than guessing. Read-only."""
        return run(ctx, lambda _who: reader.business_offers(business_name))

    @server.tool(title="Business summary", annotations=READ_ONLY)
    def get_business_summary(
        ctx: Context[Any], from_date: Day = None, to_date: Day = None
    ) -> BusinessSummary:
        """Your business's figures (business token only): points issued (earned plus
        referral bonuses given), redemptions (count and points), refunds (points taken
        back, the shortfall a refund could not take back because the customer had already
        spent the points, points given back by cancelled redemptions), points expired,
        balances imported from another system, net points (what all of it added to
        customers' balances), distinct customers, top customers, and each of those points
        figures per day. Dates are inclusive UTC days. Read-only."""
        return run(ctx, lambda who: reader.business_summary(who, from_date, to_date))

    @server.tool(title="Find customer", annotations=READ_ONLY)
    def find_customer(phone_number: PhoneNumberArg, ctx: Context[Any]) -> CustomerAtBusiness:
        """One of your customers (business token only): their coalition-wide points
        balance and their transactions at your business, newest first. A number that is
        not your customer gives an error. Read-only."""
        return run(ctx, lambda who: reader.find_customer(who, phone_number))

"""Tools about one customer: points, history, recommendations.

A customer token may name only its own phone number; a business token reads the
customer as that business sees them (balance, and transactions at that business).
"""


from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import ToolAnnotations
from pydantic import Field

from mubayiro.mcp_server.schemas import CustomerPoints, CustomerTransactions, Recommendations
from mubayiro.mcp_server.service import LoyaltyReader
from mubayiro.mcp_server.tools.context import run

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

PhoneNumberArg = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        description="The customer's phone number, E.164 (+263771234567) or local (0771234567). "
        "With a customer token: the customer's own number.",
    ),
]


def register(server: MCPServer[Any], reader: LoyaltyReader) -> None:
    """Add the customer tools to ``server``."""
    max_limit = reader.settings.max_transactions

    @server.tool(title="Customer points", annotations=READ_ONLY)
    def get_customer_points(phone_number: PhoneNumberArg, ctx: Context[Any]) -> CustomerPoints:
        """A customer's points balance (whole points, one balance valid at every business
        of the coalition), their last 5 transactions newest first with business names, and
        the rewards they can redeem right now. Read-only. A customer may ask only about
        their own number; a business sees only the customer's transactions at that
        business."""
        return run(ctx, lambda who: reader.customer_points(who, phone_number))

    @server.tool(title="Customer transactions", annotations=READ_ONLY)
    def get_customer_transactions(
        phone_number: PhoneNumberArg,
        ctx: Context[Any],
        limit: Annotated[
            int,
            Field(ge=1, description=f"How many, newest first (at most {max_limit}; "
                  "larger values are capped)"),
        ] = reader.settings.default_transactions,
    ) -> CustomerTransactions:
        """A customer's transaction history, newest first: earnings (points > 0, with the
        amount spent), redemptions (points < 0, with the reward), referral bonuses,
        reversals and expiries. Read-only. Same access rules as get_customer_points."""
        return run(ctx, lambda who: reader.customer_transactions(who, phone_number, limit))

    @server.tool(title="Recommendations", annotations=READ_ONLY)
    def get_recommendations(phone_number: PhoneNumberArg, ctx: Context[Any]) -> Recommendations:
        """Personal suggestions for the customer, best first (at most 5): a reward they are
        close to, partner shops, places they have not visited lately. Each has a one-line
        message ready to show. Read-only; the customer's own number only."""
        return run(ctx, lambda who: reader.recommendations(who, phone_number))

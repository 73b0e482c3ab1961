"""Errors of redemption codes (asked for by ``POST /transactions/redemption_codes``,
checked by ``redeem_points``)."""

from __future__ import annotations

from mubayiro.common.errors import AppError, Forbidden, TooManyRequests


class TooManyCodeRequests(TooManyRequests):
    """This business asked for too many codes for this phone in the last hour (429)."""

    default_detail = (
        "Too many redemption codes asked for this customer in the last hour; use the "
        "latest code the customer received"
    )

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})


class CustomerCodeRequired(AppError):
    """A redemption needs the code the customer got by SMS, and none was sent (428)."""

    status_code = 428
    default_detail = (
        "Ask for the customer's redemption code first (POST /transactions/redemption_codes)"
        " and send it as customer_code"
    )


class InvalidCustomerCode(Forbidden):
    """The redemption code is wrong, expired, superseded or out of tries (403).

    A wrong code spends one of the code's tries even though the request is refused.
    """

    default_detail = "The customer's code is wrong or expired: ask for a new code"

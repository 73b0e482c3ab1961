"""Errors of the one-time-code routes."""

from __future__ import annotations

from mubayiro.common.errors import Forbidden, TooManyRequests, Unauthorized


class InvalidCode(Unauthorized):
    # One answer for a wrong, expired, used or superseded code and for a phone with no
    # code: the caller learns only that this code will not do.
    default_detail = "The code is wrong or has expired; request a new one"


class TooManyCodeRequests(TooManyRequests):
    default_detail = "Too many codes requested for this phone number; try again later"

    def __init__(self, retry_after: int):
        super().__init__(
            f"Too many codes requested for this phone number; try again in "
            f"{retry_after} seconds",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class TooManyAttempts(TooManyRequests):
    # Retry-After says when this answer stops (the spent code expires; verify then
    # answers InvalidCode). The quicker way on is a new code, which works at once.
    default_detail = "Too many wrong codes; request a new code"

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(max(1, retry_after))})


class CustomerTokensNotAllowed(Forbidden):
    """The calling service is not one that may get customer tokens (setting
    ``customer_token_clients``)."""

    default_detail = "This service may not get customer tokens"

"""Errors of the mcp_server module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import Forbidden, InvalidInput, NotFound, TooManyRequests


class NotYourData(Forbidden):
    """A customer named a phone number that is not theirs (says nothing about it)."""

    default_detail = "You can only see your own phone number's data"


class BusinessOnly(Forbidden):
    """A tool or route that needs a business token."""

    default_detail = "This needs a business token"


class CustomerOnly(Forbidden):
    """A tool or route that needs the customer's own token."""

    default_detail = "This needs the customer's own token"


class CustomerNotFound(NotFound):
    """The business has no customer with that number."""

    default_detail = "No customer with that phone number at your business"


class BusinessNotFound(NotFound):
    """No business with that id."""

    default_detail = "No business with that id"


class InvalidPeriod(InvalidInput):
    """``from`` is after ``to``."""

    default_detail = "from must not be after to"


class RateLimited(TooManyRequests):
    """The token made too many requests in the window."""

    default_detail = "Too many requests; retry later"

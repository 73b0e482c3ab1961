"""Errors of the customers module."""

from __future__ import annotations

from mubayiro.common.errors import NotFound


class CustomerNotFound(NotFound):
    """No customer with that phone number has ever earned points."""

    default_detail = "Customer not found"

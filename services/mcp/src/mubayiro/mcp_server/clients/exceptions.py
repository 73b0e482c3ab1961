"""Errors of the clients module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import NotFound


class LoyaltyNotFound(NotFound):
    """Loyalty does not know the customer or business asked for."""

    def __init__(self, detail: str, *, error: str):
        super().__init__(detail)
        self.loyalty_error = error

"""Errors of the cross-promotions module."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput


class UnknownPartner(InvalidInput):
    """A partner named is not a business of the coalition."""

    default_detail = "Unknown partner business"


class SelfPromotion(InvalidInput):
    """A business cannot be its own partner."""

    default_detail = "A business cannot promote itself"

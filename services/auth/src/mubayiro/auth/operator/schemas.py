"""Request bodies of the operator routes (a business is answered as
:class:`~mubayiro.auth.businesses.schemas.BusinessIdentity`, status included)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mubayiro.auth.businesses.schemas import BusinessStatus


class StatusChange(BaseModel):
    """The status an operator gives a business."""

    model_config = ConfigDict(extra="forbid")

    status: BusinessStatus

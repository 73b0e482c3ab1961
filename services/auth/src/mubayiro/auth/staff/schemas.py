"""Request and response bodies of the staff routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from mubayiro.auth.businesses.schemas import DisplayName, Email, NewPassword
from mubayiro.common.tokens import StaffRole


class NewStaffMember(BaseModel):
    """A person an owner adds to the business."""

    model_config = ConfigDict(extra="forbid")

    name: DisplayName
    email: Email
    password: NewPassword
    role: StaffRole


class StaffMember(BaseModel):
    """A staff member as the business's owners see them (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    business_id: int
    name: str
    email: str
    role: StaffRole
    created_at: datetime


class InternalStaffMember(StaffMember):
    """A staff member as other services see them (``/internal``): removed ones too, so
    an id recorded on an old ledger row still has a name."""

    removed_at: datetime | None

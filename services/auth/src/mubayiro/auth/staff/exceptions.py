"""Errors of the staff module."""

from __future__ import annotations

from mubayiro.common.errors import Conflict, NotFound, Unauthorized


class StaffNotFound(NotFound):
    default_detail = "No such staff member at your business"


class UnknownStaff(Unauthorized):
    default_detail = "The staff member this token names no longer exists; sign in again"


class CannotRemoveYourself(Conflict):
    default_detail = "You cannot remove yourself; another owner can"


class LastOwner(Conflict):
    default_detail = "A business keeps at least one owner"

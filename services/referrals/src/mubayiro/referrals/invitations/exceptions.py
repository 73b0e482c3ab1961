"""Errors of the invitations module (self-invites and already-referred friends reuse the
referral errors: ``SelfReferral``, ``AlreadyReferred``)."""

from __future__ import annotations

from mubayiro.common.errors import Conflict, TooManyRequests


class AlreadyACustomer(Conflict):
    """The friend has earned points already: there is nobody new to bring in."""

    default_detail = "This phone number is already a Mubayiro customer"


class TooManyInvites(TooManyRequests):
    """The inviter has used up their invitations for the last 24 hours."""

    default_detail = "Too many invitations in the last 24 hours"

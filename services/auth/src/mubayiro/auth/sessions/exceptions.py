"""Errors of the sessions module."""

from __future__ import annotations

from mubayiro.common.errors import Unauthorized


class InvalidRefreshToken(Unauthorized):
    # One answer for unknown, expired, used, revoked: the client signs in again.
    default_detail = "The session has ended; sign in again"

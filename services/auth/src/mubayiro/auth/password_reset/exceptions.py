"""Errors of the password reset module."""

from __future__ import annotations

from mubayiro.common.errors import BadRequest, NotFound


class InvalidResetToken(BadRequest):
    # One answer for unknown, expired and used tokens.
    default_detail = "This reset link is invalid, expired or already used; ask for a new one"


class DevMailNotAvailable(NotFound):
    default_detail = "Not found"

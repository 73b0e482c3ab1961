"""Errors of the sms module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import NotFound


class OutboxNotAvailable(NotFound):
    default_detail = "Not found"

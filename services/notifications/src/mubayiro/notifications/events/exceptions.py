"""Errors of the events module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput


class InvalidEventPayload(InvalidInput):
    """An event's data does not fit its type (422): the producer keeps it and retries."""

    default_detail = "The event's data does not match its type"

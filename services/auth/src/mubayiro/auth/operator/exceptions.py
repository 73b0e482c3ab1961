"""Errors of the operator module."""

from __future__ import annotations

from mubayiro.common.errors import Forbidden


class OperatorOnly(Forbidden):
    default_detail = "Only the platform operator's client may do this"

"""FastAPI dependencies of the reports service, as ``Annotated`` aliases.

The session (``ReadSession``: its routes only read) and the caller checks
(``CurrentBusiness``, ``ServiceCaller``) come from ``mubayiro.common``; the
report-specific ones (whose figures, which days) live beside the routes in
``figures.dependencies``. This module adds what only this service keeps on
``app.state``: its settings.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mubayiro.common.deps import ReadSession, app_state
from mubayiro.common.security import CurrentBusiness, ServiceCaller
from mubayiro.reports.config import ReportsSettings

__all__ = ["CurrentBusiness", "ReadSession", "ServiceCaller", "SettingsDep"]


SettingsDep = Annotated[ReportsSettings, Depends(app_state("settings"))]

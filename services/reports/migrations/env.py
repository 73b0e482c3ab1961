"""Alembic environment of the reports service."""

from mubayiro.common.db import run_alembic_env
from mubayiro.reports.models import Base

run_alembic_env(Base.metadata)

"""Alembic environment of the notifications service."""

from mubayiro.common.db import run_alembic_env
from mubayiro.notifications.models import Base

run_alembic_env(Base.metadata)

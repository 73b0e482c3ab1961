"""Alembic environment of the loyalty service: its models' metadata, shared runner."""

from mubayiro.common.db import run_alembic_env
from mubayiro.loyalty.models import Base

run_alembic_env(Base.metadata)

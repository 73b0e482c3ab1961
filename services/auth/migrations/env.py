"""Alembic environment of the auth service: its models' metadata, the shared runner."""

from mubayiro.auth.models import Base
from mubayiro.common.db import run_alembic_env

run_alembic_env(Base.metadata)

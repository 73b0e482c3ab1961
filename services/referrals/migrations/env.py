"""Alembic environment of the referrals service."""

from mubayiro.common.db import run_alembic_env
from mubayiro.referrals.models import Base

run_alembic_env(Base.metadata)

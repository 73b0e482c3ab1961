"""Idempotency keys: stored scopes in the one format of ``@idempotent``.

``service:referrals:internal_sms`` becomes ``service:referrals POST /internal/sms``, so
that a key used before the upgrade is still found after it (one SMS per invitation).
"""

from alembic import op

from mubayiro.common.idempotency import rescope_records

revision: str = "0004"
down_revision: str | None = "0003"

SCOPES = [("service:{c}:internal_sms", "service:{c} POST /internal/sms")]


def upgrade() -> None:
    rescope_records(op, SCOPES)


def downgrade() -> None:
    rescope_records(op, SCOPES, reverse=True)

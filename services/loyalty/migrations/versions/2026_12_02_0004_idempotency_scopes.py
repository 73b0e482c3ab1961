"""Idempotency keys: stored scopes in the one format of ``@idempotent``.

Keys used to be scoped per service method (``business:7:add_points``); the shared route
decorator scopes them as ``<caller's subject> <METHOD> <path>``. Rows stored before are
rewritten so that a key used before the upgrade is still found after it (a retried
referral bonus must be replayed, not paid again).
"""

from alembic import op

from mubayiro.common.idempotency import rescope_records

revision: str = "0004"
down_revision: str | None = "0003"

SCOPES = [
    ("business:{b}:add_points", "business:{b} POST /transactions/add_points"),
    ("business:{b}:redeem_points", "business:{b} POST /transactions/redeem_points"),
    ("business:{b}:loyalty_rules", "business:{b} POST /businesses/{b}/loyalty_rules"),
    ("business:{b}:create_reward", "business:{b} POST /businesses/{b}/rewards"),
    ("business:{b}:update_reward:{r}", "business:{b} PATCH /businesses/{b}/rewards/{r}"),
    ("service:{c}:referral_bonus", "service:{c} POST /internal/transactions/referral_bonus"),
    ("service:{c}:import_transaction", "service:{c} POST /internal/transactions/import"),
]


def upgrade() -> None:
    rescope_records(op, SCOPES)


def downgrade() -> None:
    rescope_records(op, SCOPES, reverse=True)

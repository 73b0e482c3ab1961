"""A key stored before idempotency scopes took the ``@idempotent`` format is still found
after the upgrade (migration 0004): a bonus paid before it is replayed, not paid again."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import create_engine, insert, select

from mubayiro.common.db import utcnow
from mubayiro.common.idempotency import fingerprint
from mubayiro.common.testing import alembic_config
from mubayiro.loyalty.config import ALEMBIC_INI
from mubayiro.loyalty.models import idempotency_record

PHONE = "+263771234567"
BODY = {"business_id": 1, "customer_phone_number": PHONE, "points": 50, "referral_id": 7}


def test_a_bonus_paid_before_the_scope_upgrade_is_replayed_after_it(tmp_path, start_loyalty):
    url = f"sqlite:///{tmp_path / 'deployed.db'}"
    # A database as deployed before the upgrade.
    command.upgrade(alembic_config(ALEMBIC_INI, url), "0003")
    paid = {"transaction_id": 41, "customer_phone_number": PHONE, "points_awarded": 50,
            "total_points": 50}
    engine = create_engine(url)
    with engine.begin() as conn:  # what loyalty stored for the bonus back then
        conn.execute(insert(idempotency_record).values(
            scope="service:referrals:referral_bonus", key="referral-7",
            fingerprint=fingerprint(BODY), status_code=201, response=json.dumps(paid),
            created_at=utcnow()))
    engine.dispose()

    loyalty = start_loyalty(database_url=url)  # migrates to head as it starts
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    again = loyalty.client.post("/internal/transactions/referral_bonus", json=BODY,
                                headers={**loyalty.service_headers("referrals"),
                                         "Idempotency-Key": "referral-7"})

    assert again.status_code == 201
    assert again.json() == paid
    assert again.headers["Idempotent-Replayed"] == "true"
    assert loyalty.count("point_transaction") == 0
    with loyalty.app.state.database.session(write=False) as s:
        assert list(s.scalars(select(idempotency_record.c.scope))) == [
            "service:referrals POST /internal/transactions/referral_bonus"]

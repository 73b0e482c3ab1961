"""A key stored before idempotency scopes took the ``@idempotent`` format is still found
after the upgrade (migration 0004): a bonus paid before it is replayed, not paid again."""

from __future__ import annotations

import json

from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select

from mubayiro.common.db import utcnow
from mubayiro.common.idempotency import fingerprint
from mubayiro.loyalty.config import ALEMBIC_INI
from mubayiro.loyalty.models import idempotency_record

PHONE = "+263771234567"
BODY = {"business_id": 1, "customer_phone_number": PHONE, "points": 50, "referral_id": 7}


def _alembic(url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_INI.parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logging"] = False
    return config


def test_a_bonus_paid_before_the_scope_upgrade_is_replayed_after_it(loyalty):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    database = loyalty.app.state.database
    config = _alembic(database.engine.url.render_as_string(hide_password=False))
    command.downgrade(config, "0003")
    paid = {"transaction_id": 41, "customer_phone_number": PHONE, "points_awarded": 50,
            "total_points": 50}
    with database.session() as s:  # what loyalty stored for the bonus before the upgrade
        s.execute(insert(idempotency_record).values(
            scope="service:referrals:referral_bonus", key="referral-7",
            fingerprint=fingerprint(BODY), status_code=201, response=json.dumps(paid),
            created_at=utcnow()))

    command.upgrade(config, "head")
    again = loyalty.client.post("/internal/transactions/referral_bonus", json=BODY,
                                headers={**loyalty.service_headers("referrals"),
                                         "Idempotency-Key": "referral-7"})

    assert again.status_code == 201
    assert again.json() == paid
    assert again.headers["Idempotent-Replayed"] == "true"
    assert loyalty.count("point_transaction") == 0
    with database.session(write=False) as s:
        assert list(s.scalars(select(idempotency_record.c.scope))) == [
            "service:referrals POST /internal/transactions/referral_bonus"]

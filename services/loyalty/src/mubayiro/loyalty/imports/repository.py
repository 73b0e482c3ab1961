"""SQL of balance imports: set-at-a-time statements, a chunk of rows each.

A 100,000-row file is a few hundred statements, not several hundred thousand: customers
are created with one executemany ``INSERT … ON CONFLICT DO NOTHING`` per chunk (sent as
multi-row ``VALUES`` by SQLAlchemy's "insertmanyvalues"), the ``import`` rows with one
executemany ``INSERT … ON CONFLICT DO NOTHING RETURNING`` against
the unique index ``ux_point_transaction_import_once`` (one imported balance per business
and customer), and the balances of exactly the rows that index let in with one
executemany ``UPDATE … SET total_points = total_points + :p`` (the ledger's atomic
addition). Because the unique index decides, two applies of one file racing on
PostgreSQL still import each customer once; on SQLite the write lock orders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select, text, update
from sqlalchemy.orm import Session

from mubayiro.common.sql import dialect_insert
from mubayiro.loyalty.imports.schemas import BalanceRow
from mubayiro.loyalty.models import Customer, PointTransaction

#: Core tables: executemany statements through them are compiled once and skip the
#: ORM's per-row bookkeeping.
_customer = cast(Table, Customer.__table__)
_ledger = cast(Table, PointTransaction.__table__)


class ImportRepository:
    """Reads and writes what a balance import needs."""

    def already_imported(
        self, session: Session, business_id: int, phones: Sequence[str]
    ) -> set[str]:
        """Those of ``phones`` whose customer has an ``import`` row at the business."""
        return set(session.scalars(
            select(Customer.phone_number)
            .join(PointTransaction, PointTransaction.customer_id == Customer.id)
            .where(PointTransaction.business_id == business_id,
                   PointTransaction.type == "import",
                   Customer.phone_number.in_(phones))
        ))

    def write(
        self, session: Session, business_id: int, rows: Sequence[BalanceRow], *,
        created_at: datetime, key: str, description: str,
    ) -> list[tuple[int, int, str, int, int]]:
        """Write the ``import`` rows of ``rows`` not imported yet, and their balances.

        Returns ``(transaction_id, customer_id, phone_number, points, total_points)``
        of each row written (the others already had an imported balance).
        """
        session.execute(
            dialect_insert(session, _customer)
            .on_conflict_do_nothing(index_elements=[_customer.c.phone_number]),
            [{"phone_number": r.phone_number, "total_points": 0, "created_at": created_at}
             for r in rows],
        )
        ids: dict[str, int] = {phone: cid for phone, cid in session.execute(
            select(Customer.phone_number, Customer.id)
            .where(Customer.phone_number.in_([r.phone_number for r in rows])))}
        written = session.execute(
            dialect_insert(session, _ledger)
            .on_conflict_do_nothing(index_elements=[_ledger.c.business_id, _ledger.c.customer_id],
                                    index_where=text("type = 'import'"))
            .returning(_ledger.c.id, _ledger.c.customer_id, _ledger.c.points),
            [{"business_id": business_id, "customer_id": ids[r.phone_number],
              "type": "import", "points": r.points, "reward_description": r.note or description,
              "idempotency_key": key, "created_at": created_at} for r in rows],
        ).all()
        if not written:
            return []
        session.execute(
            update(_customer).where(_customer.c.id == bindparam("cid"))
            .values(total_points=_customer.c.total_points + bindparam("add")),
            [{"cid": customer_id, "add": points} for _, customer_id, points in written],
        )
        totals: dict[int, int] = {cid: total for cid, total in session.execute(
            select(Customer.id, Customer.total_points)
            .where(Customer.id.in_([customer_id for _, customer_id, _ in written])))}
        phones = {customer_id: phone for phone, customer_id in ids.items()}
        return [(tid, cid, phones[cid], points, totals[cid]) for tid, cid, points in written]


import_repository = ImportRepository()

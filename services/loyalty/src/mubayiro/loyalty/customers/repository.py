"""SQL for customers and their balances.

The balance is only ever changed by one ``UPDATE … SET total_points = total_points
+ :delta … RETURNING total_points``: the database does the addition under its row
lock, so two concurrent awards can never both read the old balance and lose one of
the additions (the "read-modify-write in Python" race). A redemption adds its
condition to the same statement (``… WHERE total_points >= :points``), so checking
the balance and deducting from it are one step that no other request can split.

An award does both steps of "find or create the customer" and "add to the balance" in
one statement (:meth:`CustomerRepository.credit`): ``INSERT … ON CONFLICT (phone_number)
DO UPDATE SET total_points = customer.total_points + excluded.total_points RETURNING id,
total_points``, the same addition under the same row lock, built once (issue 14: three
statements built per call were a fifth of an award's CPU).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from mubayiro.common.sql import PerDialect, dialect_insert
from mubayiro.loyalty.models import Customer

_customers = cast(Table, Customer.__table__)


def _credit_statement(dialect: str) -> Any:
    upsert = dialect_insert(dialect, _customers).values(
        phone_number=bindparam("phone_number"), total_points=bindparam("points"),
        created_at=bindparam("now"))
    return upsert.on_conflict_do_update(
        index_elements=[_customers.c.phone_number],
        set_={"total_points": _customers.c.total_points + upsert.excluded.total_points},
    ).returning(_customers.c.id, _customers.c.total_points)


_CREDIT = PerDialect(_credit_statement)
# A redemption's deduction (see take_from_balance), built once.
_TAKE = (
    update(_customers)
    .where(_customers.c.id == bindparam("customer_id"),
           _customers.c.total_points >= bindparam("points"))
    .values(total_points=_customers.c.total_points - bindparam("points"))
    .returning(_customers.c.total_points)
)
# Every lookup, redemption and award view starts here: built once (mubayiro.common.sql).
_BY_PHONE = select(Customer).where(Customer.phone_number == bindparam("phone_number"))


class CustomerRepository:
    """Reads and writes ``customer`` rows."""

    def find_by_phone(self, session: Session, phone_number: str) -> Customer | None:
        """The customer with that E.164 number, or None."""
        return session.scalar(_BY_PHONE, {"phone_number": phone_number})

    def credit(self, session: Session, phone_number: str, points: int,
               now: datetime) -> tuple[int, int]:
        """Add ``points`` (≥ 0) to the balance of the customer with that number, creating
        the customer (first seen ``now``) if needed; return (customer id, new balance).

        One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (module doc): never fails on
        the unique phone number, and never loses a concurrent addition.
        """
        row = session.execute(_CREDIT.for_(session), {
            "phone_number": phone_number, "points": points, "now": now}).one()
        return int(row[0]), int(row[1])

    def add_to_balance(self, session: Session, customer_id: int, delta: int) -> int:
        """Add ``delta`` (signed) to the balance atomically; return the new balance.

        The ``total_points >= 0`` CHECK rejects (IntegrityError) a change that would
        overdraw; a redemption should rather guard with ``WHERE total_points >= :n``.
        """
        return session.execute(
            update(Customer)
            .where(Customer.id == customer_id)
            .values(total_points=Customer.total_points + delta)
            .returning(Customer.total_points)
            .execution_options(synchronize_session=False)
        ).scalar_one()

    def take_from_balance(self, session: Session, customer_id: int, points: int) -> int | None:
        """Deduct ``points`` if the balance covers them; return the new balance, else None.

        One statement: ``UPDATE customer SET total_points = total_points - :p WHERE id =
        :id AND total_points >= :p RETURNING total_points``. The condition is evaluated
        under the row's write lock (SQLite: the database write lock of ``BEGIN
        IMMEDIATE``; PostgreSQL: a concurrent update makes this one wait, then re-check
        the condition against the committed row), so two redemptions can never both
        spend the same points. No row back means the balance was too low and nothing
        changed.
        """
        found = session.execute(_TAKE, {"customer_id": customer_id, "points": points}).first()
        return None if found is None else int(found[0])

    def locked_balance(self, session: Session, customer_id: int) -> int:
        """The customer's latest committed balance, locked until the transaction ends.

        ``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has no row locks, but the write
        transaction (``BEGIN IMMEDIATE``) already holds the database's write lock.
        """
        return session.execute(
            select(Customer.total_points).where(Customer.id == customer_id).with_for_update()
        ).scalar_one()


customer_repository = CustomerRepository()

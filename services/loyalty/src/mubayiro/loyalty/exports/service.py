"""The export files: a business's customers and its transactions as CSV, streamed.

Written with Python's ``csv`` module (quoting, commas and newlines in text are its
business), a page of rows at a time into a small buffer that is handed on and emptied:
the file is never held whole, neither here nor in the database driver
(``exports.repository``). Times are ISO-8601 UTC, money a decimal string, empty cells
for nulls.

Text a person typed (a redemption's description, a refund's reason, an import's note)
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
leading ``'``: a spreadsheet would otherwise run it as a formula (CSV injection).
Phone numbers are E.164 and checked when stored, so they are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from mubayiro.loyalty.exports.repository import export_repository

CUSTOMER_COLUMNS = (
    "phone_number", "points_earned", "points_redeemed", "points_reversed",
    "points_expired", "points_imported", "balance", "first_visit", "last_visit",
)
TRANSACTION_COLUMNS = (
    "id", "timestamp", "type", "customer_phone_number", "amount_spent", "points",
    "reward_description", "reward_id", "reversed_transaction_id", "shortfall", "staff_id",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _text(value: str | None) -> str:
    if value is None:
        return ""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class ExportService:
    """The CSV files (a module singleton: ``export_service``)."""

    def customers_csv(self, session: Session, business_id: int) -> Iterator[str]:
        """The customers file, a page at a time: one line per customer with a
        transaction at the business (points by kind there, the coalition-wide balance,
        first and last visit)."""
        return self._csv(CUSTOMER_COLUMNS, (
            [[_cell(v) for v in row] for row in page]
            for page in export_repository.customers(session, business_id)
        ))

    def transactions_csv(self, session: Session, business_id: int) -> Iterator[str]:
        """The transactions file, a page at a time: every ledger row at the business,
        oldest first."""
        return self._csv(TRANSACTION_COLUMNS, (
            [[*map(_cell, values[:6]), _text(values[6]), *map(_cell, values[7:])]
             for values in map(list, page)]
            for page in export_repository.transactions(session, business_id)
        ))

    def _csv(self, header: Sequence[str], pages: Iterator[list[list[Any]]]) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        for rows in pages:
            writer.writerows(rows)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():  # no page at all: the header alone
            yield buffer.getvalue()


export_service = ExportService()

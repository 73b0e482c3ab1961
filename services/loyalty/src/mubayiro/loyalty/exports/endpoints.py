"""Routes of the exports: ``GET /businesses/{business_id}/export/customers.csv`` and
``…/transactions.csv`` (owners only), streamed as they are read.

The request's own sessions end when the endpoint returns, before the body is sent, so
the file is read in a read transaction of its own (``SeparateTransactions``) that lives
as long as the stream: opened at the first chunk, rolled back after the last (or when
the client goes away and the stream is closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.deps import SessionRoute, Transactions
from mubayiro.common.errors import InvalidInput, Unauthorized, error_responses
from mubayiro.common.security import OwnerOnly
from mubayiro.loyalty.businesses.dependencies import OwnedBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.deps import SeparateTransactions
from mubayiro.loyalty.exports.service import export_service

router = APIRouter(tags=["exports"], route_class=SessionRoute)

_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The CSV file."}}
_ERRORS = error_responses(Unauthorized, OwnerOnly, BusinessNotFound, InvalidInput)


def _streamed(
    own: Transactions, business_id: int, file: str,
    write: Callable[[Session, int], Iterator[str]],
) -> StreamingResponse:
    def chunks() -> Iterator[str]:
        with own.read() as session:
            yield from write(session, business_id)

    name = f"business-{business_id}-{file}-{utcnow():%Y%m%d}.csv"
    return StreamingResponse(
        chunks(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/businesses/{business_id}/export/customers.csv", response_class=StreamingResponse,
            responses={**_CSV, **_ERRORS})
def export_customers(business_id: OwnedBusinessId, own: SeparateTransactions) -> StreamingResponse:
    """Your customers as CSV: phone, points earned, redeemed, reversed, expired and
    imported at your business, their balance, first and last visit (owners only)."""
    return _streamed(own, business_id, "customers", export_service.customers_csv)


@router.get("/businesses/{business_id}/export/transactions.csv",
            response_class=StreamingResponse, responses={**_CSV, **_ERRORS})
def export_transactions(
    business_id: OwnedBusinessId, own: SeparateTransactions
) -> StreamingResponse:
    """Every transaction at your business as CSV, oldest first (owners only)."""
    return _streamed(own, business_id, "transactions", export_service.transactions_csv)

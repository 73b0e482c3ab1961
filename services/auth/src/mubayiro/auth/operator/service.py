"""Business status, the operator's decision: ``pending`` → ``active`` ↔ ``suspended``.

A new business starts ``pending`` (``active`` when ``AUTH_AUTO_APPROVE_BUSINESSES``
is on: development and tests). Only an active business may award, redeem or complete
referrals; loyalty and referrals enforce that from their copy of the status, which
``business.updated`` (emitted here, in the same transaction) keeps fresh. The business
token carries no status: it outlives a status change, the copy does not.

Suspending also ends every session of the business's staff (their refresh tokens), so
nobody keeps working on a suspended business past one access token's lifetime —
though a suspended business may still sign in, see its data and configure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from mubayiro.auth.businesses.exceptions import BusinessNotFound
from mubayiro.auth.events import BUSINESS_UPDATED, business_payload
from mubayiro.auth.models import Business
from mubayiro.auth.operator import repository
from mubayiro.auth.sessions import repository as session_repository
from mubayiro.common.events import EventPublisher


class OperatorService:
    """The operator's view and control of businesses."""

    def set_status(
        self, session: Session, business_id: int, status: str, *, publisher: EventPublisher,
        now: datetime,
    ) -> Business:
        """Give the business ``status``; announce it with ``business.updated`` when it
        changed, and end its staff's sessions when it is suspended.

        Raises:
            BusinessNotFound: no such business.
        """
        business = repository.get_for_update(session, business_id)
        if business is None:
            raise BusinessNotFound()
        if business.status == status:
            return business
        business.status = status
        session.flush()
        if status == "suspended":
            session_repository.revoke_for_business(session, business.id, now=now)
        publisher.emit(session, BUSINESS_UPDATED, business_payload(business))
        return business

    def list(
        self, session: Session, status: str | None = None, *, limit: int = 100, offset: int = 0
    ) -> Sequence[Business]:
        """Businesses, with ``status`` only when given, oldest first."""
        return repository.list_by_status(session, status, limit=limit, offset=offset)


operator_service = OperatorService()

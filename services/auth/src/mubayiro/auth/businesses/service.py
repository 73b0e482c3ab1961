"""The rules of business identity: sign-up, changes, and their events.

Signing up makes the business and its first owner (a :class:`~mubayiro.auth.models.Staff`
row holding the email and password hash); signing in is the staff module's. Nothing here
commits: the request's session does, so a business and the event that announces it are
written together or not at all (transactional outbox).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.auth.businesses import repository
from mubayiro.auth.businesses.exceptions import (
    BusinessNameTaken,
    BusinessNotFound,
    EmailAlreadyRegistered,
)
from mubayiro.auth.businesses.schemas import RegisterBusiness, UpdateBusiness
from mubayiro.auth.events import BUSINESS_REGISTERED, BUSINESS_UPDATED, business_payload
from mubayiro.auth.models import Business, business_name_key
from mubayiro.auth.passwords import hash_password
from mubayiro.auth.staff import repository as staff_repository
from mubayiro.auth.staff.service import staff_service
from mubayiro.common.errors import InvalidInput
from mubayiro.common.events import EventPublisher


class BusinessService:
    """Registration and identity changes of businesses."""

    def register(
        self, session: Session, data: RegisterBusiness, *, publisher: EventPublisher,
        status: str,
    ) -> Business:
        """Create the business in ``status`` (``pending``, or ``active`` when businesses
        are approved automatically) with the registering person as its owner, and emit
        ``business.registered``.

        Raises:
            BusinessNameTaken: another business has this name (any case or spacing).
            EmailAlreadyRegistered: the email (any case) is a business's or a staff
                member's already (logins find people by email alone).
        """
        # Hash before the first query: on SQLite that query opens the write transaction,
        # and the lock should not be held during the (slow, deliberate) hashing.
        password_hash = hash_password(data.password)
        if (
            repository.get_by_email(session, data.email) is not None
            or staff_repository.get_active_by_email(session, data.email) is not None
        ):
            raise EmailAlreadyRegistered()
        name_key = business_name_key(data.name)
        if repository.get_by_name_key(session, name_key) is not None:
            raise BusinessNameTaken()
        business = Business(
            name=data.name,
            name_key=name_key,
            contact_person=data.contact_person,
            email=data.email,
            status=status,
            registration_loyalty_rate=data.loyalty_rate,
        )
        try:
            # The unique constraints are the real guard (concurrent sign-ups on PostgreSQL).
            with session.begin_nested():
                repository.add(session, business)
                staff_service.add_first_owner(session, business, password_hash)
        except IntegrityError as exc:
            # A concurrent sign-up won the race for the name or the email.
            if repository.get_by_name_key(session, name_key) is not None:
                raise BusinessNameTaken() from exc
            raise EmailAlreadyRegistered() from exc
        publisher.emit(
            session, BUSINESS_REGISTERED, business_payload(business, data.loyalty_rate)
        )
        return business

    def get(self, session: Session, business_id: int) -> Business:
        """The business with ``business_id``.

        Raises:
            BusinessNotFound: no such business.
        """
        business = repository.get(session, business_id)
        if business is None:
            raise BusinessNotFound()
        return business

    def update(
        self,
        session: Session,
        business: Business,
        changes: UpdateBusiness,
        *,
        publisher: EventPublisher,
    ) -> Business:
        """Apply the given fields and emit ``business.updated`` if anything changed.

        Raises:
            InvalidInput: no field to change was given.
            BusinessNameTaken: another business has the new name.
        """
        fields = {k: v for k, v in changes.model_dump(exclude_unset=True).items() if v is not None}
        if not fields:
            raise InvalidInput("Give at least one of name, contact_person")
        if "name" in fields:
            name_key = business_name_key(fields["name"])
            holder = repository.get_by_name_key(session, name_key)
            if holder is not None and holder.id != business.id:
                raise BusinessNameTaken()
            business.name_key = name_key
        changed = False
        for key, value in fields.items():
            if getattr(business, key) != value:
                setattr(business, key, value)
                changed = True
        if changed:
            session.flush()
            publisher.emit(session, BUSINESS_UPDATED, business_payload(business))
        return business


business_service = BusinessService()

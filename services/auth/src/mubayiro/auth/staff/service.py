"""The rules of staff accounts: who signs in, who an owner may add and remove.

Every business has at least one owner: the person who registered it is the first. An
owner adds owners and cashiers and removes them, but never themselves (another owner
can) and never the last owner. A removed member's row stays (``removed_at``): ledgers
elsewhere keep their ``staff_id``. Removing a member ends their sessions (refresh
tokens) and spends their password reset links at once; an access token they already
hold lives on until it expires (``AUTH_BUSINESS_TOKEN_SECONDS``, minutes), except at
auth itself, which checks the member on every staff route.

Nothing here commits: the request's write session does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.auth.businesses.exceptions import EmailAlreadyRegistered, InvalidCredentials
from mubayiro.auth.models import Business, Staff
from mubayiro.auth.password_reset import repository as reset_repository
from mubayiro.auth.passwords import hash_password, verify_or_dummy
from mubayiro.auth.sessions import repository as session_repository
from mubayiro.auth.staff import repository
from mubayiro.auth.staff.exceptions import (
    CannotRemoveYourself,
    LastOwner,
    StaffNotFound,
    UnknownStaff,
)
from mubayiro.auth.staff.schemas import NewStaffMember
from mubayiro.common.tokens import Principal


class StaffService:
    """Staff accounts: sign-in, the signed-in member, adding and removing members."""

    def add_first_owner(self, session: Session, business: Business, password_hash: str) -> Staff:
        """Make the person who registered ``business`` its first owner (its contact
        person, with the business's email and password).

        Raises:
            IntegrityError: the email is already a staff member's (the caller, inside its
                savepoint, turns it into ``EmailAlreadyRegistered``).
        """
        return repository.add(session, Staff(
            business_id=business.id, name=business.contact_person, email=business.email,
            password_hash=password_hash, role="owner",
        ))

    def create(self, session: Session, business_id: int, data: NewStaffMember) -> Staff:
        """Add a member to the business.

        Raises:
            EmailAlreadyRegistered: a member (of any business) already signs in with it.
        """
        # Hash before the first statement: that opens the write transaction, whose lock
        # should not be held through the (slow, deliberate) hashing.
        password_hash = hash_password(data.password)
        if repository.get_active_by_email(session, data.email) is not None:
            raise EmailAlreadyRegistered("Someone already signs in with this email")
        member = Staff(business_id=business_id, name=data.name, email=data.email,
                       password_hash=password_hash, role=data.role)
        try:
            # The partial unique index is the real guard (concurrent adds on PostgreSQL).
            with session.begin_nested():
                repository.add(session, member)
        except IntegrityError as exc:
            raise EmailAlreadyRegistered("Someone already signs in with this email") from exc
        return member

    def authenticate(self, session: Session, email: str, password: str) -> Staff:
        """The member (not removed) whose email and password these are.

        Raises:
            InvalidCredentials: unknown email or wrong password (same message and timing).
        """
        member = repository.get_active_by_email(session, email)
        ok = verify_or_dummy(password, member.password_hash if member else None)
        if member is None or not ok:
            raise InvalidCredentials()
        return member

    def signed_in(self, session: Session, principal: Principal) -> Staff:
        """The member a business token was issued to, still at that business.

        Raises:
            UnknownStaff: the token names no member (a token from before staff accounts),
                or one who was removed, or one of another business (401: sign in again).
        """
        if principal.staff_id is None:
            raise UnknownStaff()
        member = repository.get_active(session, principal.staff_id)
        if member is None or member.business_id != principal.business_id:
            raise UnknownStaff()
        return member

    def list(self, session: Session, business_id: int) -> Sequence[Staff]:
        """The business's members, oldest first (removed ones left out)."""
        return repository.list_active(session, business_id)

    def list_with_removed(self, session: Session, business_id: int) -> Sequence[Staff]:
        """Every member the business ever had, oldest first."""
        return repository.list_all(session, business_id)

    def remove(
        self, session: Session, owner: Staff, staff_id: int, *, now: datetime
    ) -> Staff:
        """Remove a member of ``owner``'s business; end their sessions and reset links.

        Raises:
            StaffNotFound: no such member at this business (or already removed).
            CannotRemoveYourself: ``owner`` named themselves.
            LastOwner: the member is the business's only owner.
        """
        repository.lock_business(session, owner.business_id)
        member = repository.get_active(session, staff_id)
        if member is None or member.business_id != owner.business_id:
            raise StaffNotFound()
        if member.id == owner.id:
            raise CannotRemoveYourself()
        if member.role == "owner" and repository.count_active_owners(
            session, owner.business_id
        ) <= 1:
            raise LastOwner()
        member.removed_at = now
        session.flush()
        session_repository.revoke_for_staff(session, [member.id], now=now)
        reset_repository.spend_for_staff(session, member.id, now=now)
        return member

    def set_password(
        self, session: Session, member: Staff, password_hash: str, *, now: datetime
    ) -> None:
        """Give ``member`` a new password hash and end all their sessions."""
        member.password_hash = password_hash
        session.flush()
        session_repository.revoke_for_staff(session, [member.id], now=now)


staff_service = StaffService()

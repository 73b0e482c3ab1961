"""Rules for reading customers: balance, history, rewards within reach, business view.

A phone number the ledger has never seen is, for the customer's own routes, not an
error: it is a customer with no points yet (answering 404 would also tell a caller
which numbers are customers). A business looking a customer up at the till, and
other services asking for a balance, get 404 ``CustomerNotFound`` instead: they
need to know the number has no account (a business may then award the first
points, which creates it).

Who may read what is settled before any of this runs (the routes' dependencies):
a customer only their own number; a business only its own transactions with a
customer (never the customer's history at other businesses, though the balance is
the coalition-wide one); services only the balance.

No membership leaks (docs/security.md): a business sees a customer only once the
customer has a transaction at that business or has given it a redemption code
(:meth:`CustomerService.visible_to`). Before that a customer of other shops is, to
this business, exactly a number nobody knows: the same 404 ``CustomerNotFound``,
whatever the balance elsewhere, so a shop cannot find out who belongs to the
coalition, nor what they hold.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mubayiro.loyalty.customers.exceptions import CustomerNotFound
from mubayiro.loyalty.customers.repository import customer_repository
from mubayiro.loyalty.customers.schemas import (
    BusinessCustomerView,
    CustomerBalance,
    CustomerPoints,
)
from mubayiro.loyalty.lots.service import lot_service
from mubayiro.loyalty.models import Customer
from mubayiro.loyalty.redemption_codes.service import redemption_code_service
from mubayiro.loyalty.rewards.schemas import CustomerReward
from mubayiro.loyalty.rewards.service import reward_service
from mubayiro.loyalty.transactions.repository import transaction_repository
from mubayiro.loyalty.transactions.schemas import TransactionRow

#: How many transactions the balance view shows.
RECENT_TRANSACTIONS = 5


class CustomerService:
    """Customers (a module singleton: ``customer_service``)."""

    def points(self, session: Session, phone_number: str) -> CustomerPoints:
        """The balance and the last few transactions of the E.164 ``phone_number``.

        Both are read in the same (read) transaction, so they agree with each other.
        """
        customer = customer_repository.find_by_phone(session, phone_number)
        if customer is None:
            return CustomerPoints(phone_number=phone_number, total_points=0, recent_transactions=[])
        rows = transaction_repository.list_for_customer(session, customer.id, RECENT_TRANSACTIONS)
        return CustomerPoints(
            phone_number=phone_number,
            total_points=customer.total_points,
            next_expiry=lot_service.next_expiry(session, customer.id),
            recent_transactions=[TransactionRow.model_validate(row) for row in rows],
        )

    def history(
        self, session: Session, phone_number: str, *, limit: int, offset: int
    ) -> list[TransactionRow]:
        """A page of the customer's whole history at every business, newest first."""
        customer = customer_repository.find_by_phone(session, phone_number)
        if customer is None:
            return []
        rows = transaction_repository.list_for_customer(
            session, customer.id, limit, offset=offset
        )
        return [TransactionRow.model_validate(row) for row in rows]

    def rewards(
        self, session: Session, phone_number: str, *, limit: int, offset: int
    ) -> list[CustomerReward]:
        """Every active reward of every business, with whether the customer can redeem it."""
        customer = customer_repository.find_by_phone(session, phone_number)
        balance = customer.total_points if customer is not None else 0
        return reward_service.catalog_for_customer(session, balance, limit=limit, offset=offset)

    def business_view(
        self, session: Session, business_id: int, phone_number: str, *, limit: int, offset: int
    ) -> BusinessCustomerView:
        """The customer as ``business_id`` sees them: balance, and its own transactions.

        Raises:
            CustomerNotFound: the business may not see the customer (see module doc),
                whether or not the number has points elsewhere.
        """
        customer = self.visible_to(session, business_id, phone_number)
        rows = transaction_repository.list_for_customer(
            session, customer.id, limit, offset=offset, business_id=business_id
        )
        return BusinessCustomerView(
            phone_number=phone_number,
            total_points=customer.total_points,
            transactions=[TransactionRow.model_validate(row) for row in rows],
        )

    def balance(self, session: Session, phone_number: str) -> CustomerBalance:
        """The customer's balance.

        Raises:
            CustomerNotFound: the number has never earned points anywhere.
        """
        customer = self._existing(session, phone_number)
        return CustomerBalance(phone_number=phone_number, total_points=customer.total_points,
                               next_expiry=lot_service.next_expiry(session, customer.id))

    def visible_to(self, session: Session, business_id: int, phone_number: str) -> Customer:
        """The customer, when ``business_id`` may see them (see module doc).

        Raises:
            CustomerNotFound: no such customer, or one the business may not see yet.
        """
        customer = customer_repository.find_by_phone(session, phone_number)
        if customer is None or not self.is_visible(session, business_id, customer):
            raise CustomerNotFound()
        return customer

    def is_visible(self, session: Session, business_id: int, customer: Customer) -> bool:
        """Whether the customer has a transaction at the business or gave it a code."""
        return transaction_repository.has_any_between(
            session, customer_id=customer.id, business_id=business_id
        ) or redemption_code_service.was_given(session, business_id, customer.phone_number)

    def _existing(self, session: Session, phone_number: str) -> Customer:
        customer = customer_repository.find_by_phone(session, phone_number)
        if customer is None:
            raise CustomerNotFound()
        return customer


customer_service = CustomerService()

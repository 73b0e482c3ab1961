"""Rules for reading a customer's balance.

A phone number the ledger has never seen is not an error: it is a customer with no
points yet (answering 404 would also tell a caller which numbers are customers).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mubayiro.loyalty.customers.repository import customer_repository
from mubayiro.loyalty.customers.schemas import CustomerPoints
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
            recent_transactions=[TransactionRow.model_validate(row) for row in rows],
        )


customer_service = CustomerService()

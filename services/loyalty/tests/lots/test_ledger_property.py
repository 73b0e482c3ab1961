"""A hypothesis state machine over the ledger: random earns, redemptions, refunds,
imports and expiry runs while a clock moves forward, on SQLite and PostgreSQL.

Each example is one new customer at three businesses (points last 10 days, 30 days,
forever). The test keeps its own model of the customer's lots — the rules written out
again, independently of the code: credits open lots, spending takes the earliest expiry
first, a refund takes from its own earn's lot first, expiry empties what is left in a
due lot. After every step: the balance the API answers equals the model's, equals the
sum of the ledger rows, and is never negative; after every expiry run the points removed
are exactly those left in due lots — so expiry never removes points that were spent.
The clock is the ledger's ``utcnow``, replaced for the test, so expiry dates are exact.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from mubayiro.common.testing import postgres_url_fixture
from mubayiro.loyalty.imports import service as imports_module
from mubayiro.loyalty.lots.expiry import expiry_service
from mubayiro.loyalty.reversals import service as reversals_module
from mubayiro.loyalty.transactions import service as transactions_module

#: business id → days its points last (None: forever); every rate is 1.5.
EXPIRY = {1: 10, 2: 30, 3: None}
RATE = Decimal("1.5")
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
_phones = itertools.count()


@dataclass
class Lot:
    points: int
    expires_at: datetime | None
    transaction_id: int


@dataclass
class Earn:
    transaction_id: int
    business_id: int
    amount: Decimal
    points: int
    refunded: Decimal = Decimal(0)
    taken: int = 0


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def run_ledger_machine(loyalty, monkeypatch, *, examples: int) -> None:
    """Run the state machine against ``loyalty`` (see module doc)."""
    clock = [START]
    for module in (transactions_module, reversals_module, imports_module):
        monkeypatch.setattr(module, "utcnow", lambda: clock[0])
    for business_id, days in EXPIRY.items():
        loyalty.register_business(business_id, f"Shop {business_id}", loyalty_rate="1.5")
        loyalty.client.post(f"/businesses/{business_id}/loyalty_rules",
                            json={"loyalty_rate": "1.5", "points_expire_after_days": days},
                            headers=loyalty.business_headers(business_id))

    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.phone = f"+26377{next(_phones) + 3_000_000:07d}"
            self.lots: list[Lot] = []
            self.earns: list[Earn] = []
            # id → (business, points), while not given back
            self.redemptions: dict[int, tuple[int, int]] = {}
            self.imported: set[int] = set()
            self.visible: set[int] = set()  # businesses the customer has a row at
            clock[0] += timedelta(days=400)  # a fresh stretch of time for each example

        @property
        def balance(self) -> int:
            return sum(lot.points for lot in self.lots)

        def _credit(self, business_id: int, points: int, transaction_id: int) -> None:
            days = EXPIRY[business_id]
            self.lots.append(Lot(points, clock[0] + timedelta(days=days) if days else None,
                                 transaction_id))

        def _spend(self, points: int, first: int | None = None) -> None:
            order = sorted(self.lots, key=lambda lot: (
                lot.transaction_id != first, lot.expires_at is None,
                lot.expires_at or START, lot.transaction_id))
            for lot in order:
                take = min(points, lot.points)
                lot.points -= take
                points -= take
            self.lots = [lot for lot in self.lots if lot.points > 0]
            assert points == 0

        @rule(business_id=st.sampled_from(list(EXPIRY)), cents=st.integers(1, 20_000))
        def earn(self, business_id: int, cents: int) -> None:
            amount = Decimal(cents) / 100
            resp = loyalty.add_points(business_id, self.phone, str(amount))
            assert resp.status_code == 201, resp.text
            points = _floor(amount * RATE)
            assert resp.json()["points_earned"] == points
            tid = resp.json()["transaction_id"]
            self.earns.append(Earn(tid, business_id, amount, points))
            self.visible.add(business_id)
            self._credit(business_id, points, tid)

        @rule(data=st.data(), points=st.integers(1, 150))
        def redeem(self, data: st.DataObject, points: int) -> None:
            if not self.visible:  # a shop sees only its own customers
                return
            business_id = data.draw(st.sampled_from(sorted(self.visible)))
            resp = loyalty.client.post("/transactions/redeem_points", json={
                "business_id": business_id, "customer_phone_number": self.phone,
                "points_to_redeem": points, "reward_description": "Coffee"},
                headers=loyalty.business_headers(business_id))
            if points > self.balance:
                assert resp.json()["error"] == "InsufficientPoints", resp.text
                return
            assert resp.status_code == 201, resp.text
            self.redemptions[resp.json()["transaction_id"]] = (business_id, points)
            self._spend(points)

        @rule(data=st.data())
        def refund_earn(self, data: st.DataObject) -> None:
            if not self.earns:
                return
            earn = data.draw(st.sampled_from(self.earns))
            left = earn.amount - earn.refunded
            part = data.draw(st.one_of(st.none(), st.integers(1, 20_000)))
            amount = left if part is None else Decimal(part) / 100
            resp = loyalty.reverse(earn.business_id, earn.transaction_id,
                                   **({} if part is None else {"amount": str(amount)}))
            if left <= 0:
                assert resp.json()["error"] == "AlreadyReversed"
                return
            if amount > left:
                assert resp.json()["error"] == "ReversalTooLarge"
                return
            assert resp.status_code == 201, resp.text
            due = min(_floor((earn.refunded + amount) * RATE), earn.points) - earn.taken
            taken = min(due, self.balance)
            assert (resp.json()["points"], resp.json()["shortfall"]) == (-taken, due - taken)
            earn.refunded += amount
            earn.taken += due
            self._spend(taken, first=earn.transaction_id)

        @rule(data=st.data())
        def give_back_redemption(self, data: st.DataObject) -> None:
            if not self.redemptions:
                return
            tid = data.draw(st.sampled_from(sorted(self.redemptions)))
            business_id, points = self.redemptions.pop(tid)
            resp = loyalty.reverse(business_id, tid)
            assert resp.status_code == 201, resp.text
            self._credit(business_id, points, resp.json()["transaction_id"])

        @rule(business_id=st.sampled_from(list(EXPIRY)), points=st.integers(0, 300))
        def import_balance(self, business_id: int, points: int) -> None:
            resp = loyalty.client.post(
                f"/businesses/{business_id}/import/balances?dry_run=false",
                content=f"phone_number,points\n{self.phone},{points}\n",
                headers={"Content-Type": "text/csv", **loyalty.business_headers(business_id)})
            assert resp.status_code == 200, resp.text
            if business_id in self.imported:
                assert resp.json()["already_imported"] == 1
                return
            self.imported.add(business_id)
            self.visible.add(business_id)
            assert resp.json()["imported"] == 1
            tid = max(r.id for r in loyalty.rows("point_transaction"))
            if points:
                self._credit(business_id, points, tid)

        @rule(hours=st.integers(0, 24 * 35))
        def time_passes_and_expiry_runs(self, hours: int) -> None:
            clock[0] += timedelta(hours=hours)
            before = loyalty.balances_match_ledger().get(self.phone, 0)
            expiry_service.run(loyalty.app.state.database, loyalty.app.state.publisher,
                               now=clock[0])
            due = [lot for lot in self.lots
                   if lot.expires_at is not None and lot.expires_at <= clock[0]]
            self.lots = [lot for lot in self.lots if lot not in due]
            after = loyalty.balances_match_ledger().get(self.phone, 0)
            # Exactly what was left in due lots went: never a spent point.
            assert before - after == sum(lot.points for lot in due)

        @invariant()
        def balance_equals_model_and_ledger(self) -> None:
            balances = loyalty.balances_match_ledger()  # == ledger sum, >= 0
            assert balances.get(self.phone, 0) == self.balance >= 0

    run_state_machine_as_test(Ledger, settings=settings(
        max_examples=examples, stateful_step_count=20, deadline=None,
        suppress_health_check=list(HealthCheck)))


def test_ledger_invariants_hold_over_random_histories_on_sqlite(start_loyalty, monkeypatch):
    loyalty = start_loyalty(require_customer_code=False, expiry_interval_seconds=0)
    run_ledger_machine(loyalty, monkeypatch, examples=25)


pg_url = postgres_url_fixture("loyalty_property")


@pytest.mark.postgres
def test_ledger_invariants_hold_over_random_histories_on_postgres(pg_url, start_loyalty,
                                                                   monkeypatch):
    loyalty = start_loyalty(database_url=pg_url, require_customer_code=False,
                            expiry_interval_seconds=0)
    run_ledger_machine(loyalty, monkeypatch, examples=15)

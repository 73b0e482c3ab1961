"""Reports agree with the ledger: random traffic, every figure checked independently.

A few hundred random earns, redemptions, referral bonuses, refunds (taking points back,
with a shortfall, or giving a redemption's back), expiries and imported balances across
three businesses are made up as loyalty's ledger rows. Their events are delivered in
random order, some twice under the same event id (a redelivery) and some again under a
new event id (a re-emission). Every figure of every route, for several date ranges, must equal what
this test computes straight from the list of rows. Then the backfill replays the same
ledger and must change nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from mubayiro.reports.ingest.backfill import backfill_from_settings

BUSINESSES = (1, 2, 3)
PHONES = [f"+2637710000{i:02d}" for i in range(14)]
FIRST_DAY = date(2026, 10, 20)
DAYS = 40


@dataclass(frozen=True)
class Row:
    """One ledger transaction as the test sees it."""

    id: int
    business_id: int
    phone: str
    type: str
    points: int  # signed, as in the ledger
    day: date
    shortfall: int = 0


_KINDS = ["earn", "redeem", "referral_bonus", "take_back", "give_back", "expire", "import"]


def _make_ledger(rng: random.Random, fake_loyalty: Any, count: int) -> list[Row]:
    rows = []
    for transaction_id in range(1, count + 1):
        kind = rng.choices(_KINDS, weights=[55, 15, 8, 8, 4, 6, 4])[0]
        points = {"earn": rng.randint(0, 300), "redeem": -rng.randint(1, 200),
                  "referral_bonus": rng.randint(1, 100), "take_back": -rng.randint(0, 80),
                  "give_back": rng.randint(1, 80), "expire": -rng.randint(1, 90),
                  "import": rng.randint(0, 400)}[kind]
        shortfall = rng.choice([0, 0, rng.randint(1, 30)]) if kind == "take_back" else 0
        kind = "reversal" if kind in ("take_back", "give_back") else kind
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        moment = datetime.combine(day, time(rng.randrange(24), rng.randrange(60),
                                            rng.randrange(60)), tzinfo=UTC)
        row = Row(transaction_id, rng.choice(BUSINESSES), rng.choice(PHONES), kind, points, day,
                  shortfall)
        fake_loyalty.add(row.id, row.type, business_id=row.business_id, phone=row.phone,
                         points=row.points, at=moment.isoformat(), shortfall=row.shortfall)
        rows.append(row)
    return rows


def _figures(rows: list[Row]) -> dict[str, int]:
    """The day's (or range's) figures of ``rows``, each kind on its own."""
    def points(kind: str, sign: int = 1) -> int:
        return sum(sign * r.points for r in rows if r.type == kind
                   and (kind != "reversal" or (r.points > 0) == (sign > 0)))

    return {
        "points_issued": points("earn") + points("referral_bonus"),
        "points_redeemed": points("redeem", -1),
        "points_reversed": points("reversal", -1),
        "points_given_back": points("reversal"),
        "points_expired": points("expire", -1),
        "points_imported": points("import"),
    }


def _expected(rows: list[Row], business: int, start: date | None, end: date | None,
              limit: int) -> dict[str, Any]:
    """Every figure, computed from the raw rows only."""
    mine = [r for r in rows if r.business_id == business
            and (start is None or r.day >= start) and (end is None or r.day <= end)]
    earned = sum(r.points for r in mine if r.type == "earn")
    bonus = sum(r.points for r in mine if r.type == "referral_bonus")
    redeemed = [r for r in mine if r.type == "redeem"]
    reversals = [r for r in mine if r.type == "reversal"]
    per_phone: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in mine:
        if r.type == "expire":
            continue  # not something the customer did
        taken_back = r.type == "reversal" and r.points <= 0
        per_phone[r.phone][0] += r.points if r.type in ("earn", "referral_bonus") \
            or taken_back else 0
        per_phone[r.phone][1] += 1
    ranked = sorted(per_phone.items(), key=lambda item: (-item[1][0], item[0]))
    top = [{"phone_number": phone, "points_earned": e, "transaction_count": n}
           for phone, (e, n) in ranked[:limit]]
    daily = []
    first = start or min((r.day for r in mine), default=None)
    last = end or max((r.day for r in mine), default=None)
    if first is not None and last is not None:
        day = first
        while day <= last:
            daily.append({"date": day.isoformat(),
                          **_figures([r for r in mine if r.day == day])})
            day += timedelta(days=1)
    totals = _figures(mine)
    return {
        "total_points_issued": earned + bonus, "earned_points": earned,
        "referral_bonus_points": bonus,
        "total_redemptions": {"count": len(redeemed), "points": -sum(r.points for r in redeemed)},
        "total_reversals": {
            "count": len(reversals), "points_reversed": totals["points_reversed"],
            "shortfall": sum(r.shortfall for r in reversals),
            "points_given_back": totals["points_given_back"],
        },
        "total_points_expired": totals["points_expired"],
        "total_points_imported": totals["points_imported"],
        # The ledger's own sum: what the business's rows did to balances.
        "net_points": sum(r.points for r in mine),
        "customer_count": len(per_phone), "top_customers": top, "daily": daily,
    }


def _ranges(rng: random.Random) -> list[tuple[date | None, date | None]]:
    def day(offset: int) -> date:
        return FIRST_DAY + timedelta(days=offset)

    ranges: list[tuple[date | None, date | None]] = [
        (None, None), (date(2026, 1, 1), date(2026, 12, 31)), (day(5), day(5)),
        (day(rng.randrange(DAYS)), None), (None, day(rng.randrange(DAYS))),
        (day(-3), day(2)), (day(DAYS - 2), day(DAYS + 4)),
    ]
    for _ in range(3):
        a, b = sorted(rng.sample(range(-2, DAYS + 2), 2))
        ranges.append((day(a), day(b)))
    return ranges


def _query(start: date | None, end: date | None, **extra: Any) -> str:
    params = {"from": start, "to": end, **extra}
    text = "&".join(f"{k}={v}" for k, v in params.items() if v is not None)
    return f"?{text}" if text else ""


@dataclass
class _Getter:
    """GETs one business's reports for one range, checking the echoed range."""

    client: Any
    headers: dict[str, str]
    business: int
    start: date | None
    end: date | None

    def __call__(self, route: str, **extra: Any) -> dict[str, Any]:
        response = self.client.get(
            f"/reports/{route}{_query(self.start, self.end, **extra)}", headers=self.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["business_id"], body["from"], body["to"]) == (
            self.business, self.start and self.start.isoformat(),
            self.end and self.end.isoformat())
        return body


@pytest.mark.parametrize("seed", [1, 2])
def test_every_figure_equals_the_ledger_computed_independently(
    client, events, fake_loyalty, business_headers, make_settings, snapshot, seed, walk
):
    rng = random.Random(seed)
    rows = _make_ledger(rng, fake_loyalty, 300)
    deliveries = []
    for ledger_row in fake_loyalty.ledger:
        envelope = events.from_ledger_row(ledger_row)
        deliveries.append(envelope)
        if rng.random() < 0.25:
            deliveries.append(envelope)  # redelivered: same event id
        if rng.random() < 0.15:
            deliveries.append(events.from_ledger_row(ledger_row))  # re-emitted: new id
    rng.shuffle(deliveries)

    statuses = [events.post(client, envelope).status_code for envelope in deliveries]

    assert set(statuses) == {200}
    for business in BUSINESSES:
        headers = business_headers(business)
        for start, end in _ranges(rng):
            get = _Getter(client, headers, business, start, end)
            want = _expected(rows, business, start, end, limit=50)
            where = f"business {business}, {start}..{end}"
            issued = get("total_points_issued")
            assert (issued["total_points_issued"], issued["earned_points"],
                    issued["referral_bonus_points"]) == (
                want["total_points_issued"], want["earned_points"],
                want["referral_bonus_points"]), where
            redemptions = get("total_redemptions")
            assert {"count": redemptions["count"], "points": redemptions["points"]} == \
                want["total_redemptions"], where
            assert get("customer_count")["customer_count"] == want["customer_count"], where
            assert get("top_customers", limit=50)["top_customers"] == want["top_customers"], \
                where
            assert get("top_customers", limit=3)["top_customers"] == \
                want["top_customers"][:3], where
            summary = get("summary", limit=4)
            assert summary == {
                "business_id": business, "from": start and start.isoformat(),
                "to": end and end.isoformat(),
                **{name: want[name] for name in (
                    "total_points_issued", "total_redemptions", "total_reversals",
                    "total_points_expired", "total_points_imported", "net_points",
                    "customer_count", "daily")},
                "top_customers": want["top_customers"][:4],
            }, where

    # The backfill replays the same ledger: everything is already counted.
    before = snapshot(client.app)
    report = backfill_from_settings(make_settings(), transport=fake_loyalty.transport(),
                                    page_size=97, out=lambda _line: None)
    assert (report.read, report.applied, report.already_counted) == (300, 0, 300)
    assert snapshot(client.app) == before

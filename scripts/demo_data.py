"""Load a small, realistic demo data set into the running platform (``make demo``).

Four businesses in Harare, thirty customers and a month of their purchases, so the
reports, histories and recommendations have something to show:

1. the businesses register and log in through the gateway, as a shop would;
2. the past month comes in as the shops' *earlier history*: a service token for the
   development-only ``devtools`` client (``POST /auth/token`` through the gateway), then
   loyalty's ``POST /internal/transactions/import`` called directly (the gateway never
   routes ``/internal/*``), oldest first, each purchase dated in store hours (Harare
   time, sent in UTC). History sends no SMS;
3. today happens live through the gateway: a few purchases (``/transactions/add_points``,
   so SMS appear in the outbox), two rewards per business, a few redemptions and a
   referral tracked and completed.

Safe to run again: every write carries an ``Idempotency-Key`` and every body is derived
from a fixed seed and today's date, so a re-run replays instead of writing twice. History
already loaded (a replay, an ``Idempotency-Key`` used on an earlier day, or loyalty's 409
``HistoryAfterLiveTransactions``) is reported as such.

Usage: ``make demo`` (the platform must be running: ``make up`` in another terminal).
"""

from __future__ import annotations

import argparse
import random
import re
import ssl
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from mubayiro.common.settings import DEV_PORTS, dev_client_secret

try:
    HARARE = ZoneInfo("Africa/Harare")
except ZoneInfoNotFoundError:  # no tz database (Windows without tzdata): CAT, no DST
    HARARE = timezone(timedelta(hours=2), "CAT")


@dataclass(frozen=True)
class Shop:
    """A demo business: who runs it, its rate, what a purchase costs, when it is open."""

    name: str
    contact: str
    email: str
    rate: str
    spend: tuple[int, int]  # typical purchase, USD
    hours: tuple[float, float]  # opening and closing hour, Harare time
    rewards: tuple[tuple[str, int], ...]  # (name, points cost)


SHOPS = [
    Shop("Mbare Coffee", "Tendai Moyo", "demo@mbarecoffee.co.zw", "1", (2, 8), (7, 17),
         (("Free cappuccino", 40), ("Coffee and a muffin", 90))),
    Shop("Avondale Bakery", "Rudo Chikwanha", "demo@avondalebakery.co.zw", "2", (1, 6),
         (6.5, 18), (("Free loaf of bread", 30), ("Slice of birthday cake", 80))),
    Shop("Borrowdale Butchery", "Farai Ncube", "demo@borrowdalebutchery.co.zw", "0.5",
         (10, 60), (8, 18), (("500 g boerewors", 60), ("1 kg T-bone steak", 150))),
    Shop("Sam Levy Salon", "Nyasha Dube", "demo@samlevysalon.co.zw", "1.5", (5, 30), (9, 18),
         (("Free blow-dry", 75), ("Half-price braids", 200))),
]
PASSWORD = "Harare2026!"
DEVTOOLS_CLIENT = "devtools"
REFERRAL_BONUS = 50
#: Relative number of purchases on each weekday (Monday first): busy Saturdays, quiet Sundays.
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.1, 1.3, 1.5, 0.5)


class DemoError(Exception):
    """A step failed in a way a re-run will not fix by itself."""


@dataclass(frozen=True)
class Purchase:
    """One purchase of the plan (``when`` None: today, through the public API)."""

    shop: int
    phone: str
    amount: Decimal
    when: datetime | None = None


def _fail(resp: httpx.Response, what: str) -> DemoError:
    return DemoError(f"{what}: {resp.status_code} {resp.text[:300]}")


def _error(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("error", ""))
    except ValueError:
        return ""


def _points(amount: Decimal, rate: str) -> int:
    return int((amount * Decimal(rate)).to_integral_value(rounding=ROUND_FLOOR))


def plan(rng: random.Random, today: date, purchases: int, days: int):
    """Everything the demo writes, derived from the seed and today's date only.

    Returns (customers, history oldest first, today's purchases, favourite shops).
    The same day and seed give the same bodies, so a re-run replays every request.
    """
    customers = [f"07{rng.choice('1378')}{rng.randint(1_000_000, 9_999_999)}" for _ in range(30)]
    # Each customer has one or two favourite shops; most purchases go there.
    favourites = {c: rng.sample(range(len(SHOPS)), k=rng.choice((1, 2))) for c in customers}
    day_choices = [today - timedelta(days=d) for d in range(1, days + 1)]
    day_weights = [WEEKDAY_WEIGHTS[d.weekday()] for d in day_choices]

    def purchase(day: date | None) -> Purchase:
        phone = rng.choice(customers)
        shop = (rng.choice(favourites[phone]) if rng.random() < 0.8
                else rng.randrange(len(SHOPS)))
        low, high = SHOPS[shop].spend
        amount = Decimal(f"{rng.uniform(low, high):.2f}")
        if day is None:
            return Purchase(shop, phone, amount)
        opens, closes = SHOPS[shop].hours
        minute = rng.randrange(int(opens * 60), int(closes * 60))
        local = datetime(day.year, day.month, day.day, minute // 60, minute % 60,
                         rng.randrange(60), tzinfo=HARARE)
        return Purchase(shop, phone, amount, local.astimezone(UTC))

    history = [purchase(rng.choices(day_choices, day_weights)[0]) for _ in range(purchases)]
    history.sort(key=lambda p: (p.when, p.shop, p.phone))
    live = [purchase(None) for _ in range(2 * len(SHOPS))]
    return customers, history, live, favourites


def register_shops(gw: httpx.Client) -> list[tuple[int, dict[str, str]]]:
    """Register (or find) each demo business and log in: [(business id, auth headers)]."""
    sessions = []
    for shop in SHOPS:
        r = gw.post("/auth/register_business", json={
            "name": shop.name, "contact_person": shop.contact, "email": shop.email,
            "password": PASSWORD, "loyalty_rate": shop.rate})
        if r.status_code not in (201, 409):
            raise _fail(r, f"register {shop.name}")
        login = gw.post("/auth/login_business", json={"email": shop.email, "password": PASSWORD})
        if login.status_code != 200:
            raise DemoError(f"{shop.email} exists with another password: cannot load the "
                            "demo (start from an empty data/ folder)")
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        me = gw.get("/auth/me", headers=headers)
        if me.status_code != 200:
            raise _fail(me, f"who is {shop.email}")
        business_id = me.json()["id"]
        # Also makes loyalty copy the business now, before history is imported for it.
        r = gw.post(f"/businesses/{business_id}/loyalty_rules", headers=headers,
                    json={"loyalty_rate": shop.rate})
        if r.status_code != 200:
            raise _fail(r, f"loyalty rate of {shop.name}")
        sessions.append((business_id, headers))
        print(f"  {shop.name:22} id {business_id:>3}  login {shop.email} / {PASSWORD}")
    return sessions


def service_token(gw: httpx.Client) -> str:
    """A service token for the development-only ``devtools`` client (auth is public)."""
    r = gw.post("/auth/token", data={
        "grant_type": "client_credentials", "client_id": DEVTOOLS_CLIENT,
        "client_secret": dev_client_secret(DEVTOOLS_CLIENT)})
    if r.status_code != 200:
        raise _fail(r, "service token for devtools (is auth running in development?)")
    return r.json()["access_token"]


def import_history(loyalty: httpx.Client, token: str, history: list[Purchase],
                   sessions: list[tuple[int, dict[str, str]]]) -> Counter[str]:
    """Bring the past month in, oldest first; count what was new and what was there."""
    outcome: Counter[str] = Counter()
    headers = {"Authorization": f"Bearer {token}"}
    for n, p in enumerate(history):
        assert p.when is not None
        r = loyalty.post("/internal/transactions/import", headers={
            **headers, "Idempotency-Key": f"demo-import-{n}"}, json={
            "business_id": sessions[p.shop][0], "customer_phone_number": p.phone,
            "amount_spent": str(p.amount), "occurred_at": p.when.isoformat()})
        if r.status_code == 201:
            outcome["replayed" if r.headers.get("Idempotent-Replayed") else "new"] += 1
        elif r.status_code == 409 and _error(r) == "HistoryAfterLiveTransactions":
            outcome["later transactions exist"] += 1
        elif r.status_code == 422 and _error(r) == "IdempotencyKeyReused":
            outcome["loaded on an earlier day"] += 1
        else:
            raise _fail(r, f"import purchase {n}")
    return outcome


def _post(gw: httpx.Client, path: str, headers: dict[str, str], key: str, body: dict,
          *, what: str, already: tuple[str, ...] = ()) -> tuple[dict | None, bool]:
    """POST with an Idempotency-Key; return (answer, whether it was done before).

    Done before: a replay, an error named in ``already``, or the key used with another
    body (a run on an earlier day, when the data set was planned differently).
    """
    r = gw.post(path, headers={**headers, "Idempotency-Key": key}, json=body)
    if r.status_code in (200, 201):
        return r.json(), bool(r.headers.get("Idempotent-Replayed"))
    if _error(r) in (*already, "IdempotencyKeyReused"):
        return None, True
    raise _fail(r, what)


def _customer_code(gw: httpx.Client, headers: dict[str, str], business_id: int,
                   phone: str) -> str:
    """The customer's consent to spend: ask for a redemption code as the shop and read it
    from the development outbox, as the customer would read the SMS out at the till.

    Raises:
        DemoError: the request is refused, or the SMS does not arrive in 15 seconds.
    """
    pattern = re.compile(r"Give the cashier this code: (\d{6})")

    def codes() -> list[str]:
        messages = gw.get("/notifications/outbox", params={"to": phone, "limit": 200}).json()
        return [m.group(1) for m in (pattern.search(x["body"]) for x in messages) if m]

    before = len(codes())
    r = gw.post("/transactions/redemption_codes", headers=headers,
                json={"business_id": business_id, "customer_phone_number": phone})
    if r.status_code != 202:
        raise _fail(r, "ask for a redemption code")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = codes()
        if len(found) > before:
            return found[0]
        time.sleep(0.2)
    raise DemoError(f"the redemption code SMS to {phone} did not arrive")


def main() -> int:
    """Register the demo businesses, import their past month and play out today."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="https://localhost:8443")
    parser.add_argument("--ca", default="data/gateway/ca.pem")
    parser.add_argument("--loyalty", default=f"http://127.0.0.1:{DEV_PORTS['loyalty']}",
                        help="loyalty's own address (/internal/* is not behind the gateway)")
    parser.add_argument("--purchases", type=int, default=300, help="purchases in the history")
    parser.add_argument("--days", type=int, default=30, help="days of history")
    args = parser.parse_args()
    if not Path(args.ca).exists():
        print(f"No CA at {args.ca}: is the platform running (make up)?", file=sys.stderr)
        return 1
    if not 1 <= args.days <= 365:
        parser.error("--days must be between 1 and 365")
    started = time.monotonic()
    today = datetime.now(HARARE).date()
    customers, history, live, favourites = plan(
        random.Random(2026), today, args.purchases, args.days)
    tls = ssl.create_default_context(cafile=args.ca)
    try:
        with (httpx.Client(base_url=args.gateway, verify=tls, timeout=30) as gw,
              httpx.Client(base_url=args.loyalty, timeout=30) as loyalty):
            sessions = register_shops(gw)
            print(f"History: {len(history)} purchases over {args.days} days "
                  f"(to {args.loyalty}) …")
            outcome = import_history(loyalty, service_token(gw), history, sessions)
            if outcome["new"] == len(history):
                print("  all new")
            else:
                print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(outcome.items()))
                      + ("  (already loaded)" if not outcome["new"] else ""))
            play_today(gw, sessions, history, live, favourites)
    except httpx.ConnectError as exc:
        print(f"Cannot reach the platform ({exc}): is it running (make up)?", file=sys.stderr)
        return 1
    except DemoError as exc:
        print(f"Demo data not loaded: {exc}", file=sys.stderr)
        return 1
    print(f"Loaded {len(SHOPS)} businesses, {len(customers)} customers, {len(history)} "
          f"past purchases and today's activity in {time.monotonic() - started:.0f} s. "
          f"Try: customer {customers[0]}.")
    return 0


def play_today(gw: httpx.Client, sessions: list[tuple[int, dict[str, str]]],
               history: list[Purchase], live: list[Purchase],
               favourites: dict[str, list[int]]) -> None:
    """Today, live through the gateway: purchases, rewards, redemptions and a referral."""
    balance: dict[str, int] = defaultdict(int)
    visits: dict[int, Counter[str]] = defaultdict(Counter)
    for p in history:
        balance[p.phone] += _points(p.amount, SHOPS[p.shop].rate)
        visits[p.shop][p.phone] += 1

    done_before = 0
    for n, p in enumerate(live):
        business_id, headers = sessions[p.shop]
        _, before = _post(gw, "/transactions/add_points", headers, f"demo-live-{n}", {
            "business_id": business_id, "customer_phone_number": p.phone,
            "amount_spent": str(p.amount)}, what=f"today's purchase {n}")
        balance[p.phone] += _points(p.amount, SHOPS[p.shop].rate)
        done_before += int(before)

    rewards: list[list[tuple[int, str, int]]] = []
    for i, (shop, (business_id, headers)) in enumerate(zip(SHOPS, sessions, strict=True)):
        catalog = []
        for j, (name, cost) in enumerate(shop.rewards):
            reward, _ = _post(gw, f"/businesses/{business_id}/rewards", headers,
                              f"demo-reward-{i}-{j}", {"name": name, "points_cost": cost},
                              what=f"reward {name}")
            if reward is None:
                raise DemoError(f"reward {name}: its Idempotency-Key was used for another "
                                "body (start from an empty data/ folder)")
            catalog.append((reward["id"], name, cost))
        rewards.append(catalog)

    redeemed = []
    for i, (business_id, headers) in enumerate(sessions):
        # The shop's most regular customer who can afford its cheapest reward.
        reward_id, name, cost = min(rewards[i], key=lambda r: r[2])
        regular = next((c for c, _ in visits[i].most_common() if balance[c] >= cost), None)
        if regular is None:
            continue
        # InsufficientPoints only when the history was not this run's (loaded earlier).
        code = _customer_code(gw, headers, business_id, regular)
        _post(gw, "/transactions/redeem_points", headers, f"demo-redeem-{i}", {
            "business_id": business_id, "customer_phone_number": regular,
            "points_to_redeem": cost, "reward_description": name, "reward_id": reward_id,
            "customer_code": code},
            what=f"redeem {name}", already=("InsufficientPoints",))
        balance[regular] -= cost
        redeemed.append(regular)

    # A friend brought by a regular of the first shop: tracked, first purchase, completed.
    business_id, headers = sessions[0]
    referrer = visits[0].most_common(1)[0][0]
    friend = next(f"077{n:07d}" for n in range(2_000_000, 3_000_000)
                  if f"077{n:07d}" not in favourites)
    _post(gw, "/referrals/track", headers, "demo-referral-track", {
        "business_id": business_id, "new_customer_phone_number": friend,
        "referrer_phone_number": referrer}, what="track a referral",
        already=("AlreadyReferred",))
    _post(gw, "/transactions/add_points", headers, "demo-referral-purchase", {
        "business_id": business_id, "customer_phone_number": friend,
        "amount_spent": "4.50"}, what="the friend's first purchase")
    _post(gw, "/referrals/complete", headers, "demo-referral-complete", {
        "new_customer_phone_number": friend, "points_to_award_referrer": REFERRAL_BONUS},
        what="complete the referral", already=("ReferralAlreadyCompleted",))
    print(f"Today: {len(live)} purchases ({done_before} made before), "
          f"{sum(map(len, rewards))} rewards, {len(redeemed)} redemptions, "
          f"referral {referrer} → {friend} ({REFERRAL_BONUS} points).")


if __name__ == "__main__":
    sys.exit(main())

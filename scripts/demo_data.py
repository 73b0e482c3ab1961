"""Load a small, realistic demo data set into the running platform (``make demo``).

Four businesses in Harare, thirty customers and a few hundred purchases, all made
through the public API of the gateway exactly as a shop would make them. Safe to run
twice: businesses that already exist are logged in to, and every purchase carries an
``Idempotency-Key`` so it is recorded once.

Usage: ``make demo`` (the platform must be running: ``make up`` in another terminal).
"""

from __future__ import annotations

import argparse
import random
import ssl
import sys
from pathlib import Path

import httpx

BUSINESSES = [
    # name, contact, email, rate, typical spend (USD)
    ("Mbare Coffee", "Tendai Moyo", "demo@mbarecoffee.co.zw", "1", (2, 8)),
    ("Avondale Bakery", "Rudo Chikwanha", "demo@avondalebakery.co.zw", "2", (1, 6)),
    ("Borrowdale Butchery", "Farai Ncube", "demo@borrowdalebutchery.co.zw", "0.5", (10, 60)),
    ("Sam Levy Salon", "Nyasha Dube", "demo@samlevysalon.co.zw", "1.5", (5, 30)),
]
PASSWORD = "Harare2026!"


def main() -> int:
    """Register the demo businesses and record their customers' purchases."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="https://localhost:8443")
    parser.add_argument("--ca", default="data/gateway/ca.pem")
    parser.add_argument("--purchases", type=int, default=240)
    args = parser.parse_args()
    if not Path(args.ca).exists():
        print(f"No CA at {args.ca}: is the platform running (make up)?", file=sys.stderr)
        return 1
    rng = random.Random(2026)
    customers = [f"07{rng.choice('1378')}{rng.randint(1_000_000, 9_999_999)}" for _ in range(30)]
    tls = ssl.create_default_context(cafile=args.ca)
    with httpx.Client(base_url=args.gateway, verify=tls, timeout=30) as gw:
        sessions = []
        for name, contact, email, rate, spend in BUSINESSES:
            r = gw.post("/auth/register_business", json={
                "name": name, "contact_person": contact, "email": email,
                "password": PASSWORD, "loyalty_rate": rate})
            if r.status_code not in (201, 409):
                print(f"register {name}: {r.status_code} {r.text}", file=sys.stderr)
                return 1
            login = gw.post("/auth/login_business", json={"email": email, "password": PASSWORD})
            if login.status_code != 200:
                print(f"{email} exists with another password: cannot load the demo "
                      f"(start from an empty data/ folder)", file=sys.stderr)
                return 1
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            me = gw.get("/auth/me", headers=headers).json()
            gw.post(f"/businesses/{me['id']}/loyalty_rules", json={"loyalty_rate": rate},
                    headers=headers).raise_for_status()
            sessions.append((me["id"], headers, spend))
            print(f"  {name:22} id {me['id']:>3}  login {email} / {PASSWORD}")
        # Each customer has one or two favourite shops; most purchases go there.
        favourites = {c: rng.sample(range(len(sessions)), k=rng.choice((1, 2))) for c in customers}
        for n in range(args.purchases):
            phone = rng.choice(customers)
            idx = rng.choice(favourites[phone]) if rng.random() < 0.8 else rng.randrange(
                len(sessions))
            business_id, headers, (low, high) = sessions[idx]
            amount = f"{rng.uniform(low, high):.2f}"
            r = gw.post("/transactions/add_points", headers={
                **headers, "Idempotency-Key": f"demo-{n}"}, json={
                "business_id": business_id, "customer_phone_number": phone,
                "amount_spent": amount})
            r.raise_for_status()
    print(f"Loaded {len(BUSINESSES)} businesses, {len(customers)} customers, "
          f"{args.purchases} purchases. Try: customer {customers[0]}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

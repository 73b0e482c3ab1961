"""Helpers of the customer portal's browser tests.

The data is made through the platform's public API (``gw``, the gateway's HTTPS client),
exactly as a business and the SMS outbox would make it; the portal is driven through its
``data-testid`` attributes by :class:`Portal`, a thin page object over a Playwright page.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Dialog, Locator, Page, Request, expect

from mubayiro.common.testing import wait_until

from .axe import assert_accessible

#: The two widths every screenshot is taken at: a cheap Android phone and a laptop.
SCREEN_SIZES = ({"width": 375, "height": 800}, {"width": 1280, "height": 900})
#: What never belongs on a customer's screen: bits of raw JSON, Python or JS internals.
RAW_MARKERS = ('{"', '"detail"', '"error"', "Traceback", "[object Object]", "undefined", "NaN")
TOKEN_KEY = "mubayiro.customer.token"
OTP_CODE = re.compile(r"Your Mubayiro code is (\d{6})")
PORTAL = Path(__file__).resolve().parents[2] / "customer-portal"
#: axe-core, a devDependency of the portal (``npm ci`` in customer-portal installs it).
AXE_JS = PORTAL / "node_modules" / "axe-core" / "axe.min.js"
#: Every date the portal and the admin app show: ``2 Dec 2026, 16:58`` in Harare time.
HARARE = ZoneInfo("Africa/Harare")


# --- The platform's API -------------------------------------------------------------

def new_phone() -> str:
    """A random valid Zimbabwean mobile number in local form (nobody has used it yet)."""
    return f"077{random.randint(1_000_000, 9_999_999)}"

#: The built portal the web app serves (``npm run build``).
PORTAL_DIST = Path(__file__).resolve().parents[2] / "customer-portal" / "dist"


def e164(local: str) -> str:
    """0771234567 → +263771234567."""
    return "+263" + local[1:]


def shown_phone(local: str) -> str:
    """How the portal writes a number: +263 77 123 4567."""
    n = e164(local)
    return f"{n[:4]} {n[4:6]} {n[6:9]} {n[9:]}"


def portal_config() -> dict:
    """The settings the built portal reads (``customer-portal/dist/config.json``)."""
    return json.loads((PORTAL / "dist" / "config.json").read_text())


def shown_date(iso: str) -> str:
    """How both web apps write a timestamp: ``2 Dec 2026, 16:58``, Harare time."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:  # the platform's rule: a timestamp without a zone is UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(HARARE)
    return f"{local.day} {local:%b %Y, %H:%M}"


def outbox(gw: httpx.Client, phone: str | None = None, limit: int = 50) -> list[dict]:
    """The development SMS outbox (newest first), optionally only to ``phone``."""
    params: dict[str, str | int] = {"limit": limit}
    if phone:
        params["to"] = phone
    r = gw.get("/notifications/outbox", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def otp_code(gw: httpx.Client, phone: str) -> str:
    """The newest sign-in code texted to ``phone`` (waits for the SMS to arrive)."""

    def newest() -> str | None:
        for message in outbox(gw, phone):
            found = OTP_CODE.search(message["body"])
            if found:
                return found.group(1)
        return None

    return wait_until(newest, timeout=15, message=f"the sign-in SMS to {phone}")


@dataclass
class Business:
    id: int
    name: str
    headers: dict[str, str]


def register_business(gw: httpx.Client, name: str, loyalty_rate: str | None = None) -> Business:
    """Register a business and log it in."""
    email = f"owner-{random.getrandbits(48):012x}@example.co.zw"
    body = {"name": name, "contact_person": "Tendai Moyo", "email": email,
            "password": "Sadza2026!"}
    if loyalty_rate is not None:
        body["loyalty_rate"] = loyalty_rate
    r = gw.post("/auth/register_business", json=body)
    assert r.status_code == 201, r.text
    login = gw.post("/auth/login_business", json={"email": email, "password": "Sadza2026!"})
    assert login.status_code == 200, login.text
    return Business(r.json()["id"], name,
                    {"Authorization": f"Bearer {login.json()['access_token']}"})


def add_points(gw: httpx.Client, business: Business, phone: str, amount: str) -> dict:
    """The business records a purchase by the customer."""
    r = gw.post("/transactions/add_points", headers=business.headers, json={
        "business_id": business.id, "customer_phone_number": phone, "amount_spent": amount})
    assert r.status_code == 201, r.text
    return r.json()


def create_reward(gw: httpx.Client, business: Business, name: str, points_cost: int,
                  description: str = "") -> dict:
    """A new active reward in the business's catalog."""
    r = gw.post(f"/businesses/{business.id}/rewards", headers=business.headers, json={
        "name": name, "description": description, "points_cost": points_cost, "active": True})
    assert r.status_code == 201, r.text
    return r.json()


# --- The page ----------------------------------------------------------------------

@dataclass
class Portal:
    """The portal in one tab; records dialogs, uncaught errors and every request."""

    page: Page
    origin: str
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request))

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def by(self, testid: str) -> Locator:
        return self.page.get_by_test_id(testid)

    def open(self) -> None:
        self.page.goto("/")
        expect(self.by("signin-view")).to_be_visible()

    def request_code(self, phone: str) -> None:
        self.by("phone-input").fill(phone)
        self.by("send-code-button").click()

    def enter_code(self, code: str) -> None:
        self.by("code-input").fill(code)
        self.by("verify-button").click()

    def sign_in(self, gw: httpx.Client, phone: str) -> None:
        """Phone → "Send code" → the code from the SMS outbox → signed in."""
        self.open()
        self.request_code(phone)
        expect(self.by("code-form")).to_be_visible()
        self.enter_code(otp_code(gw, phone))
        expect(self.by("portal-view")).to_be_visible()

    def api_calls(self, path: str) -> list[Request]:
        """The requests made so far to ``path`` (a same-origin path)."""
        return [r for r in self.requests if urlsplit(r.url).path == path]

    def in_first_screen(self, locator: Locator) -> bool:
        """Whether the element is on the first screen (the page scrolled to the top)."""
        self.page.evaluate("window.scrollTo(0, 0)")
        box = locator.bounding_box()
        viewport = self.page.viewport_size
        return box is not None and viewport is not None and (
            box["y"] + box["height"] <= viewport["height"])

    def screenshot(self, folder: Path, state: str) -> None:
        """Check the page as it is, at each of SCREEN_SIZES: axe finds no WCAG 2.1 AA
        violation, and the whole page is saved as ``portal-<state>-<width>px.png``."""
        for size in SCREEN_SIZES:
            self.page.set_viewport_size(size)
            self.assert_accessible(f"{state} at {size['width']} px")
            self.page.screenshot(path=folder / f"portal-{state}-{size['width']}px.png",
                                 full_page=True)
        self.page.set_viewport_size(SCREEN_SIZES[0])

    def assert_accessible(self, where: str) -> None:
        """Run axe-core (WCAG 2.1 AA) on the page; every violation is listed on failure."""
        assert_accessible(self.page, axe_js=AXE_JS, script_url=f"{self.origin}/__axe-core.min.js",
                          where=where)

    def token(self) -> str | None:
        return self.page.evaluate(f"sessionStorage.getItem({TOKEN_KEY!r})")

    def assert_clean(self) -> None:
        """Nothing raw on screen, no dialog, no uncaught error, no other origin contacted."""
        text = self.page.inner_text("body")
        raw = [marker for marker in RAW_MARKERS if marker in text]
        assert not raw, f"raw data on screen ({raw}):\n{text}"
        assert self.dialogs == [], self.dialogs
        assert self.page_errors == [], self.page_errors
        foreign = [r.url for r in self.requests
                   if not r.url.startswith(("data:", self.origin + "/"))]
        assert foreign == [], foreign

"""Helpers of the admin app's browser tests.

Data a test only needs to exist (another business, a customer's first points) is made
through the platform's public API (``gw``, the gateway's HTTPS client), exactly as another
till would make it; what the test is about is done in the browser by :class:`Admin`, a thin
page object over a Playwright page, and :class:`Till`, which also counts the cashier's
actions (the till flow must take at most six).
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.sync_api import Locator, Page, Request, expect

from mubayiro.common.testing import wait_until

from .axe import assert_accessible

ADMIN_UI = Path(__file__).resolve().parents[2] / "admin-ui"
ADMIN_DIST = ADMIN_UI / "dist" / "admin-ui" / "browser"
#: axe-core, a devDependency of the admin app (``npm ci`` in admin-ui installs it).
AXE_JS = ADMIN_UI / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Sadza2026!"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SCREEN_SIZES = (PHONE, DESKTOP)
#: What never belongs on a shop's screen: bits of raw JSON or of the server's validation.
RAW_MARKERS = ('{"', '"detail"', "Input should be", "[object Object]", "undefined", "NaN")
#: The SMS the loyalty platform sends when a shop asks to use a customer's points.
CONSENT_CODE = re.compile(r"code: (\d{6})\b")  # the shop's name may hold digits too


# --- Numbers as people type and read them ----------------------------------------------

def new_phone() -> str:
    """A fresh Econet number in E.164 (+26377…)."""
    return f"+26377{random.randint(1_000_000, 9_999_999)}"


def shown(phone: str) -> str:
    """How the app writes an E.164 Zimbabwe number: +263 77 123 4567."""
    return f"{phone[:4]} {phone[4:6]} {phone[6:9]} {phone[9:]}"


def local(phone: str) -> str:
    """The number as a cashier types it: 0771234567."""
    return "0" + phone[4:]


# --- The platform's API ----------------------------------------------------------------

@dataclass
class Business:
    """A business registered through the API, with its owner's credentials and token."""

    id: int
    name: str
    email: str
    headers: dict[str, str]


def register_business(gw: httpx.Client, name: str | None = None) -> Business:
    """Register a business and sign its owner in (API)."""
    tag = uuid.uuid4().hex[:6]
    name = name or f"Mbare Coffee {tag}"
    email = f"owner-{tag}@example.co.zw"
    r = gw.post("/auth/register_business", json={
        "name": name, "contact_person": "Tendai Moyo", "email": email, "password": PASSWORD})
    assert r.status_code == 201, r.text
    r = gw.post("/auth/login_business", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    return Business(r.json().get("business_id") or _business_id(gw, token), name, email,
                    {"Authorization": f"Bearer {token}"})


def add_cashier(gw: httpx.Client, business: Business) -> str:
    """A cashier account of ``business`` (its owner adds it); the cashier's email."""
    email = f"cashier-{uuid.uuid4().hex[:6]}@example.co.zw"
    r = gw.post("/auth/staff", headers=business.headers, json={
        "name": "Rudo Dube", "email": email, "password": PASSWORD, "role": "cashier"})
    assert r.status_code == 201, r.text
    return email


def _business_id(gw: httpx.Client, token: str) -> int:
    r = gw.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def set_rate(gw: httpx.Client, business: Business, rate: str) -> None:
    r = gw.post(f"/businesses/{business.id}/loyalty_rules", headers=business.headers,
                json={"loyalty_rate": rate})
    assert r.status_code in (200, 201), r.text


def create_reward(gw: httpx.Client, business: Business, name: str, points_cost: int) -> int:
    r = gw.post(f"/businesses/{business.id}/rewards", headers=business.headers,
                json={"name": name, "description": "", "points_cost": points_cost})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def add_points(gw: httpx.Client, business: Business, phone: str, amount: str) -> dict:
    r = gw.post("/transactions/add_points", headers=business.headers, json={
        "business_id": business.id, "customer_phone_number": phone, "amount_spent": amount})
    assert r.status_code == 201, r.text
    return r.json()


def outbox(gw: httpx.Client, phone: str) -> list[dict]:
    """The development SMS outbox to ``phone``, newest first."""
    r = gw.get("/notifications/outbox", params={"to": phone, "limit": 50})
    assert r.status_code == 200, r.text
    return r.json()


def consent_code(gw: httpx.Client, phone: str, shop: str, after: int = 0) -> str:
    """The newest redemption code ``shop`` asked ``phone`` for (an SMS newer than id ``after``)."""
    def newest() -> str | None:
        for message in outbox(gw, phone):
            if message["id"] > after and shop in message["body"]:
                found = CONSENT_CODE.search(message["body"])
                if found:
                    return found.group(1)
        return None

    return wait_until(newest, timeout=20, message=f"the redemption code SMS to {phone}")


def last_sms_id(gw: httpx.Client, phone: str) -> int:
    messages = outbox(gw, phone)
    return max((m["id"] for m in messages), default=0)


def redeem_at_another_till(gw: httpx.Client, business: Business, phone: str, points: int,
                           description: str) -> None:
    """Another till of the same shop redeems (asking for the customer's code if needed)."""
    body = {"business_id": business.id, "customer_phone_number": phone,
            "points_to_redeem": points, "reward_description": description}
    r = gw.post("/transactions/redeem_points", headers=business.headers, json=body)
    if r.status_code == 428:
        before = last_sms_id(gw, phone)
        asked = gw.post("/transactions/redemption_codes", headers=business.headers,
                        json={"business_id": business.id, "customer_phone_number": phone})
        assert asked.status_code == 202, asked.text
        body["customer_code"] = consent_code(gw, phone, business.name, after=before)
        r = gw.post("/transactions/redeem_points", headers=business.headers, json=body)
    assert r.status_code == 201, r.text


def reset_link_token(gw: httpx.Client, email: str) -> str:
    """The token of the newest password-reset mail to ``email`` (development mailbox)."""
    def newest() -> str | None:
        r = gw.get("/auth/dev/mail", params={"to": email})
        if r.status_code != 200:
            return None
        for mail in r.json():
            found = re.search(r"[#?]token=([\w\-]+)", mail["body"])
            if found:
                return found.group(1)
        return None

    return wait_until(newest, timeout=15, message=f"the password-reset mail to {email}")


# --- The app in the browser ------------------------------------------------------------

@dataclass
class Admin:
    """The admin app in one browser page, with what a test needs to watch it."""

    page: Page
    origin: str
    screenshots: Path
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("request", lambda request: self.requests.append(request))

    def posts_to(self, path: str) -> list[Request]:
        """Every POST the page sent to ``path`` so far."""
        return [r for r in self.requests
                if r.method == "POST" and r.url.split("?")[0].endswith(path)]

    def open(self, section: str) -> None:
        """Open a section of the app and wait until its content (not a spinner) shows."""
        self.page.goto(f"/admin/{section}")
        expect(self.page.locator("main h1")).to_be_visible()
        expect(self.page.locator("adm-loading")).to_have_count(0)

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        """Sign in on the sign-in page (the app then opens the till)."""
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in", exact=True).click()
        expect(self.page).to_have_url(re.compile(r"/admin/till$"))

    def nav_labels(self) -> list[str]:
        """The sections the desktop sidebar offers."""
        return [t.strip() for t in self.page.locator("aside nav a").all_inner_texts()]

    def in_first_screen(self, locator: Locator) -> bool:
        """Whether the element is on the first screen, above the phone's bottom bar."""
        self.page.evaluate("window.scrollTo(0, 0)")
        box = locator.bounding_box()
        viewport = self.page.viewport_size
        bar = self.page.locator("nav[aria-label=Main]").last.bounding_box()
        bottom = viewport["height"] if viewport else 0
        if bar and bar["y"] < bottom:
            bottom = bar["y"]
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bottom

    def check(self, name: str) -> None:
        """At each width: axe finds no WCAG 2.1 AA violation, nothing raw shows, and the
        whole page is saved as ``admin-<name>-<width>.png``. Back to the phone width after."""
        start = self.page.viewport_size
        for size in SCREEN_SIZES:
            self.page.set_viewport_size(size)
            self.assert_accessible(f"{name} at {size['width']} px")
            self.page.evaluate("window.scrollTo(0, 0)")
            self.page.screenshot(path=self.screenshots / f"admin-{name}-{size['width']}.png",
                                 full_page=True)
        self.assert_clean()
        if start:
            self.page.set_viewport_size(start)

    def assert_accessible(self, where: str) -> None:
        """Run axe-core (WCAG 2.1 AA) on the page; every violation is listed on failure."""
        assert_accessible(self.page, axe_js=AXE_JS,
                          script_url=f"{self.origin}/admin/__axe-core.min.js", where=where)

    def assert_clean(self) -> None:
        """Nothing raw on screen (server JSON, validation internals)."""
        text = self.page.inner_text("body")
        raw = [marker for marker in RAW_MARKERS if marker in text]
        assert not raw, f"raw data on screen ({raw}):\n{text}"


@dataclass
class Till:
    """The till page, driven the way a cashier does; each method is one action."""

    admin: Admin
    actions: list[str] = field(default_factory=list)

    @property
    def page(self) -> Page:
        return self.admin.page

    @property
    def phone_field(self) -> Locator:
        return self.page.get_by_label("Customer phone")

    @property
    def amount_field(self) -> Locator:
        return self.page.get_by_label(re.compile(r"^Amount spent"))

    @property
    def card(self) -> Locator:
        return self.page.get_by_test_id("till-card")

    @property
    def message(self) -> Locator:
        return self.page.get_by_test_id("till-message")

    @property
    def balance(self) -> Locator:
        return self.page.get_by_test_id("till-balance")

    def look_up(self, phone: str) -> None:
        """Type the number and press Enter."""
        self.actions.append(f"look up {phone}")
        self.phone_field.fill(phone)
        self.phone_field.press("Enter")
        expect(self.page.get_by_test_id("till-phone")).to_be_visible()

    def redeem(self, reward: str) -> None:
        """Tap Redeem on an affordable reward."""
        self.actions.append(f"redeem {reward}")
        self.page.get_by_role("button", name=f"Redeem {reward}").click()
        expect(self.message).to_be_visible()

    def needs_code(self) -> bool:
        """Whether the till is asking for the customer's consent code."""
        return self.page.get_by_test_id("consent").count() > 0

    def enter_code(self, code: str) -> None:
        """Type the customer's code and press Enter."""
        self.actions.append("enter the customer's code")
        field_ = self.page.get_by_label(re.compile(r"^Customer’s code"))
        field_.fill(code)
        field_.press("Enter")

    def award(self, amount: str) -> None:
        """Type the amount spent and press Enter."""
        self.actions.append(f"award {amount}")
        self.amount_field.fill(amount)
        self.amount_field.press("Enter")

    def next_customer(self) -> None:
        self.actions.append("next customer")
        self.page.get_by_role("button", name="Next customer").click()

    def focused(self, locator: Locator) -> bool:
        return locator.evaluate("element => element === document.activeElement")

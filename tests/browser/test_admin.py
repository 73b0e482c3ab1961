"""The admin app in real Chromium against the running platform, through the gateway.

One business's day, all in the browser: register, sign out and in again, set the loyalty
rate, add points (after bad input that sends nothing), create a reward, find the customer
and redeem it, hit a stale balance (the server's 409 is shown), complete a referral and see
the reports move. Every page is saved at 375 px and 1280 px wide into
test-artifacts/screenshots/ (``admin-<page>-<width>.png``).
"""

import random
import re
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ADMIN_DIST = Path(__file__).resolve().parents[2] / "admin-ui" / "dist" / "admin-ui" / "browser"
PASSWORD = "Sadza2026!"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def new_phone() -> str:
    """A fresh Econet number in E.164 (+26377…)."""
    return f"+26377{random.randint(1_000_000, 9_999_999)}"


def shown(phone: str) -> str:
    """How the app writes an E.164 Zimbabwe number: +263 77 123 4567."""
    return f"{phone[:4]} {phone[4:6]} {phone[6:9]} {phone[9:]}"


def local(phone: str) -> str:
    """The number as a cashier types it: 0771234567."""
    return "0" + phone[4:]


@pytest.fixture
def admin(browser, platform):
    """A phone-sized page of a fresh browser profile; uncaught script errors fail the test."""
    if not (ADMIN_DIST / "index.html").exists():
        pytest.fail("the admin app is not built: cd admin-ui && npm ci && npm run build")
    context = browser.new_context(
        base_url=platform.base_url, ignore_https_errors=True,  # local CA; TLS tested elsewhere
        viewport=PHONE, locale="en-GB", timezone_id="Africa/Harare")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def posts_to(page: Page, path: str) -> list[str]:
    """Every POST the page sends to ``path`` from now on (a live list)."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url)
            if r.method == "POST" and r.url.split("?")[0].endswith(path) else None)
    return sent


def screenshots(page: Page, folder: Path, name: str) -> None:
    """Save the current page at phone and desktop widths (full page), back to phone after."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")  # sticky and fixed bars where a visitor sees them
        page.screenshot(path=folder / f"admin-{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(PHONE)


def open_page(page: Page, name: str) -> None:
    """Open a section of the app and wait until its content (not a spinner) shows."""
    page.goto(f"/admin/{name}")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("adm-loading")).to_have_count(0)


def test_a_business_day_in_the_admin_app(admin, gw, screenshot_dir):
    page = admin
    tag = uuid.uuid4().hex[:6]
    email = f"owner-{tag}@example.co.zw"
    name = f"Mbare Coffee {tag}"
    customer, friend = new_phone(), new_phone()
    partner = f"Avondale Bakery {tag}"  # another business, to choose as a partner
    r = gw.post("/auth/register_business", json={
        "name": partner, "contact_person": "Rudo Dube",
        "email": f"bakery-{tag}@example.co.zw", "password": PASSWORD})
    assert r.status_code == 201, r.text

    # Register: the app signs the new business in and opens the dashboard.
    page.goto("/admin/register")
    expect(page.get_by_role("heading", name="Create your business account")).to_be_visible()
    screenshots(page, screenshot_dir, "register")
    page.get_by_label("Business name").fill(name)
    page.get_by_label("Contact person").fill("Tendai Moyo")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/admin/dashboard$"))
    expect(page.locator("main h1")).to_have_text(name)

    # Sign out (the phone layout keeps it under "More") and sign in again.
    page.get_by_role("button", name="More").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/admin/login$"))
    screenshots(page, screenshot_dir, "sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("main h1")).to_have_text(name)

    # The loyalty rate, edited in place: 2 points per $1.
    rate_card = page.locator("adm-loyalty-rate-card")
    rate_card.get_by_role("button", name="Edit").click()
    rate_card.get_by_label("Points per 1 unit spent").fill("2")
    rate_card.get_by_role("button", name="Save").click()
    expect(rate_card.get_by_test_id("rate")).to_have_text("2")
    expect(rate_card).to_contain_text("Loyalty rate updated.")

    # Bad input in Add points: a message next to the field, and nothing sent.
    add_points = page.locator("adm-add-points-form")
    awards = posts_to(page, "/transactions/add_points")
    phone_field = add_points.get_by_label("Customer phone")
    amount_field = add_points.get_by_label("Amount spent (USD)")
    submit = add_points.get_by_role("button", name="Add points")
    field_errors = add_points.get_by_test_id("field-error")
    phone_field.fill("077123")
    amount_field.fill("0")
    submit.click()
    expect(field_errors).to_have_text(["A local number has 10 digits, e.g. 0771234567.",
                                       "The amount must be more than 0."])
    phone_field.fill(local(customer))
    amount_field.fill("12.345")
    submit.click()
    expect(field_errors).to_have_text(["Use at most 2 decimal places."])
    assert awards == [], "invalid input must not be sent"

    # Add points: 12.50 × 2 = 25 points; the confirmation and the latest transactions say so.
    amount_field.fill("12.50")
    submit.click()
    expect(add_points.get_by_test_id("form-success")).to_have_text(
        f"Points added successfully for {shown(customer)}: 25 points, balance 25")
    assert len(awards) == 1
    latest = page.locator("adm-card", has_text="Latest transactions").locator("li").first
    expect(latest).to_contain_text(shown(customer))
    expect(latest).to_contain_text("Spent $12.50")
    expect(latest).to_contain_text("+25")
    expect(phone_field).to_have_value("")

    # The catalog: a reward for 10 points.
    open_page(page, "rewards")
    page.get_by_role("button", name="New reward").click()
    page.get_by_label("Name").fill(f"Free coffee {tag}")
    page.get_by_label("Cost in points").fill("10")
    page.get_by_role("button", name="Add reward").click()
    reward = page.locator("li", has_text=f"Free coffee {tag}")
    expect(reward).to_contain_text("10 pts")
    expect(reward).to_contain_text("Active")

    # Find the customer and redeem the reward, confirming first; the balance drops.
    open_page(page, "customers")
    page.get_by_label("Customer phone").fill(shown(customer))
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_test_id("customer-phone")).to_have_text(shown(customer))
    points = page.get_by_test_id("customer-points")
    expect(points).to_have_text("25")
    redeem = page.locator("adm-redeem-form")
    redeem.get_by_label("Reward").select_option(index=1)
    expect(redeem.get_by_test_id("reward-cost")).to_have_text(
        f"Free coffee {tag} costs 10 points.")
    redemptions = posts_to(page, "/transactions/redeem_points")
    redeem.get_by_role("button", name="Review redemption").click()
    expect(redeem.get_by_test_id("redeem-review")).to_contain_text(
        f"Redeem 10 points from {shown(customer)} for Free coffee {tag}?")
    assert redemptions == [], "nothing is redeemed before the confirmation"
    redeem.get_by_role("button", name="Confirm redemption").click()
    expect(redeem.get_by_test_id("form-success")).to_have_text(
        f"Redeemed 10 points for Free coffee {tag}. New balance: 15 points.")
    expect(points).to_have_text("15")
    expect(page.locator("adm-card", has_text="History here")).to_contain_text(
        f"Free coffee {tag}")

    # Another till redeems meanwhile: the balance shown (15) is stale, the server refuses
    # 12 points with a 409, the app shows why and reloads the balance.
    token = page.evaluate("localStorage.getItem('mubayiro.admin.token')")
    auth = {"Authorization": f"Bearer {token}"}
    business_id = gw.get("/auth/me", headers=auth).json()["id"]
    r = gw.post("/transactions/redeem_points", headers=auth, json={
        "business_id": business_id, "customer_phone_number": customer,
        "points_to_redeem": 10, "reward_description": "Cake at the other till"})
    assert r.status_code == 201, r.text
    redeem.get_by_label("Points to redeem").fill("12")
    redeem.get_by_label("Description").fill("Muffin")
    redeem.get_by_role("button", name="Review redemption").click()
    with page.expect_response(lambda r: r.url.endswith("/transactions/redeem_points")) as answer:
        redeem.get_by_role("button", name="Confirm redemption").click()
    assert answer.value.status == 409
    expect(redeem.get_by_test_id("form-error")).to_have_text(
        "The customer has 5 points and needs 12 points")
    expect(points).to_have_text("5")

    # A referral tracked at the till (API), completed in the app with 20 points.
    r = gw.post("/referrals/track", headers=auth, json={
        "business_id": business_id, "new_customer_phone_number": friend,
        "referrer_phone_number": customer})
    assert r.status_code == 201, r.text
    open_page(page, "referrals")
    pending = page.get_by_test_id("referral").filter(has_text=shown(friend))
    expect(pending).to_contain_text(f"Referred by {shown(customer)}")
    screenshots(page, screenshot_dir, "referrals")
    pending.get_by_role("button", name="Complete").click()
    pending.get_by_label("Points for the referrer").fill("20")
    pending.get_by_role("button", name="Complete and award").click()
    expect(page.locator("adm-alert")).to_have_text(
        f"Referral completed: 20 points for {shown(customer)}.")
    expect(page.get_by_text("No pending referrals")).to_be_visible()
    page.get_by_role("tab", name="Completed").click()
    expect(page.get_by_test_id("referral").filter(has_text=shown(friend))).to_contain_text(
        "20 points awarded")

    # Reports: 25 earned + 20 bonus issued; 2 redemptions of 10 points. The read model is
    # fed by events, so refresh until it has caught up.
    open_page(page, "reports")
    expected = {"stat-issued": "45", "stat-redemptions": "2", "stat-redeemed": "20",
                "stat-customers": "1"}
    refresh = page.get_by_role("button", name="Refresh")
    deadline = time.monotonic() + 20
    while True:
        figures = {k: page.get_by_test_id(k).locator("p").nth(1).inner_text() for k in expected}
        if figures == expected or time.monotonic() > deadline:
            break
        refresh.click()
        expect(refresh).to_be_enabled()
    assert figures == expected
    top = page.locator("adm-card", has_text="Top customers")
    expect(top).to_contain_text("45 pts")
    expect(page.locator("adm-points-chart canvas")).to_be_visible()
    screenshots(page, screenshot_dir, "reports")
    top.get_by_role("link", name=shown(customer)).click()  # opens the customer
    expect(page).to_have_url(re.compile(r"/admin/customers\?phone=%2B263"))
    expect(page.get_by_test_id("customer-points")).to_have_text("25")  # 5 + the 20 bonus
    expect(page.locator("adm-loading")).to_have_count(0)
    screenshots(page, screenshot_dir, "customers")

    # Cross-promotion: the engine's rules, and a partner chosen and saved.
    open_page(page, "recommendations")
    expect(page.get_by_test_id("capabilities")).to_contain_text("Close to a reward")
    partner_box = page.get_by_role("checkbox", name=partner)
    partner_box.check()
    page.get_by_role("button", name="Save partners").click()
    expect(page.get_by_text("Partners saved.")).to_be_visible()
    expect(page.get_by_test_id("partner-count")).to_have_text("1 of at most 10 selected")
    screenshots(page, screenshot_dir, "recommendations")
    business = gw.get(f"/businesses/{business_id}/cross_promotions", headers=auth).json()
    assert [p["name"] for p in business["partners"]] == [partner]

    # The development SMS outbox shows what the customer was sent.
    open_page(page, "outbox")
    page.get_by_label("Filter by phone").fill(shown(customer))
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("sms-body").filter(
        has_text=f"You earned 25 points at {name}.")).to_have_count(1)
    screenshots(page, screenshot_dir, "outbox")

    for section in ("dashboard", "rewards"):
        open_page(page, section)
        screenshots(page, screenshot_dir, section)

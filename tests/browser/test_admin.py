"""The admin app in real Chromium against the running platform, through the gateway.

- The address ``make up`` prints, ``/admin/``: sign-in when signed out, the till after; a
  forgotten password reset through the e-mailed link.
- The till flow at 375 px and 1280 px: look a customer up, redeem an affordable reward (with
  the customer's SMS code where the platform asks for it), award points for the sale, next
  customer — at most six actions, keyboard-first, no scrolling on a phone.
- A business's day: register, sign out and in (the phone's "More" dialog), set the rate,
  bad input at the till sends nothing, award, create a reward, redeem it (a wrong code first),
  a stale balance (the customer spent at another shop meanwhile), a referral, reports,
  recommendations, staff, the SMS outbox.
- A cashier signs in as themselves and sees only the till, customers and referrals.
- A session outlives its access token: the sale being typed is awarded once, after a silent
  renewal.

Every page is checked with axe-core (WCAG 2.1 AA, zero violations) and saved at 375 px and
1280 px into test-artifacts/screenshots/ (``admin-<page>-<width>.png``).
"""

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from .admin import (
    DESKTOP,
    PASSWORD,
    PHONE,
    Business,
    Till,
    add_cashier,
    add_points,
    consent_code,
    create_reward,
    last_sms_id,
    local,
    new_phone,
    redeem_at_another_till,
    register_business,
    reset_link_token,
    set_rate,
    shown,
)

#: The most a cashier may need for look up → redeem → award → next customer.
TILL_FLOW_MAX_ACTIONS = 6


def test_the_admin_address_opens_sign_in_or_the_till(admin, platform, gw):
    page = admin.page
    business = register_business(gw)

    # Exactly the address `make up` prints, signed out: the sign-in page, not a blank one.
    page.goto(f"{platform.base_url}/admin/")
    expect(page).to_have_url(f"{platform.base_url}/admin/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    admin.check("sign-in")

    # Forgot the password: a link by e-mail, a new password, then signed in with it.
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    admin.check("forgot-password")
    page.get_by_label("Email").fill(business.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_test_id("reset-sent")).to_contain_text(
        f"If {business.email} has an account, a reset link is on its way.")
    token = reset_link_token(gw, business.email)
    page.goto(f"/admin/reset-password#token={token}")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    admin.check("reset-password")
    new_password = "Kapenta2027!"
    page.get_by_label("New password").fill(new_password)
    page.get_by_label("Type it again").fill(new_password)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_test_id("reset-done")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    admin.sign_in(business.email, new_password)

    # Signed in, the same address opens the till.
    page.goto(f"{platform.base_url}/admin/")
    expect(page).to_have_url(f"{platform.base_url}/admin/till")
    expect(page.get_by_role("heading", name="Till")).to_be_visible()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_till_flow_takes_at_most_six_actions(admin, gw, size):
    page = admin.page
    business = register_business(gw)
    set_rate(gw, business, "2")
    create_reward(gw, business, "Free coffee", 10)
    create_reward(gw, business, "Birthday cake", 500)
    customer = new_phone()
    add_points(gw, business, customer, "12.50")  # 25 points
    page.set_viewport_size(size)
    page.goto("/admin/")
    admin.sign_in(business.email)

    till = Till(admin)
    expect(till.phone_field).to_be_focused()
    till.look_up(local(customer))
    expect(till.balance).to_have_text("25")
    expect(page.get_by_test_id("affordable")).to_contain_text("Free coffee")
    expect(page.get_by_test_id("affordable")).not_to_contain_text("Birthday cake")
    expect(page.get_by_test_id("no-affordable")).to_have_count(0)
    expect(till.amount_field).to_be_focused()  # Enter looked up; the amount is next
    for needed in (page.get_by_role("button", name="Redeem Free coffee"), till.amount_field,
                   page.get_by_role("button", name="Add points"),
                   page.get_by_role("button", name="Next customer")):
        assert admin.in_first_screen(needed), f"{needed} needs scrolling at {size['width']} px"
    recent = page.get_by_test_id("recent")
    expect(recent).not_to_have_attribute("open", "")  # the history stays folded
    admin.check("till")

    before = last_sms_id(gw, customer)
    till.redeem("Free coffee")
    if till.needs_code():
        expect(till.message).to_contain_text(f"We texted {shown(customer)} a 6-digit code")
        till.enter_code(consent_code(gw, customer, business.name, after=before))
    expect(till.message).to_have_text(
        "Redeemed Free coffee for 10 points. New balance: 15 points.")
    expect(till.balance).to_have_text("15")

    till.award("10")  # 10 × 2 = 20 points
    expect(till.message).to_have_text(
        f"Added 20 points for {shown(customer)}. New balance: 35 points.")
    expect(till.balance).to_have_text("35")
    expect(till.phone_field).to_be_focused()  # ready for the next number

    till.next_customer()
    expect(till.card).to_have_count(0)
    expect(till.phone_field).to_have_value("")
    expect(till.phone_field).to_be_focused()
    assert len(till.actions) <= TILL_FLOW_MAX_ACTIONS, till.actions

    # The ledger says what happened: the catalog's reward, once, and one award.
    r = gw.get(f"/businesses/{business.id}/customers/{customer}", headers=business.headers)
    assert r.status_code == 200, r.text
    rows = [(t["type"], t["points"], t["reward_description"]) for t in r.json()["transactions"]]
    assert rows == [("earn", 20, None), ("redeem", -10, "Free coffee"), ("earn", 25, None)]


def test_a_business_day_in_the_admin_app(admin, gw):
    page = admin.page
    tag = uuid.uuid4().hex[:6]
    email = f"owner-{tag}@example.co.zw"
    name = f"Mbare Coffee {tag}"
    customer, friend = new_phone(), new_phone()
    partner = register_business(gw, f"Avondale Bakery {tag}")  # to choose as a partner

    # Register: the app signs the new business in and opens the till.
    page.goto("/admin/register")
    expect(page.get_by_role("heading", name="Create your business account")).to_be_visible()
    admin.check("register")
    page.get_by_label("Business name").fill(name)
    page.get_by_label("Contact person").fill("Tendai Moyo")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/admin/till$"))

    # The phone's "More" is a dialog: focus moves in, Escape closes it and focus returns.
    more = page.get_by_role("button", name="More")
    more.click()
    sheet = page.get_by_role("dialog", name="More")
    expect(sheet).to_be_visible()
    # The dialog moves focus once it has rendered, which can be a frame after it shows:
    # wait for the same condition (5 s) rather than sample it once.
    page.wait_for_function("sheet => sheet.contains(document.activeElement)",
                           arg=sheet.element_handle(), timeout=5_000)
    admin.assert_accessible("the More dialog")
    page.keyboard.press("Escape")
    expect(sheet).to_have_count(0)
    expect(more).to_be_focused()
    # Sign out there and sign in again.
    more.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/admin/login$"))
    admin.sign_in(email)

    # The overview: the loyalty rate, edited in place: 2 points per $1.
    admin.open("dashboard")
    rate_card = page.locator("adm-loyalty-rate-card")
    rate_card.get_by_role("button", name="Edit").click()
    rate_card.get_by_label("Points per 1 unit spent").fill("2")
    rate_card.get_by_role("button", name="Save").click()
    expect(rate_card.get_by_test_id("rate")).to_have_text("2")
    expect(rate_card).to_contain_text("Loyalty rate updated.")

    # Bad input at the till: a message next to the field, and nothing sent.
    admin.open("till")
    till = Till(admin)
    till.phone_field.fill("077123")
    till.phone_field.press("Enter")
    expect(page.get_by_test_id("field-error")).to_have_text(
        ["A local number has 10 digits, e.g. 0771234567."])
    till.look_up(local(customer))
    expect(page.get_by_text("New customer: their first points add them.")).to_be_visible()
    for amount, problem in (("0", "The amount must be more than 0."),
                            ("12.345", "Use at most 2 decimal places.")):
        till.award(amount)
        expect(page.get_by_test_id("field-error")).to_have_text([problem])
    # A sale that earns nothing at this rate is refused with the reason, not recorded.
    till.award("0.40")
    expect(till.message).to_have_text(
        "A sale of $0.40 earns 0 points at your rate of 2 per $1, so nothing was recorded.")
    assert admin.posts_to("/transactions/add_points") == [], "invalid input must not be sent"

    # Award: 12.50 × 2 = 25 points; the customer now exists.
    till.award("12.50")
    expect(till.message).to_have_text(
        f"Added 25 points for {shown(customer)}. New balance: 25 points.")
    assert len(admin.posts_to("/transactions/add_points")) == 1
    expect(till.balance).to_have_text("25")

    # A too-large sale: the app's own words, never the server's validation text.
    till.award("2000000")
    expect(page.get_by_test_id("field-error")).to_have_text(["Enter an amount up to $1,000,000."])
    expect(till.message).to_have_text("Nothing was recorded: check the highlighted field.")
    admin.assert_clean()

    # The catalog: a reward for 10 points.
    admin.open("rewards")
    page.get_by_role("button", name="New reward").click()
    page.get_by_label("Name").fill(f"Free coffee {tag}")
    page.get_by_label("Cost in points").fill("10")
    page.get_by_role("button", name="Add reward").click()
    reward = page.locator("li", has_text=f"Free coffee {tag}")
    expect(reward).to_contain_text("10 pts")
    expect(reward).to_contain_text("Active")
    admin.check("rewards")

    # At the till: redeem it (with the customer's code if the platform asks for one).
    admin.open("till")
    till.look_up(local(customer))
    before = last_sms_id(gw, customer)
    till.redeem(f"Free coffee {tag}")
    if till.needs_code():
        admin.check("till-consent")
        code = consent_code(gw, customer, name, after=before)
        till.enter_code("000000" if code != "000000" else "111111")
        expect(till.message).to_have_text(
            "That code is not right. Check it with the customer, or send a new one.")
        till.enter_code(code)
    expect(till.message).to_have_text(
        f"Redeemed Free coffee {tag} for 10 points. New balance: 15 points.")
    expect(till.balance).to_have_text("15")

    # Meanwhile the customer spends at another shop of the coalition (one balance): the
    # balance shown (15) is stale; the server refuses the 10 points with a 409, and the app
    # says so in its own words and shows the real balance.
    other_shop = register_business(gw, f"Chitungwiza Grocer {tag}")
    set_rate(gw, other_shop, "1")
    add_points(gw, other_shop, customer, "1")  # 16
    redeem_at_another_till(gw, other_shop, customer, 12, "Bread")  # 4
    with page.expect_response(lambda r: r.url.endswith("/transactions/redeem_points")) as answer:
        page.get_by_role("button", name=f"Redeem Free coffee {tag}").click()
    assert answer.value.status == 409
    expect(till.message).to_have_text(
        "Not redeemed: the customer no longer has 10 points. Their balance is updated.")
    expect(till.balance).to_have_text("4")
    expect(page.get_by_test_id("no-affordable")).to_have_text(
        f"6 more points for Free coffee {tag}.")

    # A friend's first visit: the till records who referred them with the sale ($1 × 2 = 2
    # points); the referrals page then shows it pending and bought, completed with 20 points.
    admin.open("till")
    till.look_up(local(friend))
    referred_by = page.get_by_label("Referred by (optional)")
    referred_by.fill(local(customer))
    till.award("1")
    expect(till.message).to_contain_text(
        f"Referred by {shown(customer)}: the referral is pending in Referrals")
    admin.open("referrals")
    pending = page.get_by_test_id("referral").filter(has_text=shown(friend))
    expect(pending).to_contain_text(f"Referred by {shown(customer)}")
    until_bought(page, pending)
    admin.check("referrals")
    pending.get_by_role("button", name="Complete").click()
    bonus = pending.get_by_label("Bonus for the referrer (points)")
    expect(bonus).to_have_value("100")  # the shop's default bonus, filled in
    bonus.fill("20")
    pending.get_by_role("button", name="Complete and award").click()
    expect(page.locator("adm-alert")).to_have_text(
        f"Referral completed: 20 points for {shown(customer)}.")

    # Reports (this shop's figures only): 25 + 2 earned + 20 bonus issued; 1 redemption of
    # 10 points; 2 customers. The read model is fed by events: refresh until it caught up.
    admin.open("reports")
    expected = {"stat-issued": "47", "stat-redemptions": "1", "stat-redeemed": "10",
                "stat-customers": "2"}
    refresh = page.get_by_role("button", name="Refresh")
    deadline = time.monotonic() + 20
    while True:
        figures = {k: page.get_by_test_id(k).locator("p").nth(1).inner_text() for k in expected}
        if figures == expected or time.monotonic() > deadline:
            break
        refresh.click()
        expect(refresh).to_be_enabled()
    assert figures == expected
    # No refund, expiry or import here: the net is what was issued less what was redeemed.
    expect(page.get_by_test_id("refund-count")).to_have_text(
        "No refunds or cancelled redemptions in this period.")
    expect(page.get_by_test_id("figure-net")).to_contain_text("+37 pts")
    top = page.locator("adm-card", has_text="Top customers")
    expect(top).to_contain_text("45 pts")
    expect(page.locator("adm-points-chart canvas")).to_be_visible()
    admin.check("reports")
    for size in (PHONE, DESKTOP):  # the whole number shows, never cut
        page.set_viewport_size(size)
        phone_text = top.get_by_test_id("top-phone").first
        expect(phone_text).to_have_text(shown(customer))
        assert phone_text.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), size
        card_box, text_box = top.bounding_box(), phone_text.bounding_box()
        assert text_box["x"] + text_box["width"] <= card_box["x"] + card_box["width"], size
    page.set_viewport_size(PHONE)
    # A range that ends before it starts: a message, not a blank page.
    page.get_by_label("From").fill("2026-12-20")
    page.get_by_label("From").dispatch_event("change")
    page.get_by_label("To").fill("2026-12-01")
    page.get_by_label("To").dispatch_event("change")
    expect(page.get_by_test_id("range-problem")).to_contain_text(
        "“From” must be on or before “To”.")
    expect(page.locator("main h1")).to_have_text("Reports")
    # A period without activity says so instead of drawing an empty chart.
    page.get_by_label("From").fill("2020-01-01")
    page.get_by_label("From").dispatch_event("change")
    page.get_by_label("To").fill("2020-01-07")
    page.get_by_label("To").dispatch_event("change")
    expect(page.get_by_test_id("chart-empty")).to_contain_text("No data yet")
    admin.check("reports-empty")

    # The customer page: the balance and the whole history; the till is one tap away.
    page.goto(f"/admin/customers?phone={customer.replace('+', '%2B')}")
    expect(page.get_by_test_id("customer-points")).to_have_text("24")  # 4 + the 20 bonus
    expect(page.locator("adm-loading")).to_have_count(0)
    admin.check("customers")

    # The overview: one "points issued" figure, labelled with its period.
    admin.open("dashboard")
    issued = page.get_by_test_id("dashboard-issued")
    expect(issued).to_contain_text("Points issued, last 30 days")
    expect(issued).to_contain_text("47")  # 25 + 2 earned, 20 bonus
    expect(page.get_by_test_id("headline")).to_contain_text("1 redemption")
    expect(page.get_by_test_id("headline")).not_to_contain_text("1 redemptions")
    admin.check("dashboard")

    # Recommendations in a shop owner's words; a partner found by name and saved.
    admin.open("recommendations")
    capabilities = page.get_by_test_id("capabilities")
    expect(capabilities).to_contain_text("Close to a reward")
    for jargon in ("cosine", "near_reward", "fraction", "sqrt"):
        expect(capabilities).not_to_contain_text(jargon)
    expect(page.get_by_test_id("partner-results")).to_have_count(0)  # no flat list of all
    page.get_by_label("Find a shop").fill(f"Avondale Bakery {tag}")
    page.get_by_role("button", name=f"Add Avondale Bakery {tag}").click()
    page.get_by_role("button", name="Save partners").click()
    expect(page.get_by_text("Partners saved.")).to_be_visible()
    admin.check("recommendations")
    owner = register_owner(gw, email)
    saved = gw.get(f"/businesses/{owner.id}/cross_promotions", headers=owner.headers).json()
    assert [p["name"] for p in saved["partners"]] == [partner.name]

    # Staff: the owner adds a cashier, who can sign in as themselves.
    admin.open("staff")
    cashier_email = f"cashier-{tag}@example.co.zw"
    page.get_by_label("Name").fill("Rudo Dube")
    page.get_by_label("Email").fill(cashier_email)
    page.get_by_label("First password").fill(PASSWORD)
    page.get_by_role("radio", name=re.compile("^Cashier")).check()
    page.get_by_role("button", name="Add to staff").click()
    expect(page.get_by_test_id("staff-message")).to_have_text(
        f"Rudo Dube can now sign in as a cashier with {cashier_email}.")
    expect(page.get_by_test_id("staff-member").filter(has_text=cashier_email)).to_contain_text(
        "Cashier")
    admin.check("staff")

    # The development SMS outbox shows what the customer was sent.
    admin.open("outbox")
    page.get_by_label("Filter by phone").fill(shown(customer))
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("sms-body").filter(
        has_text=f"You earned 25 points at {name}.")).to_have_count(1)
    admin.check("outbox")


def until_bought(page, referral) -> None:
    """Reload the referrals page until ``referral`` shows the friend's first purchase here
    (referrals learns it from loyalty's points.earned event, a moment after the sale)."""
    deadline = time.monotonic() + 20
    while referral.get_by_test_id("bought").count() == 0:
        assert time.monotonic() < deadline, "the purchase never reached the referral"
        page.wait_for_timeout(300)
        page.reload()
        expect(referral).to_be_visible()
    expect(referral.get_by_test_id("bought")).to_contain_text("First purchase here")


def register_owner(gw, email: str) -> Business:
    """The owner's API session (a fresh token), for what another till does meanwhile."""
    r = gw.post("/auth/login_business", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    me = gw.get("/auth/me", headers=headers).json()
    return Business(me["id"], me["name"], email, headers)


def test_a_cashier_sees_only_the_till_customers_and_referrals(admin, gw):
    page = admin.page
    cashier = add_cashier(gw, register_business(gw))

    page.set_viewport_size(DESKTOP)
    page.goto("/admin/")
    admin.sign_in(cashier)
    assert admin.nav_labels() == ["Till", "Customers", "Referrals"]
    expect(page.locator("aside")).to_contain_text("Signed in as a cashier")
    for owner_only in ("reports", "rewards", "dashboard", "staff", "recommendations"):
        page.goto(f"/admin/{owner_only}")
        expect(page).to_have_url(re.compile(r"/admin/till$"))

    # The cashier serves a customer at the till as themselves.
    customer = new_phone()
    till = Till(admin)
    till.look_up(local(customer))
    till.award("20")
    expect(till.message).to_contain_text(f"for {shown(customer)}.")


def test_a_session_outlives_its_access_token_without_losing_the_sale(admin, gw):
    page = admin.page
    business = register_business(gw)
    customer = new_phone()
    page.goto("/admin/")
    admin.sign_in(business.email)
    refresh_token = page.evaluate("localStorage.getItem('mubayiro.admin.refresh')")
    assert refresh_token, "the login answer carries a refresh token"

    till = Till(admin)
    till.look_up(local(customer))

    # The access token is refused while a sale is typed (its signature broken here, as the
    # server refuses a revoked or expired one): the app renews and sends the sale again.
    till.amount_field.fill("30")
    replace_token(page, "token => token.split('.').slice(0, 2).join('.') + '.refused'")
    till.amount_field.press("Enter")
    expect(till.message).to_have_text(
        f"Added 30 points for {shown(customer)}. New balance: 30 points.")
    assert len(admin.posts_to("/auth/refresh")) == 1
    assert page.evaluate("localStorage.getItem('mubayiro.admin.refresh')") != refresh_token

    # The access token has expired while the till sat idle: renewed before the sale is sent.
    till.amount_field.fill("5")
    replace_token(page, """token => {
        const [head, body] = token.split('.');
        const claims = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')));
        claims.exp = Math.floor(Date.now() / 1000) - 60;
        const encoded = btoa(JSON.stringify(claims)).replace(/=+$/, '')
            .replace(/\\+/g, '-').replace(/\\//g, '_');
        return `${head}.${encoded}.expired`;
    }""")
    till.amount_field.press("Enter")
    expect(till.message).to_have_text(
        f"Added 5 points for {shown(customer)}. New balance: 35 points.")
    assert len(admin.posts_to("/auth/refresh")) == 2
    expect(page).to_have_url(re.compile(r"/admin/till$"))
    r = gw.get(f"/businesses/{business.id}/customers/{customer}", headers=business.headers)
    assert [t["points"] for t in r.json()["transactions"]] == [5, 30], "each sale awarded once"

    # Sign-out revokes the refresh token on the server.
    page.set_viewport_size(DESKTOP)
    current = page.evaluate("localStorage.getItem('mubayiro.admin.refresh')")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/admin/login$"))
    assert len(admin.posts_to("/auth/logout")) == 1
    assert gw.post("/auth/refresh", json={"refresh_token": current}).status_code >= 400


def replace_token(page, change: str) -> None:
    """Change the app's access token as another tab would (localStorage and its event)."""
    page.evaluate(f"""() => {{
        const change = {change};
        const token = localStorage.getItem('mubayiro.admin.token');
        localStorage.setItem('mubayiro.admin.token', change(token));
        window.dispatchEvent(new StorageEvent('storage', {{key: 'mubayiro.admin.token'}}));
    }}""")

"""The customer portal in real Chromium against the running platform, through the gateway.

Data is made through the public API (businesses, purchases, rewards); the customer signs
in with the code the development SMS outbox holds. Screenshots of every state are saved
at 375 px and 1280 px into test-artifacts/screenshots/.
"""

import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from mubayiro.common.testing import wait_until

from .portal import (
    Portal,
    add_points,
    create_reward,
    e164,
    new_phone,
    otp_code,
    outbox,
    register_business,
    shown_phone,
)

PORTAL_DIST = Path(__file__).resolve().parents[2] / "customer-portal" / "dist"
BUDGET_BYTES = 100 * 1000  # as customer-portal/scripts/page-weight.mjs counts it
XSS_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture
def portal(browser_context, platform):
    if not (PORTAL_DIST / "index.html").exists():
        pytest.fail("the portal is not built: cd customer-portal && npm ci && npm run build")
    return Portal(browser_context.new_page(), platform.base_url)


def test_customer_sees_points_rewards_recommendations_and_invites_a_friend(
        gw, portal, screenshot_dir):
    tag = uuid.uuid4().hex[:4]
    coffee = register_business(gw, f"Mbare Coffee {tag}")
    bakery = register_business(gw, f"Avondale Bakery {tag}", loyalty_rate="2")
    phone = new_phone()
    add_points(gw, coffee, phone, "500.00")  # +500
    add_points(gw, bakery, phone, "250.50")  # +501
    add_points(gw, coffee, phone, "182.25")  # +182: 1,183 in all
    free_coffee = create_reward(gw, coffee, f"Free coffee {tag}", 1000, "Any size.")["name"]
    # 7 points short is within the near-reward rule's 20%. Rewards are coalition-wide and
    # other tests make theirs: odd figures keep any of theirs out of the 1,184–1,189 gap.
    loaf = create_reward(gw, bakery, f"Fresh loaf {tag}", 1190)["name"]
    page = portal.page

    portal.open()
    expect(portal.by("sign-out")).to_be_hidden()
    portal.screenshot(screenshot_dir, "1-signed-out")

    portal.request_code(phone)
    expect(portal.by("code-form")).to_be_visible()
    expect(portal.by("code-sent-to")).to_have_text(shown_phone(phone))
    portal.screenshot(screenshot_dir, "2-code-entry")
    portal.enter_code(otp_code(gw, phone))
    expect(portal.by("portal-view")).to_be_visible()
    assert portal.token()

    # Points: the right total, large; the history newest first, with names and amounts.
    total = portal.by("total-points")
    expect(total).to_have_text("1,183")
    assert total.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 36
    expect(portal.by("customer-phone")).to_have_text(shown_phone(phone))
    expect(portal.by("history-business")).to_have_text([coffee.name, bakery.name, coffee.name])
    expect(portal.by("history-points")).to_have_text(["+182", "+501", "+500"])
    for item, spent in zip(portal.by("history-item").all(), ("182.25", "250.50", "500.00"),
                           strict=True):
        expect(item).to_contain_text(f"Earned · spent {spent}")

    # Rewards: what can be had now first, then the close one with the points missing.
    coffee_card = portal.by("reward-item").filter(has_text=free_coffee)
    loaf_card = portal.by("reward-item").filter(has_text=loaf)
    expect(coffee_card).to_have_attribute("data-redeemable", "true")
    expect(coffee_card.get_by_test_id("reward-business")).to_have_text(coffee.name)
    expect(coffee_card.get_by_test_id("reward-status")).to_contain_text("You can get this now")
    expect(loaf_card).to_have_attribute("data-redeemable", "false")
    expect(loaf_card.get_by_test_id("reward-business")).to_have_text(bakery.name)
    expect(loaf_card.get_by_test_id("reward-status")).to_have_text("7 points to go")
    names = portal.by("reward-name").all_inner_texts()
    assert names.index(free_coffee) < names.index(loaf), names
    redeemable = [card.get_attribute("data-redeemable") for card in portal.by("reward-item").all()]
    assert redeemable == sorted(redeemable, reverse=True), redeemable  # every "true" first

    # Recommendations: the near-reward one, first.
    recommendations = portal.by("recommendation-item")
    expect(recommendations.first).to_have_attribute("data-rule", "near_reward")
    expect(recommendations.first).to_contain_text(
        f"You are 7 points away from {loaf} at {bakery.name}.")
    portal.screenshot(screenshot_dir, "3-signed-in")

    # Refer a friend: the invitation SMS goes out.
    expect(portal.by("referral-own-phone")).to_have_text(shown_phone(phone))
    friend = new_phone()
    portal.by("invite-phone").fill(friend)
    portal.by("invite-submit").click()
    status = portal.by("invite-status")
    expect(status).to_have_text(
        f"Invitation sent to {shown_phone(friend)}. Remind them to give your number at the till.")
    expect(status).to_have_attribute("data-kind", "success")
    portal.screenshot(screenshot_dir, "4-invite-sent")
    invitations = wait_until(
        lambda: [m for m in outbox(gw, friend) if "invites you to Mubayiro" in m["body"]],
        timeout=15, message="the invitation SMS to the friend")
    assert len(invitations) == 1 and invitations[0]["to"] == e164(friend)
    portal.assert_clean()

    # Signing out leaves nothing of the customer behind, even after a reload.
    portal.by("sign-out").click()
    expect(portal.by("signin-view")).to_be_visible()
    expect(portal.by("portal-view")).to_be_hidden()
    expect(portal.by("sign-out")).to_be_hidden()
    expect(portal.by("history-item")).to_have_count(0)
    expect(portal.by("phone-input")).to_have_value("")
    assert portal.token() is None
    page.reload()
    expect(portal.by("signin-view")).to_be_visible()
    expect(portal.by("portal-view")).to_be_hidden()


def test_errors_are_sentences_and_a_bad_phone_sends_nothing(gw, portal, screenshot_dir):
    newest = outbox(gw, limit=1)
    before = newest[0]["id"] if newest else 0
    status = portal.by("signin-status")
    portal.open()

    # Too short: refused in the page, nothing sent at all.
    portal.request_code("077 123")
    expect(status).to_have_text("Enter a phone number like 077 123 4567 or +263 77 123 4567.")
    expect(status).to_have_attribute("data-kind", "error")
    assert portal.api_calls("/auth/customer/otp/request") == []
    # Looks like a number but is none: the server refuses it (422), in words.
    with portal.page.expect_response("**/auth/customer/otp/request") as refused:
        portal.request_code("+263 12 345 6789")
    assert refused.value.status == 422
    expect(status).to_contain_text("That phone number does not look right.")
    expect(portal.by("code-form")).to_be_hidden()
    portal.assert_clean()
    portal.screenshot(screenshot_dir, "error-bad-phone")

    # A wrong code, then too many of them.
    phone = new_phone()
    portal.request_code(phone)
    expect(portal.by("code-form")).to_be_visible()
    code = otp_code(gw, phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    portal.enter_code(wrong)
    expect(status).to_have_text(
        "That code is not right, or it has expired. Check the SMS, or ask for a new code.")
    expect(portal.by("portal-view")).to_be_hidden()
    portal.assert_clean()
    portal.screenshot(screenshot_dir, "error-wrong-code")
    for expected in (401, 401, 401, 401, 429):  # five tries per code
        with portal.page.expect_response("**/auth/customer/otp/verify") as answer:
            portal.enter_code(wrong)
        assert answer.value.status == expected
    expect(status).to_have_text(
        "Too many wrong codes. Ask for a new code and try again in a few minutes.")
    assert portal.token() is None
    portal.assert_clean()

    # The only sign-in SMS since the start is the valid phone's (it arrived above, so one
    # for the refused numbers would have too).
    codes_sent = [m["to"] for m in outbox(gw, limit=200)
                  if m["id"] > before and "Your Mubayiro code" in m["body"]]
    assert codes_sent == [e164(phone)]


def test_business_name_with_markup_is_shown_as_text(gw, portal):
    evil = register_business(gw, XSS_NAME)
    phone = new_phone()
    add_points(gw, evil, phone, "5")
    portal.sign_in(gw, phone)

    expect(portal.by("total-points")).to_have_text("5")
    expect(portal.by("history-business")).to_have_text([XSS_NAME])
    assert portal.by("history-list").locator("img").count() == 0
    assert portal.page.locator("img").count() == 0
    assert portal.page.evaluate("typeof window.alert") == "function"
    portal.assert_clean()  # no dialog fired, no error, nothing raw


def test_chat_panel_is_hidden_while_the_chatbot_is_missing(gw, portal):
    # Traefik answers 503 for a routed service with no server running (502 when it stopped).
    assert gw.get("/chat/messages").status_code in (404, 502, 503), (
        "the chatbot is deployed: drop the skip of test_chat_answers_how_many_points "
        "and retire this test")
    phone = new_phone()
    portal.open()
    portal.request_code(phone)
    code = otp_code(gw, phone)
    with portal.page.expect_response("**/chat/messages") as probe:
        portal.enter_code(code)
    assert probe.value.status in (404, 502, 503)
    expect(portal.by("portal-view")).to_be_visible()
    expect(portal.by("chat-panel")).to_be_hidden()
    portal.assert_clean()


@pytest.mark.skip(reason="chatbot service not built yet (issue 7: once the chatbot exists)")
def test_chat_answers_how_many_points(gw, portal, screenshot_dir):
    shop = register_business(gw, f"Mbare Coffee {uuid.uuid4().hex[:4]}")
    phone = new_phone()
    add_points(gw, shop, phone, "42")
    portal.sign_in(gw, phone)

    expect(portal.by("chat-panel")).to_be_visible()
    portal.by("chat-input").fill("How many points do I have?")
    portal.by("chat-send").click()
    expect(portal.by("chat-message")).to_have_text(["How many points do I have?"])
    expect(portal.by("chat-reply")).to_contain_text("42", timeout=30_000)
    portal.screenshot(screenshot_dir, "5-chat")
    portal.assert_clean()


def test_page_weight_under_100_kb_and_no_other_origin(browser_context, platform):
    page = browser_context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto("/", wait_until="networkidle")

    origin = platform.base_url
    foreign = [r.url for r in requests if not r.url.startswith(("data:", origin + "/"))]
    assert foreign == [], foreign
    sizes = {}
    for request in requests:
        if request.url.startswith("data:"):
            continue
        assert request.resource_type in ("document", "script", "stylesheet"), request.url
        response = request.response()
        assert response is not None and response.status == 200, request.url
        sizes[urlsplit(request.url).path] = len(response.body())  # decoded: uncompressed
    assert {"/", "/css/app.css", "/js/main.js"} <= sizes.keys(), sizes
    total = sum(sizes.values())
    report = {"total_bytes": total, "budget_bytes": BUDGET_BYTES, "files": sizes}
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "page-weight.json").write_text(json.dumps(report, indent=2) + "\n")
    assert total < BUDGET_BYTES, report

"""The customer portal in real Chromium against the running platform, through the gateway.

Data is made through the public API (businesses, purchases, rewards); the customer signs
in with the code the development SMS outbox holds. Every state tested is checked by
axe-core (WCAG 2.1 AA, zero violations) and saved as a screenshot at 375 px and 1280 px
into test-artifacts/screenshots/ (``Portal.screenshot``). The first load's weight is
measured in ``test_weight.py``.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from mubayiro.common.testing import wait_until

from .portal import (
    SCREEN_SIZES,
    add_points,
    create_reward,
    e164,
    new_phone,
    otp_code,
    outbox,
    portal_config,
    register_business,
    shown_date,
    shown_phone,
)

XSS_NAME = "<img src=x onerror=alert(1)>"




def test_customer_sees_points_rewards_recommendations_and_invites_a_friend(
        gw, portal, screenshot_dir):
    tag = uuid.uuid4().hex[:4]
    coffee = register_business(gw, f"Mbare Coffee {tag}")
    bakery = register_business(gw, f"Avondale Bakery {tag}", loyalty_rate="2")
    butchery = register_business(gw, f"Kamfinsa Butchery {tag}")  # never visited
    phone = new_phone()
    add_points(gw, coffee, phone, "500.00")  # +500
    add_points(gw, bakery, phone, "250.50")  # +501
    add_points(gw, coffee, phone, "182.25")  # +182: 1,183 in all
    free_coffee = create_reward(gw, coffee, f"Free coffee {tag}", 1000, "Any size.")["name"]
    # 7 points short is within the near-reward rule's 20%. Rewards are coalition-wide and
    # other tests make theirs: odd figures keep any of theirs out of the 1,184–1,189 gap.
    loaf = create_reward(gw, bakery, f"Fresh loaf {tag}", 1190)["name"]
    # A shop I never visited: its rewards are under "See all", more than one press's worth.
    cuts = [create_reward(gw, butchery, f"Cut {n:02d} {tag}", 2 + n)["name"] for n in range(12)]
    page = portal.page

    portal.open()
    expect(portal.by("sign-out")).to_be_hidden()
    sms_number = portal_config()["smsNumber"]
    expect(portal.by("sms-number")).to_have_text(sms_number)  # "Text BALANCE to <number>"
    portal.screenshot(screenshot_dir, "1-signed-out")

    portal.request_code(phone)
    expect(portal.by("code-form")).to_be_visible()
    expect(portal.by("code-sent-to")).to_have_text(shown_phone(phone))
    expect(portal.by("code-input")).to_be_focused()
    portal.screenshot(screenshot_dir, "2-code-entry")
    portal.enter_code(otp_code(gw, phone))
    expect(portal.by("portal-view")).to_be_visible()
    expect(portal.by("points-heading")).to_be_focused()
    assert portal.token()

    # Points: the right total, large; what I can get now and how far the next reward is.
    total = portal.by("total-points")
    expect(total).to_have_text("1,183")
    assert total.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 36
    expect(portal.by("customer-phone")).to_have_text(shown_phone(phone))
    expect(portal.by("rewards-summary")).to_have_text(
        f"You can get 1 reward now at your shops. Next: {loaf} at {bakery.name}, 7 points to go.")

    # History: newest first, names, $ amounts and Harare dates as the admin app writes them.
    expect(portal.by("history-business")).to_have_text([coffee.name, bakery.name, coffee.name])
    expect(portal.by("history-points")).to_have_text(["+182", "+501", "+500"])
    for item, spent in zip(portal.by("history-item").all(), ("$182.25", "$250.50", "$500.00"),
                           strict=True):
        expect(item).to_contain_text(f"Earned · spent {spent}")
    rows = gw.get(f"/customers/{e164(phone)}/transactions",
                  headers={"Authorization": f"Bearer {portal.token()}"}).json()
    expect(portal.by("history-item").locator("time")).to_have_text(
        [shown_date(row["timestamp"]) for row in rows])

    # Rewards about my shops: the most visited first, each with what I can get now and
    # its next reward; nothing of a shop I never visited until "See all".
    shops = portal.by("shop-rewards")
    expect(shops.get_by_test_id("shop-name")).to_have_text([coffee.name, bakery.name])
    coffee_card = shops.nth(0).get_by_test_id("reward-item")
    expect(coffee_card).to_have_count(1)
    expect(coffee_card).to_have_attribute("data-redeemable", "true")
    expect(coffee_card.get_by_test_id("reward-name")).to_have_text(free_coffee)
    expect(coffee_card.get_by_test_id("reward-status")).to_contain_text("You can get this now")
    loaf_card = shops.nth(1).get_by_test_id("reward-item")
    expect(loaf_card).to_have_count(1)
    expect(loaf_card).to_have_attribute("data-redeemable", "false")
    expect(loaf_card.get_by_test_id("reward-name")).to_have_text(loaf)
    expect(loaf_card.get_by_test_id("reward-status")).to_have_text("7 points to go")
    expect(portal.by("rewards-all")).to_be_hidden()
    expect(page.get_by_text(cuts[0])).to_have_count(0)

    # Recommendations: the near-reward one, first; it and "Refer a friend" come before the
    # rewards and the invite form is on the first screen of a laptop.
    recommendations = portal.by("recommendation-item")
    expect(recommendations.first).to_have_attribute("data-rule", "near_reward")
    expect(recommendations.first).to_contain_text(
        f"You are 7 points away from {loaf} at {bakery.name}.")
    headings = portal.by("portal-view").locator("h2")
    order = headings.all_inner_texts()
    assert order.index("Recommendations for you") < order.index("Rewards at your shops"), order
    assert order.index("Refer a friend") < order.index("Rewards at your shops"), order
    page.set_viewport_size(SCREEN_SIZES[1])
    assert portal.in_first_screen(portal.by("invite-submit"))
    page.set_viewport_size(SCREEN_SIZES[0])
    portal.screenshot(screenshot_dir, "3-signed-in")

    # "See all": the rest of the catalog, ten at a time, without the cards' rewards again.
    portal.by("rewards-see-all").click()
    expect(portal.by("rewards-all")).to_be_visible()
    expect(portal.by("rewards-see-all")).to_have_attribute("aria-expanded", "true")
    expect(portal.by("rewards-all-heading")).to_be_focused()
    listed = portal.by("rewards-list").get_by_test_id("reward-item")
    expect(listed).to_have_count(10)
    portal.screenshot(screenshot_dir, "4-all-rewards")
    more = portal.by("rewards-more")
    while more.is_visible():
        count = listed.count()
        more.click()
        expect(listed).not_to_have_count(count)
    names = portal.by("rewards-list").get_by_test_id("reward-name").all_inner_texts()
    assert set(cuts) <= set(names), names
    assert free_coffee not in names and loaf not in names, names
    # No reward twice: an item is its name, its shop and its cost (on the shared test
    # platform several shops may name a reward alike).
    items = listed.all_inner_texts()
    assert len(items) == len(set(items)), items

    # Refer a friend: the invitation SMS goes out, and the confirmation is on screen.
    expect(portal.by("referral-own-phone")).to_have_text(shown_phone(phone))
    friend = new_phone()
    portal.by("invite-phone").fill(friend)
    portal.by("invite-submit").click()
    status = portal.by("invite-status")
    expect(status).to_contain_text(
        f"Invitation sent to {shown_phone(friend)}. When they first buy at a Mubayiro shop, the "
        "shop can confirm your referral and you get its bonus points. Your referral code, in "
        "the SMS: ")
    expect(status).to_have_attribute("data-kind", "success")
    expect(status).to_be_in_viewport()
    portal.screenshot(screenshot_dir, "5-invite-sent")
    invitations = wait_until(
        lambda: [m for m in outbox(gw, friend) if "invites you to Mubayiro" in m["body"]],
        timeout=15, message="the invitation SMS to the friend")
    assert len(invitations) == 1 and invitations[0]["to"] == e164(friend)
    # A wrong number is an alert tied to the field.
    portal.by("invite-phone").fill("12")
    portal.by("invite-submit").click()
    expect(status).to_have_attribute("role", "alert")
    expect(portal.by("invite-phone")).to_have_attribute("aria-invalid", "true")
    expect(portal.by("invite-phone")).to_be_focused()
    portal.screenshot(screenshot_dir, "6-invite-error")
    portal.assert_clean()

    # Signing out leaves nothing of the customer behind, even after a reload.
    portal.by("sign-out").click()
    expect(portal.by("signin-view")).to_be_visible()
    expect(portal.by("portal-view")).to_be_hidden()
    expect(portal.by("sign-out")).to_be_hidden()
    expect(portal.by("history-item")).to_have_count(0)
    expect(portal.by("shop-rewards")).to_have_count(0)
    expect(portal.by("phone-input")).to_have_value("")
    expect(portal.by("phone-input")).to_be_focused()
    assert portal.token() is None
    page.reload()
    expect(portal.by("signin-view")).to_be_visible()
    expect(portal.by("portal-view")).to_be_hidden()


def test_a_new_customer_sees_every_reward_and_the_skip_link_works(gw, portal, screenshot_dir):
    shop = register_business(gw, f"Glen View Grocers {uuid.uuid4().hex[:4]}")
    create_reward(gw, shop, f"Sugar 2 kg {uuid.uuid4().hex[:4]}", 9)
    phone = new_phone()  # never bought anything: no shop of theirs yet
    portal.open()
    portal.page.keyboard.press("Tab")
    expect(portal.by("skip-link")).to_be_focused()
    expect(portal.by("skip-link")).to_be_visible()
    portal.page.keyboard.press("Enter")
    expect(portal.page.locator("#main")).to_be_focused()
    portal.page.keyboard.press("Tab")
    expect(portal.by("phone-input")).to_be_focused()  # two Tabs to the phone field

    portal.sign_in(gw, phone)
    expect(portal.by("total-points")).to_have_text("0")
    expect(portal.by("rewards-heading")).to_have_text("Rewards at Mubayiro shops")
    expect(portal.by("rewards-all")).to_be_visible()
    expect(portal.by("rewards-see-all")).to_be_hidden()
    expect(portal.by("rewards-list").get_by_test_id("reward-item").first).to_be_visible()
    expect(portal.by("rewards-status")).to_contain_text("its rewards will show here first")
    portal.screenshot(screenshot_dir, "new-customer")
    portal.assert_clean()

    # The checker itself can fail: an image without a text alternative is a violation.
    portal.page.evaluate("""() => document.querySelector('main').append(Object.assign(
        document.createElement('img'), {src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw='}))""")
    with pytest.raises(AssertionError, match="image-alt"):
        portal.assert_accessible("a page with an unlabelled image")


def test_errors_are_sentences_and_a_bad_phone_sends_nothing(gw, portal, screenshot_dir):
    newest = outbox(gw, limit=1)
    before = newest[0]["id"] if newest else 0
    status = portal.by("signin-status")
    portal.open()

    # Too short: refused in the page, nothing sent at all.
    portal.request_code("077 123")
    expect(status).to_have_text("Enter a phone number like 077 123 4567 or +263 77 123 4567.")
    expect(status).to_have_attribute("data-kind", "error")
    # Announced at once, read with the field (never as its name), the field marked.
    expect(status).to_have_attribute("role", "alert")
    phone_input = portal.by("phone-input")
    expect(phone_input).to_have_attribute("aria-invalid", "true")
    expect(phone_input).to_be_focused()
    assert "signin-status" in phone_input.get_attribute("aria-describedby").split()
    expect(portal.page.get_by_label("Phone number", exact=True)).to_have_count(1)
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


def test_chat_answers_how_many_points(gw, portal, screenshot_dir):
    shop = register_business(gw, f"Mbare Coffee {uuid.uuid4().hex[:4]}")
    phone = new_phone()
    add_points(gw, shop, phone, "42")
    portal.sign_in(gw, phone)

    expect(portal.by("chat-panel")).to_be_visible()
    portal.by("chat-input").fill("How many points do I have?")
    with portal.page.expect_response("**/chat/messages") as answer:
        portal.by("chat-send").click()
    assert answer.value.status == 200
    assert "get_customer_points" in answer.value.json()["tools_used"]
    expect(portal.by("chat-message")).to_have_text(["How many points do I have?"])
    # The bot may add what those points buy now (other tests' rewards are coalition-wide).
    expect(portal.by("chat-reply")).to_have_text([re.compile(r"^You have 42 points\.")],
                                                 timeout=30_000)
    portal.screenshot(screenshot_dir, "7-chat")
    portal.assert_clean()


def test_chat_says_the_assistant_is_unavailable_and_recovers(gw, portal, screenshot_dir):
    # The gateway's answer while the chatbot is down (its error body), played by the browser
    # for this page only: the rest of the platform stays up for the other tests.
    phone = new_phone()
    add_points(gw, register_business(gw, f"Mbare Coffee {uuid.uuid4().hex[:4]}"), phone, "7")
    portal.sign_in(gw, phone)
    down = {"detail": "The service is unavailable; try again shortly",
            "error": "ServiceUnavailable"}
    portal.page.route("**/chat/messages", lambda route: route.fulfill(status=503, json=down))
    portal.by("chat-input").fill("How many points do I have?")
    portal.by("chat-send").click()
    error = portal.by("chat-error")
    expect(error).to_have_text(
        "The assistant is not available right now. Please try again in a few minutes, "
        f"or text your question to {portal_config()['smsNumber']}.")
    expect(error).to_have_attribute("role", "alert")
    expect(portal.by("chat-panel")).to_be_visible()
    portal.screenshot(screenshot_dir, "8-chat-unavailable")

    portal.page.unroute("**/chat/messages")  # the chatbot is back: the next question works
    portal.by("chat-input").fill("How many points do I have?")
    portal.by("chat-send").click()
    expect(portal.by("chat-reply")).to_have_text([re.compile(r"^You have 7 points\.")],
                                                 timeout=30_000)
    portal.assert_clean()

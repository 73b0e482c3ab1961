"""A referral from invitation to completion through the two apps alone (issue 16), in real
Chromium against the running platform, through the gateway.

A customer invites a friend in the portal; the friend's first purchase is awarded at the
shop's till in the admin app (nobody types a referral); the referral appears pending and
bought on the shop's Referrals page; the owner completes it with the shop's default bonus;
the customer sees the bonus in the portal. Every screen of the journey is checked by axe-core
(WCAG 2.1 AA, zero violations) and saved at 375 px and 1280 px.
"""

import time

from playwright.sync_api import expect

from .admin import Till, register_business, shown
from .portal import e164, new_phone, shown_phone


def test_a_friend_invited_in_the_portal_becomes_the_shops_referral_and_is_paid_once(
        admin, portal, gw, screenshot_dir):
    shop = register_business(gw)
    inviter, friend = new_phone(), new_phone()

    # The portal: the customer invites a friend.
    portal.sign_in(gw, inviter)
    portal.by("invite-phone").fill(friend)
    portal.by("invite-submit").click()
    status = portal.by("invite-status")
    expect(status).to_contain_text(
        f"Invitation sent to {shown_phone(friend)}. When they first buy at a Mubayiro shop, "
        "the shop can confirm your referral and you get its bonus points.")
    portal.screenshot(screenshot_dir, "referral-invited")

    # The shop's till: the friend's first purchase, $5; nobody types who referred them.
    admin.page.goto("/admin/login")
    admin.sign_in(shop.email)
    till = Till(admin)
    till.look_up(friend)
    till.award("5")
    expect(till.message).to_contain_text(f"Added 5 points for {shown(e164(friend))}.")

    # Referrals: the invitation is now this shop's pending referral, bought here.
    admin.open("referrals")
    referral = admin.page.get_by_test_id("referral").filter(has_text=shown(e164(friend)))
    deadline = time.monotonic() + 20
    while referral.get_by_test_id("bought").count() == 0:
        assert time.monotonic() < deadline, "the purchase never made the invitation a referral"
        admin.page.wait_for_timeout(300)
        admin.page.reload()
        expect(admin.page.locator("main h1")).to_be_visible()
    expect(referral).to_contain_text(f"Referred by {shown(e164(inviter))}")
    expect(referral.get_by_test_id("bought")).to_contain_text("First purchase here")
    admin.check("referral-from-invite")

    # Complete it: the shop's default bonus (100) is filled in; paid once.
    referral.get_by_role("button", name="Complete").click()
    expect(referral.get_by_label("Bonus for the referrer (points)")).to_have_value("100")
    admin.check("referral-complete-form")
    referral.get_by_role("button", name="Complete and award").click()
    expect(admin.page.locator("adm-alert")).to_have_text(
        f"Referral completed: 100 points for {shown(e164(inviter))}.")
    expect(admin.page.get_by_test_id("referral")).to_have_count(0)
    admin.open("referrals")
    admin.page.get_by_role("tab", name="Completed").click()
    expect(admin.page.get_by_test_id("referral").filter(
        has_text=shown(e164(friend)))).to_contain_text("100 points awarded")
    admin.check("referral-completed")

    # The portal: the customer sees the bonus.
    portal.page.reload()
    expect(portal.by("portal-view")).to_be_visible()
    expect(portal.page.get_by_text("Referral bonus").first).to_be_visible()
    portal.screenshot(screenshot_dir, "referral-bonus")
    portal.assert_clean()

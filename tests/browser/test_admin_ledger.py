"""Refunds, point expiry, balance import and export in the admin app (issue 15), in real
Chromium against the running platform, through the gateway, at 375 px and 1280 px.

- The owner sets points to expire on the loyalty rules card.
- A purchase whose points the customer already spent is reversed from the customer's
  history: a confirmation first, then the points taken back and the shortfall shown.
- A CSV of balances with one bad line: the dry run names that line and why, nothing is
  imported until "Import", which then imports the rest.
- Both exports download as files named by the server, holding what happened above.
- Reports say what the refund took back (and could not), what was imported, and the net.
- A cashier sees neither the Import & export page nor its link.

Every screen is checked by axe-core (WCAG 2.1 AA, zero violations) and saved at both widths
(``admin-<page>-<width>.png``).
"""

import re
import time
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from .admin import (
    DESKTOP,
    PHONE,
    add_cashier,
    add_points,
    new_phone,
    redeem_at_another_till,
    register_business,
    set_rate,
)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_an_owner_refunds_imports_and_exports(admin, gw, size, tmp_path):
    page = admin.page
    business = register_business(gw)
    set_rate(gw, business, "1")
    customer = new_phone()
    add_points(gw, business, customer, "40.00")  # 40 points
    redeem_at_another_till(gw, business, customer, 30, "Free lunch")  # 10 left
    page.set_viewport_size(size)
    page.goto("/admin/")
    admin.sign_in(business.email)

    # Point expiry, on the loyalty rules card.
    admin.open("dashboard")
    rules = page.locator("adm-loyalty-rate-card")
    expect(rules.get_by_test_id("expiry")).to_have_text("Points never expire.")
    rules.get_by_role("button", name="Edit").click()
    rules.get_by_label("Points expire after (days)").fill("365")
    rules.get_by_role("button", name="Save").click()
    expect(rules.get_by_test_id("expiry")).to_have_text(
        "Points expire 365 days after they are earned.")
    expect(rules).to_contain_text("Point expiry updated.")
    program = gw.get(f"/businesses/{business.id}").json()
    assert program["points_expire_after_days"] == 365

    # The purchase is refunded whole, though the customer spent 30 of its 40 points.
    admin.open(f"customers?phone={quote(customer)}")
    expect(page.get_by_test_id("customer-points")).to_have_text("10")
    purchase = page.get_by_test_id("transaction").filter(has_text="Spent $40.00")
    purchase.get_by_role("button", name=re.compile(r"^Reverse")).click()
    purchase.get_by_label("Reason (optional)").fill("Returned the jacket")
    purchase.get_by_role("button", name="Continue").click()
    confirm = purchase.get_by_test_id("reverse-confirm")
    expect(confirm).to_contain_text("Refund all of this $40.00 purchase.")
    expect(confirm).to_contain_text("The customer has 10 points now")
    assert admin.posts_to(f"/transactions/{_purchase_id(gw, business, customer)}/reverse") == []
    admin.check("reverse-confirm")
    purchase.get_by_role("button", name="Yes, reverse it").click()
    done = page.get_by_test_id("reversal-done")
    expect(done).to_contain_text("Reversed: 10 points taken back.")
    expect(done).to_contain_text(
        "30 points could not be taken back: the customer had already spent them (shortfall).")
    expect(page.get_by_test_id("customer-points")).to_have_text("0")
    refund = page.get_by_test_id("transaction").filter(has_text="Returned the jacket")
    expect(refund).to_contain_text("Refunded $40.00")
    expect(refund.get_by_test_id("shortfall")).to_have_text(
        "30 points were already spent and could not be taken back.")
    expect(purchase.get_by_role("button", name=re.compile(r"^Reverse"))).to_have_count(0)
    admin.check("customer-reversed")

    # A CSV from another system, with one bad line: checked first, then imported.
    first, second = new_phone(), new_phone()
    csv = tmp_path / "old-system.csv"
    csv.write_text(f"phone_number,points,note\n{first},120,Stamp card\n12,5,\n{second},30,\n")
    admin.open("import-export")
    admin.check("import-export")
    page.get_by_label("CSV file to import").set_input_files(str(csv))
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("Check of old-system.csv (nothing imported yet)")
    expect(page.get_by_test_id("import-problem-line")).to_have_text(
        ["Line 3: “12” is not a valid phone number."])
    expect(page.get_by_test_id("import-ready")).to_contain_text("150 points")
    _assert_balance(gw, business, first, None)  # the dry run changed nothing
    admin.check("import-dry-run")
    page.get_by_role("button", name="Import 2 balances").click()
    expect(page.get_by_test_id("import-done")).to_have_text(
        "Imported 2 balances (150 points). 1 line with a problem was left out.")
    _assert_balance(gw, business, first, 120)
    _assert_balance(gw, business, second, 30)
    admin.check("import-done")

    # The same file again: everything was imported before, nothing new to import.
    page.get_by_label("CSV file to import").set_input_files([])
    page.get_by_label("CSV file to import").set_input_files(str(csv))
    expect(page.get_by_text("Nothing new to import in this file.")).to_be_visible()
    expect(page.get_by_role("button", name="Import 0 balances")).to_be_disabled()

    # Both exports download as files named by the server.
    for kind, expected in (("customers", first), ("transactions", "reversal")):
        with page.expect_download() as info:
            page.get_by_role("button", name=f"Download {kind} (CSV)").click()
        download = info.value
        assert re.fullmatch(rf"business-{business.id}-{kind}-\d{{8}}\.csv",
                            download.suggested_filename), download.suggested_filename
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        text = saved.read_text(encoding="utf-8")
        assert expected in text, text[:500]
        expect(page.get_by_test_id("export-saved")).to_have_text(
            f"Saved {download.suggested_filename}.")
    admin.check("export-saved")

    # Reports say it in words: 10 points taken back, 30 that could not be, 150 imported;
    # net 40 issued + 150 imported - 30 redeemed - 10 taken back. Reports is fed by events:
    # refresh until it caught up.
    admin.open("reports")
    net = page.get_by_test_id("figure-net").get_by_test_id("figure-value")
    refresh = page.get_by_role("button", name="Refresh")
    deadline = time.monotonic() + 20
    while net.inner_text() != "+150 pts" and time.monotonic() < deadline:
        refresh.click()
        expect(refresh).to_be_enabled()
    expect(net).to_have_text("+150 pts")
    reversed_ = page.get_by_test_id("figure-reversed")
    expect(reversed_.get_by_test_id("figure-value")).to_have_text("10 pts")
    expect(reversed_.get_by_test_id("figure-note")).to_have_text(
        "30 points could not be taken back: the customers had already spent them.")
    expect(page.get_by_test_id("figure-imported").get_by_test_id("figure-value")).to_have_text(
        "150 pts")
    expect(page.get_by_test_id("refund-count")).to_have_text(
        "1 refund or cancelled redemption in this period.")
    admin.check("reports-refunds")


def test_a_cashier_sees_no_import_or_export(admin, gw):
    page = admin.page
    cashier = add_cashier(gw, register_business(gw))

    page.set_viewport_size(DESKTOP)
    page.goto("/admin/")
    admin.sign_in(cashier)
    assert "Import & export" not in admin.nav_labels()
    page.goto("/admin/import-export")
    expect(page).to_have_url(re.compile(r"/admin/till$"))


def _purchase_id(gw, business, phone: str) -> int:
    r = gw.get(f"/businesses/{business.id}/customers/{quote(phone)}", headers=business.headers)
    assert r.status_code == 200, r.text
    return next(t["id"] for t in r.json()["transactions"] if t["type"] == "earn")


def _assert_balance(gw, business, phone: str, points: int | None) -> None:
    """The customer's balance as the business sees it (None: not its customer yet)."""
    r = gw.get(f"/businesses/{business.id}/customers/{quote(phone)}", headers=business.headers)
    if points is None:
        assert r.status_code == 404, r.text
    else:
        assert r.status_code == 200, r.text
        assert r.json()["total_points"] == points

"""Fast on a slow phone (issue 16): each web app's first load, measured through the gateway.

A fresh Chromium profile (nothing cached) loads the app from the gateway, which compresses
and marks hashed assets immutable; everything the page fetched counts, API answers included
(see ``weight.py``). Budgets, as transferred:

- the admin app, from the sign-in page to the till after signing in: at most 150 kB;
- the customer portal's first screen: at most 100 kB (and under 100 kB decoded, what the
  portal's ``npm run weight`` counts).

The figures go to ``test-artifacts/page-weight-admin.json`` and ``page-weight.json``.
Measure them with ``.venv/bin/pytest -q -p no:xdist tests/browser/test_weight.py``.
"""

import re

import pytest
from playwright.sync_api import expect

from .admin import ADMIN_DIST, PHONE, Admin, register_business
from .portal import PORTAL_DIST
from .weight import COMPRESSED, record_requests, save_report, weigh

ADMIN_TRANSFER_BUDGET = 150 * 1000
PORTAL_TRANSFER_BUDGET = 100 * 1000
PORTAL_DECODED_BUDGET = 100 * 1000  # as customer-portal/scripts/page-weight.mjs counts it
#: A built file whose name carries its content's hash (`main-GH3OYRSU.js`): cached for good.
HASHED = re.compile(r"/[\w-]+-[A-Za-z0-9_-]{8}\.(js|css)$")
#: Traefik leaves smaller answers as they are (its compress middleware's minResponseBodyBytes).
MIN_COMPRESSED = 1024
MEASURED = "pytest -q -p no:xdist tests/browser/test_weight.py (first load, through the gateway)"


@pytest.fixture
def fresh_page(browser, platform):
    """A phone-sized page of a new browser profile: an empty cache, as on a first visit."""
    context = browser.new_context(
        base_url=platform.base_url, ignore_https_errors=True,  # local CA; TLS tested elsewhere
        viewport=PHONE, locale="en-GB", timezone_id="Africa/Harare")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_admin_first_load_sign_in_then_till_under_150_kb(fresh_page, platform, gw,
                                                          screenshot_dir):
    if not (ADMIN_DIST / "index.html").exists():
        pytest.fail("the admin app is not built: cd admin-ui && npm ci && npm run build")
    business = register_business(gw)
    page = fresh_page
    requests = record_requests(page)

    page.goto("/admin/login", wait_until="networkidle")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in_page = weigh(page, requests, platform.base_url)

    Admin(page, platform.base_url, screenshot_dir).sign_in(business.email)
    expect(page.get_by_label("Customer phone")).to_be_focused()
    page.wait_for_load_state("networkidle")
    load = weigh(page, requests, platform.base_url, earlier=sign_in_page)

    report = load.report(measured=MEASURED, budget=ADMIN_TRANSFER_BUDGET,
                         sign_in_page_transferred_bytes=sign_in_page.total_transferred)
    save_report("page-weight-admin", report)
    assert all(status < 500 for status in load.statuses.values()), report
    for path, kind in load.resource_types.items():
        if kind in ("document", "script", "stylesheet") and load.decoded[path] > MIN_COMPRESSED:
            assert load.encodings[path] in COMPRESSED, (path, load.encodings[path])
    hashed = [r for r in requests if HASHED.search(r.url)]
    assert hashed, "no hashed asset was loaded"
    for request in hashed:
        assert "immutable" in (request.response().header_value("cache-control") or ""), (
            request.url)
    # The bytes that crossed the network, as Chromium's network layer counted them. Resource
    # Timing's transferSize (in the report) adds its own estimate for each answer's headers,
    # a few hundred bytes over the real HTTP/2 headers for each of the app's ~30 files.
    assert load.total_transferred <= ADMIN_TRANSFER_BUDGET, report
    assert load.timing_transferred > 0, report
    assert load.total_transferred < load.total_decoded / 2, report  # compressed, not just small


def test_portal_first_load_under_100_kb_and_no_other_origin(fresh_page, platform):
    if not (PORTAL_DIST / "index.html").exists():
        pytest.fail("the portal is not built: cd customer-portal && npm ci && npm run build")
    page = fresh_page
    requests = record_requests(page)
    page.goto("/", wait_until="networkidle")
    load = weigh(page, requests, platform.base_url)

    report = load.report(measured=MEASURED, budget=PORTAL_TRANSFER_BUDGET,
                         decoded_budget_bytes=PORTAL_DECODED_BUDGET)
    save_report("page-weight", report)
    assert set(load.statuses.values()) == {200}, report
    for path, kind in load.resource_types.items():
        assert kind in ("document", "script", "stylesheet") or path == "/config.json", (
            kind, path)
    assert {"/", "/css/app.css", "/js/main.js", "/config.json"} <= load.decoded.keys(), report
    for path in ("/", "/css/app.css", "/js/main.js", "/js/sections/rewards.js"):
        assert load.encodings[path] in COMPRESSED, (path, load.encodings[path])
    assert load.total_transferred <= PORTAL_TRANSFER_BUDGET, report
    assert 0 < load.timing_transferred <= PORTAL_TRANSFER_BUDGET, report
    assert load.total_transferred < load.total_decoded / 2, report  # compressed, not just small
    assert load.total_decoded < PORTAL_DECODED_BUDGET, report

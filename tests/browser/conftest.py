"""Fixtures of the browser tests: the admin app and the customer portal, each in a
browser profile of its own (the shop's device, the customer's phone)."""

from __future__ import annotations

import pytest

from .admin import ADMIN_DIST, PHONE, Admin
from .portal import PORTAL_DIST, Portal


@pytest.fixture
def admin(browser, platform, screenshot_dir):
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
        yield Admin(page, platform.base_url, screenshot_dir)
    finally:
        context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


@pytest.fixture
def portal(browser_context, platform):
    """The portal in its own browser profile (the customer's phone)."""
    if not (PORTAL_DIST / "index.html").exists():
        pytest.fail("the portal is not built: cd customer-portal && npm ci && npm run build")
    return Portal(browser_context.new_page(), platform.base_url)

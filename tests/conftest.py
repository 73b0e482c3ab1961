"""Fixtures for the integration and browser tests: one real platform per test session."""

import os
import shutil
from contextlib import ExitStack
from pathlib import Path

import pytest

from mubayiro.common.testing import postgres_database

from .helpers import register_business, sign_in_customer, unique
from .platform import WITH_DATABASE, Platform

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def pytest_configure(config):
    # Registered by xdist itself, but also needed (--strict-markers) under `-p no:xdist`.
    config.addinivalue_line("markers", "xdist_group(name): run on the named xdist worker")


def pytest_collection_modifyitems(items):
    # Keep every test that needs the running platform on one xdist worker, sharing it.
    for item in items:
        path = str(item.fspath)
        if "tests/integration" in path or "tests/browser" in path:
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.xdist_group("platform"))


#: The databases the integration tests run the whole platform on (browser tests: SQLite).
DATABASES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    # Every integration test runs twice, on SQLite files and on PostgreSQL (as production
    # does); the browser tests once, on SQLite.
    if "platform" in metafunc.fixturenames:
        databases = DATABASES if "tests/integration" in str(metafunc.definition.fspath) else (
            "sqlite",)
        metafunc.parametrize("platform", databases, indirect=True, scope="session")


@pytest.fixture(scope="session")
def platform(request, tmp_path_factory):
    """The running platform on ``request.param``: every service on SQLite or on PostgreSQL
    (a fresh database per service on the server at 127.0.0.1:5432)."""
    database = getattr(request, "param", "sqlite")
    with ExitStack() as stack:
        urls = {}
        if database == "postgresql":
            urls = {name: stack.enter_context(postgres_database(f"platform_{name}"))
                    for name in WITH_DATABASE}
        p = Platform(tmp_path_factory.mktemp(f"platform-{database}"), database_urls=urls)
        stack.callback(p.stop_all)
        p.start_all()
        yield p


@pytest.fixture
def gw(platform):
    with platform.client() as client:
        yield client


@pytest.fixture
def business(gw):
    """A freshly registered business: (id, auth headers, email)."""
    return register_business(gw, unique("Mbare Coffee"), "Tendai Moyo")


@pytest.fixture
def customer_login(gw):
    """Sign a customer in by SMS code: ``customer_login(phone)`` → auth headers."""
    return lambda phone: sign_in_customer(gw, phone)


def chromium_path() -> str | None:
    """Debian's Chromium (test tools cannot download browsers here)."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium driven by Playwright; a missing browser fails in CI.

    One per module, not per session: Playwright's sync API keeps an event loop running in
    the main thread while it is open, and the MCP integration tests need to run their own.
    """
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium (.ci/run installs Debian's chromium package)")
        pytest.skip("Chromium is not installed (apt-get install chromium); this fails in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def browser_context(browser, platform):
    """A fresh browser profile pointed at the gateway: phone-sized, English, Harare time."""
    context = browser.new_context(
        base_url=platform.base_url, ignore_https_errors=True,  # local CA; TLS tested elsewhere
        viewport={"width": 375, "height": 800}, locale="en-GB", timezone_id="Africa/Harare")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def screenshot_dir():
    """Where browser tests save their screenshots (kept by CI as artifacts)."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

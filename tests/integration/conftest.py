"""Fixtures for the integration tests: one real platform per test session."""

import uuid

import pytest

from .platform import Platform


def pytest_collection_modifyitems(items):
    # Keep every integration test on one xdist worker, sharing one running platform.
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.xdist_group("platform"))


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    p = Platform(tmp_path_factory.mktemp("platform"))
    try:
        p.start_all()
        yield p
    finally:
        p.stop_all()


@pytest.fixture
def gw(platform):
    with platform.client() as client:
        yield client


@pytest.fixture
def business(gw):
    """A freshly registered business: (id, auth headers, email)."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.co.zw"
    r = gw.post("/auth/register_business", json={
        "name": f"Mbare Coffee {uuid.uuid4().hex[:4]}", "contact_person": "Tendai Moyo",
        "email": email, "password": "Sadza2026!"})
    assert r.status_code == 201, r.text
    token = gw.post("/auth/login_business",
                    json={"email": email, "password": "Sadza2026!"}).json()["access_token"]
    return r.json()["id"], {"Authorization": f"Bearer {token}"}, email

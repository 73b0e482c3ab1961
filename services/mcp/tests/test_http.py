"""The HTTP face of the MCP server: 401 with the challenge, the protected-resource
metadata, rate limits (429 + Retry-After), and the plain-JSON mirror routes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ALICE = "+263771111111"
BOB = "+263772222222"
INIT = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream",
               "MCP-Protocol-Version": "2025-06-18"}


@pytest.fixture
def mcp(make_mcp):
    with TestClient(make_mcp(rate_limit=5)) as client:
        yield client


@pytest.mark.parametrize("auth", [None, "Bearer nonsense", "Basic abc"])
def test_no_or_bad_token_is_401_with_a_challenge(mcp, auth):
    headers = {**MCP_HEADERS, **({"Authorization": auth} if auth else {})}

    resp = mcp.post("/mcp", json=INIT, headers=headers)

    assert resp.status_code == 401
    challenge = resp.headers["www-authenticate"]
    assert challenge.startswith("Bearer ")
    assert ('resource_metadata="https://mubayiro.test/mcp/.well-known/'
            'oauth-protected-resource"') in challenge
    assert resp.json()["error"] in {"Unauthorized", "InvalidToken"}


def test_expired_and_wrong_audience_tokens_are_401(mcp, coalition):
    for token in (coalition.keys.customer_token(ALICE, expires_in=-60),
                  coalition.keys.customer_token(ALICE, audience="elsewhere")):
        resp = mcp.post("/mcp", json=INIT,
                        headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"})
        assert resp.status_code == 401
        assert 'error="invalid_token"' in resp.headers["www-authenticate"]


def test_a_service_token_is_refused(mcp, coalition):
    resp = mcp.post("/mcp", json=INIT, headers={
        **MCP_HEADERS, "Authorization": f"Bearer {coalition.keys.service_token('chatbot')}"})

    assert resp.status_code == 401  # the internal audience is not this resource's


@pytest.mark.parametrize("path", ["/.well-known/oauth-protected-resource",
                                  "/.well-known/oauth-protected-resource/mcp",
                                  "/mcp/.well-known/oauth-protected-resource"])
def test_protected_resource_metadata(mcp, path):
    body = mcp.get(path).json()

    assert body["resource"] == "https://mubayiro.test/mcp"
    assert body["authorization_servers"] == ["https://mubayiro.test/auth"]
    assert body["bearer_methods_supported"] == ["header"]


def test_rate_limit_per_token_answers_429_with_retry_after(mcp, coalition):
    alice = {**MCP_HEADERS, **coalition.as_customer(ALICE)}
    statuses = [mcp.post("/mcp", json=INIT, headers=alice).status_code for _ in range(6)]

    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    last = mcp.post("/mcp", json=INIT, headers=alice)
    assert 1 <= int(last.headers["retry-after"]) <= 60
    # Another token has its own window.
    assert mcp.post("/mcp", json=INIT, headers={**MCP_HEADERS, **coalition.as_customer(BOB)}
                    ).status_code == 200
    # The JSON routes count against the same window.
    assert mcp.get(f"/mcp/customer/points/{ALICE}",
                   headers=coalition.as_customer(ALICE)).status_code == 429


def test_json_mirror_of_points_and_transactions(mcp, coalition):
    h = coalition.as_customer(ALICE)

    points = mcp.get(f"/mcp/customer/points/{ALICE}", headers=h).json()
    history = mcp.get(f"/mcp/customer/transactions/{ALICE}?limit=2", headers=h).json()

    assert points["total_points"] == 40
    assert [t["points"] for t in history["transactions"]] == [7, 12]


def test_json_mirror_of_business_and_recommendations(mcp, coalition):
    h = coalition.as_customer(ALICE)

    assert mcp.get("/mcp/business/1", headers=h).json()["name"] == "Mazoe Cafe"
    assert mcp.get("/mcp/business/99", headers=h).status_code == 404
    recs = mcp.get(f"/mcp/recommendations/{ALICE}", headers=h)
    assert recs.status_code == 200 and recs.json()["phone_number"] == ALICE


@pytest.mark.parametrize("path", ["/mcp/customer/points/{p}", "/mcp/customer/transactions/{p}",
                                  "/mcp/recommendations/{p}"])
def test_json_mirror_refuses_another_phone(mcp, coalition, path):
    resp = mcp.get(path.format(p=BOB), headers=coalition.as_customer(ALICE))

    assert resp.status_code == 403
    assert resp.json()["error"] == "NotYourData"
    assert "500" not in resp.text


def test_json_mirror_validates_input(mcp, coalition):
    h = coalition.as_customer(ALICE)

    assert mcp.get("/mcp/customer/points/12345", headers=h).status_code == 422
    assert mcp.get("/mcp/business/0", headers=h).status_code == 422
    assert mcp.get(f"/mcp/customer/transactions/{ALICE}?limit=0", headers=h).status_code == 422
    assert mcp.get(f"/mcp/customer/points/{ALICE}").status_code == 401

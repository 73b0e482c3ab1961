"""The MCP server and the chatbot on the running platform, through Traefik over HTTPS:

- the SDK's own MCP client over streamable HTTP at ``/mcp`` lists the tools a token may
  use (with their schemas), calls each with the right data for the token's customer or
  business, and is refused another's;
- ``POST /chat/messages`` answers the seed's three questions with live figures;
- an SMS question to the inbound webhook gets the balance back as the SMS reply;
- ``loyalty-chat`` signs in by SMS code and chats.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mubayiro.chatbot import terminal
from mubayiro.common.testing import wait_until
from tests.helpers import new_phone

CUSTOMER_TOOLS = {"get_customer_points", "get_customer_transactions", "get_recommendations",
                  "get_business", "get_business_offers"}
BUSINESS_TOOLS = {"get_customer_points", "get_customer_transactions", "get_business",
                  "get_business_offers", "get_business_summary", "find_customer"}
NOT_YOURS = "You can only see your own phone number's data"


@pytest.fixture
def shop(gw, business):
    """The business, a reward in its catalog, and a customer who earned 42 points there."""
    business_id, headers, _ = business
    # Loyalty learns of the business from auth's event, a moment after registration.
    known = wait_until(lambda: gw.get(f"/businesses/{business_id}").status_code == 200,
                       message="loyalty to know the business")
    assert known
    name = gw.get(f"/businesses/{business_id}").json()["name"]
    r = gw.post(f"/businesses/{business_id}/rewards", headers=headers,
                json={"name": "Free muffin", "points_cost": 40})
    assert r.status_code == 201, r.text
    phone = new_phone()
    for amount in ("30.00", "12.50"):
        r = gw.post("/transactions/add_points", headers=headers, json={
            "business_id": business_id, "customer_phone_number": phone,
            "amount_spent": amount})
        assert r.status_code == 201, r.text
    return {"id": business_id, "headers": headers, "name": name, "phone": phone}


@asynccontextmanager
async def mcp_client(platform, headers: dict[str, str]) -> AsyncIterator[Client]:
    """The SDK's MCP client through Traefik, trusting the platform's CA."""
    async with httpx2.AsyncClient(headers=headers, verify=platform.ssl_context(),
                                  timeout=30) as http:
        transport = streamable_http_client(f"{platform.base_url}/mcp", http_client=http)
        async with Client(transport) as client:
            yield client


async def test_a_customer_uses_the_mcp_tools_for_their_own_data_only(platform, shop,
                                                                     customer_login):
    headers = customer_login(shop["phone"])
    async with mcp_client(platform, headers) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        points = await client.call_tool("get_customer_points", {"phone_number": shop["phone"]})
        history = await client.call_tool("get_customer_transactions",
                                         {"phone_number": shop["phone"], "limit": 1})
        recs = await client.call_tool("get_recommendations", {"phone_number": shop["phone"]})
        business = await client.call_tool("get_business", {"business_id": shop["id"]})
        offers = await client.call_tool("get_business_offers",
                                        {"business_name": shop["name"]})
        other = await client.call_tool("get_customer_points", {"phone_number": new_phone()})
        summary = await client.call_tool("get_business_summary", {})

    assert set(tools) == CUSTOMER_TOOLS
    assert tools["get_customer_points"].input_schema["required"] == ["phone_number"]
    assert "total_points" in tools["get_customer_points"].output_schema["properties"]
    assert points.structured_content["total_points"] == 42
    assert [t["business_name"] for t in points.structured_content["recent_transactions"]] == \
        [shop["name"], shop["name"]]
    assert [t["points"] for t in history.structured_content["transactions"]] == [12]
    assert not recs.is_error and "recommendations" in recs.structured_content
    assert business.structured_content["name"] == shop["name"]
    assert offers.structured_content["matched"] is True
    assert [r["name"] for r in offers.structured_content["business"]["rewards"]] == \
        ["Free muffin"]
    assert other.is_error and other.content[0].text.endswith(NOT_YOURS)
    assert summary.is_error  # a business-only tool: as unknown as any other name


async def test_a_business_uses_its_tools_for_its_customers(platform, gw, shop, business):
    # Reports learns of the points from loyalty's events, a moment after they are given.
    wait_until(lambda: gw.get("/reports/total_points_issued", headers=shop["headers"])
               .json().get("total_points_issued") == 42, message="reports to catch up")
    async with mcp_client(platform, shop["headers"]) as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        found = await client.call_tool("find_customer", {"phone_number": shop["phone"]})
        summary = await client.call_tool("get_business_summary", {})
        stranger = await client.call_tool("find_customer", {"phone_number": new_phone()})

    assert tools == BUSINESS_TOOLS
    assert found.structured_content["total_points"] == 42
    assert len(found.structured_content["transactions"]) == 2
    assert summary.structured_content["total_points_issued"] == 42
    assert stranger.is_error


async def test_another_business_cannot_see_this_shops_customer(platform, gw, shop):
    email = f"other-{random.randint(0, 10**8)}@example.co.zw"
    r = gw.post("/auth/register_business", json={
        "name": "Other Shop", "contact_person": "Rudo", "email": email,
        "password": "Sadza2026!"})
    assert r.status_code == 201, r.text
    wait_until(lambda: gw.get(f"/businesses/{r.json()['id']}").status_code == 200,
               message="loyalty to know the other business")
    token = gw.post("/auth/login_business",
                    json={"email": email, "password": "Sadza2026!"}).json()["access_token"]

    async with mcp_client(platform, {"Authorization": f"Bearer {token}"}) as client:
        found = await client.call_tool("find_customer", {"phone_number": shop["phone"]})

    assert found.is_error
    assert "42" not in found.content[0].text


def test_mcp_without_a_token_is_a_401_challenge(gw):
    r = gw.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})

    assert r.status_code == 401
    assert "resource_metadata=" in r.headers["www-authenticate"]
    assert gw.get("/mcp/.well-known/oauth-protected-resource").json()["resource"].endswith(
        "/mcp")


def test_the_chatbot_answers_the_three_seed_questions(gw, shop, customer_login):
    headers = customer_login(shop["phone"])

    def chat(message: str) -> dict:
        r = gw.post("/chat/messages", headers=headers, json={"message": message})
        assert r.status_code == 200, r.text
        return r.json()

    points = chat("How many points do I have?")
    history = chat("Show my recent transactions.")
    offers = chat(f"What are the latest offers from {shop['name']}?")
    other = chat("How many points does +263779999999 have?")

    # Points count at every shop: the reward named is the cheapest the customer can afford
    # anywhere in the coalition, which on this shared test platform may be another shop's.
    assert points["reply"].startswith("You have 42 points. You can already redeem ")
    assert points["tools_used"] == ["get_customer_points"]
    assert history["tools_used"] == ["get_customer_transactions"]
    assert history["reply"].startswith(f"Your recent transactions: +12 points at {shop['name']}")
    assert f"+30 points at {shop['name']}" in history["reply"]
    assert offers == {"reply": f"{shop['name']} offers: Free muffin (40 points).",
                      "tools_used": ["get_business_offers"]}
    assert other["reply"] == "I can only share information about your own phone number."


def test_an_sms_question_gets_the_balance_by_sms(gw, shop):
    r = gw.post("/sms/inbound", data={
        "From": shop["phone"], "Body": "how many points do i have",
        "MessageSid": f"SM{random.randint(0, 10**12)}"})

    assert r.status_code == 200, r.text
    reply = unescape(re.search(r"<Message>(.*)</Message>", r.text, re.S).group(1))
    assert reply.startswith("You have 42 points. You can already redeem ")  # see above
    assert len(reply) <= 160


def test_loyalty_chat_signs_in_by_sms_code_and_chats(platform, shop):
    typed = iter(["my points", "offers from " + shop["name"], "quit"])
    printed: list[str] = []
    args = terminal.parse_args(["--phone", shop["phone"], "--base-url", platform.base_url,
                                "--cacert", str(platform.ca_file)])

    status = terminal.run(args, read=lambda prompt: next(typed), write=printed.append)

    assert status == 0, printed
    assert printed[0].startswith(f"Signed in as {shop['phone']}.")
    assert printed[1].startswith("bot> You have 42 points.")
    assert printed[2] == f"bot> {shop['name']} offers: Free muffin (40 points)."

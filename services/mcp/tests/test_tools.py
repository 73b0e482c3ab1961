"""The MCP tools through the SDK's own client over streamable HTTP: what each token sees
in ``tools/list``, the schemas, each tool's data for its caller, and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mubayiro.common.testing import wait_until
from mubayiro.loyalty.lots.expiry import expiry_service

ALICE = "+263771111111"
BOB = "+263772222222"
CUSTOMER_TOOLS = {"get_customer_points", "get_customer_transactions", "get_recommendations",
                  "get_business", "get_business_offers"}
BUSINESS_TOOLS = {"get_customer_points", "get_customer_transactions", "get_business",
                  "get_business_offers", "get_business_summary", "find_customer"}


async def test_a_customer_never_sees_the_business_tools(connect, coalition):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        tools = (await client.list_tools()).tools

    assert {t.name for t in tools} == CUSTOMER_TOOLS


async def test_a_business_sees_its_tools_with_typed_schemas(connect, coalition):
    async with connect(coalition.keys.business_token(1)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}

    assert set(tools) == BUSINESS_TOOLS
    for tool in tools.values():
        assert tool.description and len(tool.description) > 40
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
    points = tools["get_customer_points"]
    assert points.input_schema["required"] == ["phone_number"]
    assert points.input_schema["properties"]["phone_number"]["type"] == "string"
    assert "total_points" in points.output_schema["properties"]
    assert tools["get_customer_transactions"].input_schema["properties"]["limit"]["type"] == \
        "integer"


async def test_customer_reads_their_points_with_business_names(connect, coalition):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        result = await client.call_tool("get_customer_points", {"phone_number": "0771111111"})

    assert not result.is_error
    data = result.structured_content
    assert data["phone_number"] == ALICE
    assert data["total_points"] == 40
    assert [t["points"] for t in data["recent_transactions"]] == [7, 12, 5, 8, 3]
    assert data["recent_transactions"][0]["business_name"] == "Mazoe Cafe"
    assert [r["name"] for r in data["redeemable_rewards"]] == ["Free coffee"]


async def test_customer_transactions_are_newest_first_and_the_limit_is_capped(
        connect, coalition):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        three = await client.call_tool("get_customer_transactions",
                                       {"phone_number": ALICE, "limit": 3})
        huge = await client.call_tool("get_customer_transactions",
                                      {"phone_number": ALICE, "limit": 100000})

    assert [t["points"] for t in three.structured_content["transactions"]] == [7, 12, 5]
    assert huge.structured_content["limit"] == 50
    assert len(huge.structured_content["transactions"]) == 7


@pytest.mark.parametrize("tool", ["get_customer_points", "get_customer_transactions",
                                  "get_recommendations"])
@pytest.mark.parametrize("other", [BOB, "+263779999999"])
async def test_another_phone_is_refused_and_nothing_is_revealed(connect, coalition, tool, other):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        result = await client.call_tool(tool, {"phone_number": other})

    assert result.is_error
    text = result.content[0].text
    # One refusal for a customer and a stranger alike: nothing about the number leaks.
    assert text.endswith(": You can only see your own phone number's data")
    assert result.structured_content is None


async def test_customer_calling_a_business_tool_gets_the_unknown_tool_answer(connect, coalition):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        hidden = await client.call_tool("find_customer", {"phone_number": BOB})
        unknown = await client.call_tool("no_such_tool", {})

    assert hidden.is_error and hidden.content[0].text == "Unknown tool: find_customer"
    assert unknown.is_error and unknown.content[0].text == "Unknown tool: no_such_tool"


async def test_recommendations_are_the_customers_own(connect, coalition):
    own = coalition.loyalty.get(f"/customers/recommendations/{ALICE}",
                                headers=coalition.as_customer(ALICE)).json()

    async with connect(coalition.keys.customer_token(ALICE)) as client:
        result = await client.call_tool("get_recommendations", {"phone_number": ALICE})

    assert result.structured_content == {"phone_number": ALICE, **own}


async def test_get_business_shows_rate_and_rewards(connect, coalition):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        found = await client.call_tool("get_business", {"business_id": 2})
        missing = await client.call_tool("get_business", {"business_id": 99})

    assert found.structured_content["name"] == "Harare Butchery"
    assert found.structured_content["loyalty_rate"] in {"2", "2.0000"}
    assert [r["name"] for r in found.structured_content["rewards"]] == ["Braai pack"]
    assert missing.is_error and missing.content[0].text.endswith("No business with that id")


@pytest.mark.parametrize("name", ["Mazoe Cafe", "mazoe cafe", "Mazoe Cafee", "mazoe kafe",
                                  "Mazoe"])
async def test_offers_tolerate_typos(connect, coalition, name):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        result = await client.call_tool("get_business_offers", {"business_name": name})

    data = result.structured_content
    assert data["matched"] is True
    assert data["business"]["name"] == "Mazoe Cafe"
    assert [r["name"] for r in data["business"]["rewards"]] == ["Free coffee", "Cake"]
    assert data["partners"] == [{"id": 2, "name": "Harare Butchery"}]


@pytest.mark.parametrize("name", ["Spar Borrowdale", "zzz"])
async def test_an_unknown_name_is_not_guessed(connect, coalition, name):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        result = await client.call_tool("get_business_offers", {"business_name": name})

    assert result.structured_content["matched"] is False
    assert result.structured_content["business"] is None


async def test_a_business_registered_after_the_directory_was_read_is_found_by_name(
        connect, coalition):
    async with connect(coalition.keys.customer_token(ALICE)) as client:
        await client.call_tool("get_business_offers", {"business_name": "Mazoe Cafe"})
        coalition.business(9, "Mazoe Cafe Express")

        # At once: the cached directory lacks it, loyalty itself is asked for the exact name.
        result = await client.call_tool("get_business_offers",
                                        {"business_name": "mazoe cafe express"})

    assert result.structured_content["matched"] is True
    assert result.structured_content["business"]["name"] == "Mazoe Cafe Express"


async def test_business_summary_is_the_callers_own(connect, coalition):
    async with connect(coalition.keys.business_token(2)) as client:
        result = await client.call_tool("get_business_summary", {})
        bad = await client.call_tool("get_business_summary",
                                     {"from_date": "2026-12-02", "to_date": "2026-01-01"})

    data = result.structured_content
    assert data["business_id"] == 2
    assert data["total_points_issued"] == 524
    assert data["customer_count"] == 2
    assert bad.is_error


async def test_business_summary_shows_refunds_expiry_and_imports(connect, coalition):
    carol, dan = "+263773333333", "+263774444444"
    loyalty = coalition.loyalty
    rules = loyalty.post("/businesses/1/loyalty_rules", headers=coalition.as_business(1),
                         json={"loyalty_rate": "1", "points_expire_after_days": 30})
    assert rules.status_code == 200, rules.text
    earn = coalition.earn(1, carol, "100.00")["transaction_id"]
    coalition.earn(1, dan, "20.00")
    redeem = {"business_id": 1, "customer_phone_number": carol,
              "reward_description": "Free coffee"}
    coffee = coalition.write(1, "/transactions/redeem_points",
                             {**redeem, "points_to_redeem": 30})["transaction_id"]
    coalition.write(1, f"/transactions/{coffee}/reverse", {})  # 30 given back
    coalition.write(1, "/transactions/redeem_points", {**redeem, "points_to_redeem": 60})
    refund = coalition.write(1, f"/transactions/{earn}/reverse", {})  # 40 of 100 left
    assert (refund["points"], refund["shortfall"]) == (-40, 60)
    imported = loyalty.post("/businesses/1/import/balances?dry_run=false",
                            content="phone_number,points\n0775555555,25\n",
                            headers={"Content-Type": "text/csv", **coalition.as_business(1)})
    assert imported.status_code == 200, imported.text
    # Dan's 20 points and the 25 imported reach their date unspent (the expiry job, a
    # month on).
    expired = expiry_service.run(loyalty.app.state.database, loyalty.app.state.publisher,
                                 now=datetime.now(UTC) + timedelta(days=31))
    assert expired == 2
    net = 16 + 100 + 20 + 25 + 30 - 90 - 40 - 45  # the business's ledger sum
    wait_until(lambda: loyalty_net(coalition) == net, message="reports to catch up")

    async with connect(coalition.keys.business_token(1)) as client:
        result = await client.call_tool("get_business_summary", {})

    data = result.structured_content
    assert data["total_points_issued"] == 136
    assert data["total_redemptions"] == {"count": 2, "points": 90}
    assert data["total_reversals"] == {"count": 2, "points_reversed": 40, "shortfall": 60,
                                       "points_given_back": 30}
    assert (data["total_points_expired"], data["total_points_imported"]) == (45, 25)
    assert data["net_points"] == net
    daily = data["daily"]
    assert sum(d["points_reversed"] for d in daily) == 40
    assert sum(d["points_given_back"] for d in daily) == 30
    assert sum(d["points_imported"] for d in daily) == 25
    assert [d["points_expired"] for d in daily if d["points_expired"]] == [45]
    assert daily[-1]["date"] == (datetime.now(UTC) + timedelta(days=31)).date().isoformat()


def loyalty_net(coalition) -> int | None:
    """Business 1's ``net_points`` according to reports (None until it answers)."""
    resp = coalition.reports.get("/reports/summary", headers=coalition.as_business(1))
    return resp.json().get("net_points") if resp.status_code == 200 else None


async def test_find_customer_shows_only_this_business(connect, coalition):
    async with connect(coalition.keys.business_token(2)) as client:
        alice = await client.call_tool("find_customer", {"phone_number": ALICE})
        stranger = await client.call_tool("find_customer", {"phone_number": "+263779999999"})
        points = await client.call_tool("get_customer_points", {"phone_number": ALICE})

    assert alice.structured_content["total_points"] == 40
    assert {t["business_id"] for t in alice.structured_content["transactions"]} == {2}
    assert stranger.is_error
    assert stranger.content[0].text.endswith(
        "No customer with that phone number at your business")
    assert {t["business_id"] for t in points.structured_content["recent_transactions"]} == {2}
    assert points.structured_content["redeemable_rewards"] == []


async def test_the_callers_token_is_never_passed_on(connect, coalition):
    token = coalition.keys.customer_token(ALICE)
    async with connect(token) as client:
        await client.call_tool("get_customer_points", {"phone_number": ALICE})

    sent = [auth for host, _path, auth in coalition.peers.calls if host == "loyalty.test"]
    assert sent and all(auth != f"Bearer {token}" for auth in sent)
    assert all(auth == f"Bearer {coalition.keys.service_token('mcp')}" for auth in sent[-2:])

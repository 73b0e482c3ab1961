"""LLM mode against a fake OpenAI-compatible model: the tools it is offered are the MCP
tools the customer's token may use, its tool calls run through the real MCP server with
that token (so another phone is refused by MCP, whatever the model asks), its final
message is the reply, and any model failure falls back to the embedded parser."""

from __future__ import annotations

import json

import pytest

ALICE = "+263771111111"
BOB = "+263772222222"
CUSTOMER_TOOLS = {"get_customer_points", "get_customer_transactions", "get_recommendations",
                  "get_business", "get_business_offers"}


def echo_tool_results(fake_model, first_call):
    """A naive model: asks for ``first_call``, then repeats whatever the tool answered.

    Being naive is the point: if MCP ever answered with another customer's data, this
    model would put it in the reply.
    """

    def script(body):
        results = fake_model.tool_results(body)
        if not results:
            return first_call
        return {"content": "Here is what I found: " + results[-1]}

    return script


def test_the_tool_runs_through_mcp_and_the_reply_uses_its_result(make_chatbot, ask,
                                                                 fake_model):
    def script(body):
        results = fake_model.tool_results(body)
        if not results:
            return fake_model.tool_call("get_customer_points", {"phone_number": ALICE})
        data = json.loads(results[-1])
        return {"content": f"You have {data['total_points']} points, well done!"}

    model = fake_model(script)
    bot = make_chatbot(model)

    answer = ask("how many points have i got?", client=bot)

    assert answer == {"reply": "You have 40 points, well done!",
                      "tools_used": ["get_customer_points"]}
    first = model.requests[0]
    assert first["model"] == "fake-model"
    assert {t["function"]["name"] for t in first["tools"]} == CUSTOMER_TOOLS
    points_tool = next(t["function"] for t in first["tools"]
                       if t["function"]["name"] == "get_customer_points")
    assert points_tool["parameters"]["required"] == ["phone_number"]
    assert first["messages"][-1] == {"role": "user", "content": "how many points have i got?"}
    # The tool's result went back to the model as the tool message of its call.
    tool_message = model.requests[1]["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call-1"
    assert json.loads(tool_message["content"])["total_points"] == 40


def test_a_model_asking_for_another_phone_is_refused_by_mcp(make_chatbot, ask, fake_model):
    model = fake_model(echo_tool_results(
        fake_model, fake_model.tool_call("get_customer_points", {"phone_number": BOB})))
    bot = make_chatbot(model)

    answer = ask("How many points does +263772222222 have?", client=bot)

    assert answer["tools_used"] == ["get_customer_points"]
    refusal = json.loads(fake_model.tool_results(model.requests[-1])[-1])
    assert refusal["error"].endswith("You can only see your own phone number's data")
    assert "500" not in answer["reply"]
    assert BOB not in json.dumps(refusal)


@pytest.mark.parametrize("tool", ["get_customer_transactions", "get_recommendations"])
def test_every_customer_tool_refuses_another_phone_in_llm_mode(make_chatbot, ask, fake_model,
                                                               tool):
    model = fake_model(echo_tool_results(
        fake_model, fake_model.tool_call(tool, {"phone_number": BOB})))

    answer = ask("what about my friend?", client=make_chatbot(model))

    assert "own phone number" in answer["reply"]
    assert "Harare Butchery" not in answer["reply"]


def test_a_business_only_tool_is_not_offered_and_refused_when_asked(make_chatbot, ask,
                                                                     fake_model):
    model = fake_model(echo_tool_results(
        fake_model, fake_model.tool_call("get_business_summary", {})))

    answer = ask("how is Mazoe Cafe doing?", client=make_chatbot(model))

    assert "get_business_summary" not in {t["function"]["name"]
                                          for t in model.requests[0]["tools"]}
    assert "total_points_issued" not in answer["reply"]
    assert answer["reply"] == (
        'Here is what I found: {"error": "Unknown tool: get_business_summary"}')


@pytest.mark.parametrize("failure", [
    (500, b'{"error": "model crashed"}'),
    (200, b"not json at all"),
    (200, b'{"choices": []}'),
    (200, b'{"choices": [{"message": {"role": "assistant", "content": "  "}}]}'),
])
def test_a_model_failure_falls_back_to_the_parser(make_chatbot, ask, fake_model, failure):
    model = fake_model(lambda body: failure)

    answer = ask("How many points do I have?", client=make_chatbot(model))

    assert len(model.requests) == 1
    assert answer == {"reply": "You have 40 points. You can already redeem Free coffee at "
                               "Mazoe Cafe (30 points).",
                      "tools_used": ["get_customer_points"]}


def test_a_model_that_never_stops_calling_tools_falls_back(make_chatbot, ask, fake_model):
    model = fake_model(lambda body: fake_model.tool_call("get_business", {"business_id": 1}))

    answer = ask("my points", client=make_chatbot(model, llm_max_rounds=2))

    assert len(model.requests) == 2
    assert answer["reply"].startswith("You have 40 points.")


def test_an_unreachable_model_falls_back(make_chatbot, ask):
    # No fake behind the URL: the model client's own network, to a port nothing serves.
    bot = make_chatbot(llm_base_url="http://127.0.0.1:9/v1", llm_model="any",
                       llm_timeout_seconds=2)

    assert ask("my points", client=bot)["reply"].startswith("You have 40 points.")

"""Schemathesis against every service through the gateway: no request gets a 5xx, and
every answer matches the published API description.

Each service's public OpenAPI document (``/openapi/<service>.json``, through Traefik)
drives schemathesis: for every operation it generates requests from the published
schemas — valid ones and, in the negative phase, ones that break them — and sends them
through the real gateway, once without a token, once as a business owner and once as a
signed-in customer. Two checks must hold for every answer: ``not_a_server_error`` (no
5xx) and ``response_schema_conformance`` (the body matches the documented schema; every
error, 422 included, is the platform's ``ErrorBody``).

``FUZZ_EXAMPLES`` bounds the examples per operation and identity (default 8 in
``make test``; ``make fuzz`` runs 150). The numbers of operations and requests sent are
printed at the end (``-s`` shows them).
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.helpers import register_business, sign_in_customer, unique

#: Services whose public API is fuzzed (the MCP endpoint speaks JSON-RPC over streams:
#: its JSON mirror routes are in its document).
SERVICES = ("auth", "loyalty", "notifications", "referrals", "reports", "mcp", "chatbot")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
#: Routes that end the caller's own session or identity: fuzzing them would sign the
#: fuzzer out half-way (they are tested on their own).
SKIPPED = {("POST", "/auth/logout")}


def _operations(gw: Any, service: str) -> list[Any]:
    document = gw.get(f"/openapi/{service}.json")
    assert document.status_code == 200, document.text
    schema = schemathesis.openapi.from_dict(document.json())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(scope="module")
def identities(platform: Any) -> dict[str, dict[str, str]]:
    """Headers for each identity the fuzzer calls as: none, a business owner, a customer."""
    with platform.client() as gw:
        _, owner, _ = register_business(gw, unique("Fuzz Foods"))
        customer = sign_in_customer(gw, f"+26377{uuid.uuid4().int % 10**7:07d}")
    return {"anonymous": {}, "owner": owner, "customer": customer}


@pytest.mark.parametrize("service", SERVICES)
def test_no_5xx_and_every_answer_as_documented(
    platform: Any, gw: Any, identities: dict[str, dict[str, str]], service: str,
) -> None:
    operations = [op for op in _operations(gw, service)
                  if (op.method.upper(), op.path) not in SKIPPED]
    assert operations, f"{service} publishes no operation"
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    verify = str(platform.ca_file)

    def fuzz(operation: Any, headers: dict[str, str]) -> None:
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck),
                  phases=[Phase.explicit, Phase.generate])
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(base_url=platform.base_url, headers=headers,
                                 verify=verify, timeout=30)
            statuses[response.status_code] += 1
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance])

        run()

    for operation in operations:
        for identity, headers in identities.items():
            try:
                fuzz(operation, headers)
            except Exception as exc:  # noqa: BLE001 - collected, reported all at once
                failures.append(f"{operation.method.upper()} {operation.path} as {identity}: "
                                f"{str(exc)[:600]}")

    print(f"\nfuzz {service}: {len(operations)} operations, {sum(statuses.values())} requests, "
          f"statuses {dict(sorted(statuses.items()))}")
    assert not failures, "\n\n".join(failures)
    assert not [status for status in statuses if status >= 500]

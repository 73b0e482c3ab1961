"""Staff claims of business tokens, and the owner-only dependency every service uses."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from mubayiro.common.errors import install_error_handlers
from mubayiro.common.security import CurrentBusiness, CurrentOwner, require_owner
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.testing import TestKeys
from mubayiro.common.tokens import InvalidToken, Principal


@pytest.fixture(scope="module")
def keys() -> TestKeys:
    return TestKeys()


def test_a_cashier_token_names_the_business_and_the_member(keys):
    token = keys.business_token(7, staff_id=12, staff_role="cashier")
    principal = keys.verifier().verify(token, audience="mubayiro")
    assert principal == Principal(role="business", subject="business:7", business_id=7,
                                  staff_id=12, staff_role="cashier")
    assert not principal.is_owner


def test_an_owner_token_is_an_owner(keys):
    token = keys.business_token(7, staff_id=3, staff_role="owner")
    assert keys.verifier().verify(token, audience="mubayiro").is_owner


def test_a_token_from_before_staff_accounts_is_the_owners(keys):
    principal = keys.verifier().verify(keys.business_token(7), audience="mubayiro")
    assert principal.staff_id is None and principal.staff_role is None
    assert principal.is_owner


def test_a_customer_is_never_an_owner(keys):
    principal = keys.verifier().verify(keys.customer_token("+263771234567"), audience="mubayiro")
    assert not principal.is_owner


@pytest.mark.parametrize(
    "extra",
    [
        {"staff_id": 3},  # a role is missing
        {"staff_role": "owner"},  # an id is missing
        {"staff_id": 3, "staff_role": "manager"},  # not a role
        {"staff_id": 3, "staff_role": "Owner"},
        {"staff_id": "3", "staff_role": "owner"},  # not an integer
        {"staff_id": True, "staff_role": "owner"},
        {"staff_id": 0, "staff_role": "owner"},
        {"staff_id": None, "staff_role": "cashier"},
    ],
)
def test_malformed_staff_claims_are_refused(keys, extra):
    claims = {"sub": "business:7", "role": "business", "business_id": 7, **extra}
    with pytest.raises(InvalidToken, match="staff"):
        keys.verifier().verify(keys.token(claims), audience="mubayiro")


def _app(keys: TestKeys) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.state.token_verifier = keys.verifier()
    app.state.settings = ServiceSettings(_env_file=None, environment="test")

    @app.get("/owner-only")
    def owner_only(owner: CurrentOwner) -> dict[str, int | None]:
        return {"business_id": owner.business_id, "staff_id": owner.staff_id}

    @app.get("/any-staff")
    def any_staff(business: CurrentBusiness) -> dict[str, int | None]:
        return {"business_id": business.business_id}

    @app.get("/as-dependency", dependencies=[Depends(require_owner)])
    def as_dependency() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/annotated")
    def annotated(owner: Annotated[Principal, Depends(require_owner)]) -> dict[str, bool]:
        return {"ok": owner.is_owner}

    return app


def _get(client: TestClient, path: str, token: str | None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    resp = client.get(path, headers=headers)
    return resp.status_code, resp.json()


def test_require_owner_lets_owners_through_and_refuses_cashiers(keys):
    client = TestClient(_app(keys))
    owner = keys.business_token(7, staff_id=3, staff_role="owner")
    cashier = keys.business_token(7, staff_id=4, staff_role="cashier")
    assert _get(client, "/owner-only", owner) == (200, {"business_id": 7, "staff_id": 3})
    for path in ("/owner-only", "/as-dependency", "/annotated"):
        status, body = _get(client, path, cashier)
        assert (status, body["error"]) == (403, "OwnerOnly"), path
    # A cashier still is the business everywhere else.
    assert _get(client, "/any-staff", cashier) == (200, {"business_id": 7})


def test_require_owner_keeps_the_usual_refusals(keys):
    client = TestClient(_app(keys))
    status, body = _get(client, "/owner-only", None)
    assert (status, body["error"]) == (401, "Unauthorized")
    status, body = _get(client, "/owner-only", keys.customer_token("+263771234567"))
    assert (status, body["error"]) == (403, "Forbidden")
    status, body = _get(client, "/owner-only", TestKeys(kid=keys.kid).business_token(7))
    assert (status, body["error"]) == (401, "InvalidToken")

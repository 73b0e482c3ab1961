"""The staff rules below the routes: a business never loses its last owner."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mubayiro.auth.models import Staff
from mubayiro.auth.staff.exceptions import CannotRemoveYourself, LastOwner, StaffNotFound
from mubayiro.auth.staff.service import staff_service
from mubayiro.common.db import utcnow


def _members(app, business_id: int) -> dict[str, Staff]:
    with app.state.database.session(write=False) as s:
        rows = s.scalars(select(Staff).where(Staff.business_id == business_id)).all()
        return {m.email: m for m in rows}


def test_the_last_owner_is_never_removed_even_by_a_member_who_claims_to_be_one(
    client, app, register, login
):
    business = register()
    resp = client.post("/auth/staff", headers={"Authorization": f"Bearer {login()}"}, json={
        "name": "Rudo", "email": "rudo@example.com", "password": "till pass 7",
        "role": "cashier"})
    assert resp.status_code == 201
    with app.state.database.session(write=True) as s:
        members = {m.email: m for m in s.scalars(select(Staff))}
        cashier, owner = members["rudo@example.com"], members["owner@example.com"]
        with pytest.raises(LastOwner):
            staff_service.remove(s, cashier, owner.id, now=utcnow())
        with pytest.raises(CannotRemoveYourself):
            staff_service.remove(s, owner, owner.id, now=utcnow())
        with pytest.raises(StaffNotFound):
            staff_service.remove(s, owner, 12345, now=utcnow())
    assert _members(app, business["id"])["owner@example.com"].removed_at is None

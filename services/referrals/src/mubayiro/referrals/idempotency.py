"""``Idempotency-Key`` on routes that call a peer before they write.

The shared :func:`~mubayiro.common.idempotency.run_idempotent` stores the key with the
write, in the request's write transaction. The routes here first read, then call loyalty
(never while holding the write lock), then write. A retry of a request that already
succeeded must not run those first steps again: they would refuse it (the phone is now
referred, the referral now completed) instead of replaying the first answer. So each
route asks :func:`recorded_response` first, in a short read transaction; only when the
key is new do the checks and the peer call run, and ``run_idempotent`` then records it.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from mubayiro.common.idempotency import run_idempotent, validate_key
from mubayiro.common.tokens import Principal
from mubayiro.referrals.models import idempotency_record


def scope_for(caller: Principal, route: str) -> str:
    """The key's scope: one caller on one route (two callers may use the same key)."""
    return f"{caller.subject} {route}"


def _never() -> NoReturn:
    raise AssertionError("a recorded key never runs its action again")


def recorded_response(
    session: Session, *, scope: str, key: str | None, body: Any
) -> dict[str, Any] | None:
    """The stored answer when ``key`` was already used in ``scope``, else None.

    Raises:
        InvalidInput: the key is malformed (422).
        IdempotencyKeyReused: the key was used with another body (422).
        IdempotencyInFlight: the key's first request has not finished (409).
    """
    key = validate_key(key)
    if key is None:
        return None
    t = idempotency_record
    found = session.execute(
        select(t.c.id).where(t.c.scope == scope, t.c.key == key)
    ).first()
    if found is None:
        return None
    response, _ = run_idempotent(
        session, t, scope=scope, key=key, body=body, action=_never
    )
    return response

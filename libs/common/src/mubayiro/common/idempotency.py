"""``Idempotency-Key`` for write routes (IETF draft semantics, docs/api.md).

How it works: the key, scoped to the caller and the route, is stored in
``idempotency_record`` **in the same transaction as the write it protects**, together
with a fingerprint of the request body and the response. So either both the change
and the record commit, or neither does; a retry after a crash finds no record and
does the work, a retry after success finds the record and gets the first response
back without doing anything.

- same key, same body → the stored response again (``Idempotent-Replayed: true``);
- same key, different body → 422 :class:`IdempotencyKeyReused`;
- same key while the first request is still running → 409 :class:`IdempotencyInFlight`
  (on SQLite writers are serialised by ``BEGIN IMMEDIATE`` so the second simply waits
  and then replays; on PostgreSQL the second insert of the key fails on the unique
  constraint once the first commits or blocks, and is answered 409 — retry to replay).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import Response
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.common.db import UTCDateTime, utcnow
from mubayiro.common.errors import Conflict, InvalidInput

MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(InvalidInput):
    default_detail = "This Idempotency-Key was already used with a different request body"


class IdempotencyInFlight(Conflict):
    default_detail = "A request with this Idempotency-Key is still being processed; retry later"


def idempotency_table(metadata: MetaData) -> Table:
    """The ``idempotency_record`` table, attached to a service's metadata (for Alembic)."""
    return Table(
        "idempotency_record",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("scope", String(128), nullable=False),
        Column("key", String(MAX_KEY_LENGTH), nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("status_code", Integer, nullable=True),
        Column("response", Text, nullable=True),
        Column("created_at", UTCDateTime(), nullable=False),
        UniqueConstraint("scope", "key", name="uq_idempotency_record_scope_key"),
    )


def mark_replayed(response: Response, replayed: bool) -> None:
    """Tell the client (``Idempotent-Replayed: true``) that it got a stored first answer."""
    if replayed:
        response.headers[REPLAYED_HEADER] = "true"


def fingerprint(body: Any) -> str:
    """A stable hash of a JSON-compatible request body."""
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def validate_key(key: str | None) -> str | None:
    """Check an ``Idempotency-Key`` header value.

    Raises:
        InvalidInput: the key is empty, too long or not printable ASCII.
    """
    if key is None:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters")
    return key


def run_idempotent(
    session: Session,
    table: Table,
    *,
    scope: str,
    key: str | None,
    body: Any,
    action: Callable[[], dict[str, Any]],
    status_code: int = 201,
) -> tuple[dict[str, Any], bool]:
    """Run ``action`` at most once per (scope, key); return (response, replayed).

    ``action`` returns the JSON-compatible response; it runs in ``session``'s
    transaction, which the caller commits.

    Raises:
        IdempotencyKeyReused: the key was used before with another body.
        IdempotencyInFlight: another request with the key has not finished.
    """
    key = validate_key(key)
    if key is None:
        return action(), False
    fp = fingerprint(body)
    existing = session.execute(
        select(table.c.fingerprint, table.c.status_code, table.c.response).where(
            table.c.scope == scope, table.c.key == key
        )
    ).first()
    if existing is not None:
        if existing.fingerprint != fp:
            raise IdempotencyKeyReused()
        if existing.response is None:
            raise IdempotencyInFlight()
        return json.loads(existing.response), True
    try:
        with session.begin_nested():
            record_id = session.execute(
                insert(table)
                .values(scope=scope, key=key, fingerprint=fp, created_at=utcnow())
                .returning(table.c.id)
            ).scalar_one()
    except IntegrityError as exc:
        raise IdempotencyInFlight() from exc
    response = action()
    session.execute(
        update(table)
        .where(table.c.id == record_id)
        .values(status_code=status_code, response=json.dumps(response, default=str))
    )
    return response, False

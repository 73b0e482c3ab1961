"""Shared FastAPI dependencies: the database session and the ``Idempotency-Key`` header.

The session commits when the endpoint returns and rolls back if it raises. Its
exit runs before the response is sent (``scope="function"``), so a client never
sees a success whose commit then failed. Unsafe methods open the transaction with
``BEGIN IMMEDIATE`` on SQLite (see :mod:`mubayiro.common.db`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from mubayiro.common.idempotency import MAX_KEY_LENGTH

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed when the endpoint returns without error."""
    database = request.app.state.database
    with database.session(write=request.method not in _READ_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_KEY_LENGTH,
        description="Send the same key again to retry safely: the change happens once.",
    ),
]

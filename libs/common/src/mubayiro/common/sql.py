"""SQL the services' repositories share: ``INSERT … ON CONFLICT`` for either database,
and the row count of an ``UPDATE`` or ``DELETE``.

``INSERT … ON CONFLICT`` is not part of core SQL, so SQLAlchemy spells it per dialect;
:func:`dialect_insert` picks the right ``insert`` for the database a statement will run
on (SQLite in development and tests, PostgreSQL in production).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import Session


def dialect_insert(on: Session | str, target: Any) -> Any:
    """An ``INSERT`` for ``target`` that supports ``on_conflict_do_nothing/do_update``.

    ``on`` is the session that will run it, or its dialect's name (``"sqlite"``,
    ``"postgresql"``) for a statement built once per dialect and cached.

    Raises:
        NotImplementedError: the database is neither SQLite nor PostgreSQL.
    """
    name = on if isinstance(on, str) else on.get_bind().dialect.name
    if name == "sqlite":
        return sqlite.insert(target)
    if name == "postgresql":
        return postgresql.insert(target)
    raise NotImplementedError(f"INSERT … ON CONFLICT is not wired for {name}")


def rowcount(result: Result[Any]) -> int:
    """How many rows the ``UPDATE`` or ``DELETE`` that gave ``result`` matched.

    ``Session.execute`` is typed as returning a plain ``Result``; for a DML statement it is
    a ``CursorResult``, the only kind that carries ``rowcount``. This narrows it, so callers
    need no ``type: ignore``.

    Raises:
        TypeError: ``result`` is not a statement's cursor result (a programming error).
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"rowcount needs the CursorResult of an UPDATE or DELETE, not {result!r}")
    return int(result.rowcount or 0)

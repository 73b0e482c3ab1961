"""SQL helpers shared by the repositories (and used only by them).

``INSERT … ON CONFLICT`` is not part of core SQL, so SQLAlchemy spells it per
dialect; :func:`dialect_insert` picks the right ``insert`` for the session's database
(SQLite in development and tests, PostgreSQL in production), by the dialect's name
(``session.get_bind().dialect.name``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def dialect_insert(dialect_name: str, target: Any) -> Any:
    """An ``INSERT`` for ``target`` that supports ``on_conflict_do_nothing/do_update``.

    Raises:
        NotImplementedError: the database is neither SQLite nor PostgreSQL.
    """
    name = dialect_name
    if name == "sqlite":
        return sqlite.insert(target)
    if name == "postgresql":
        return postgresql.insert(target)
    raise NotImplementedError(f"INSERT … ON CONFLICT is not wired for {name}")

"""The command line every service shares: ``serve`` (default) or ``migrate``.

``python -m mubayiro.<service>`` serves the API with uvicorn (the app factory, so
importing a service has no side effects); ``python -m mubayiro.<service> migrate``
upgrades the service's database to the newest Alembic revision and exits (the app
also migrates at start-up; ``make up`` runs ``migrate`` first so errors show early).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from mubayiro.common.db import run_migrations


class _ServedSettings(Protocol):
    host: str
    port: int

    @property
    def sqlalchemy_url(self) -> str: ...


def run_service_cli(
    service: str,
    *,
    settings_factory: Callable[[], _ServedSettings],
    alembic_ini: Path,
    argv: Sequence[str] | None = None,
) -> None:
    """Parse ``argv`` and serve ``mubayiro.<service>.main:create_app`` or migrate."""
    parser = argparse.ArgumentParser(
        prog=f"mubayiro-{service}", description=f"Mubayiro {service} service"
    )
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate"])
    args = parser.parse_args(argv)
    settings = settings_factory()
    if args.command == "migrate":
        run_migrations(alembic_ini, settings.sqlalchemy_url)
        return
    import uvicorn

    uvicorn.run(
        f"mubayiro.{service}.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
    )

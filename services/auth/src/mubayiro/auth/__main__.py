"""Command line of the auth service: ``serve`` (default) or ``migrate``.

``python -m mubayiro.auth`` (or ``mubayiro-auth``) serves the API with uvicorn;
``mubayiro-auth migrate`` upgrades the database to the newest migration and exits.
"""

from __future__ import annotations

import argparse

import uvicorn

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.main import ALEMBIC_INI
from mubayiro.common.db import run_migrations


def main(argv: list[str] | None = None) -> None:
    """Run the command named on the command line."""
    parser = argparse.ArgumentParser(prog="mubayiro-auth", description="Mubayiro auth service")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate"])
    args = parser.parse_args(argv)
    settings = AuthSettings()
    if args.command == "migrate":
        run_migrations(ALEMBIC_INI, settings.sqlalchemy_url)
        return
    uvicorn.run(
        "mubayiro.auth.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
    )


if __name__ == "__main__":
    main()

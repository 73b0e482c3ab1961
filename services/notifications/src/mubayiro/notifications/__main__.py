"""Command line: ``python -m mubayiro.notifications [serve|migrate]``.

``serve`` (the default) runs the app under uvicorn; ``migrate`` upgrades the database
to the newest schema and exits (the app also migrates at start-up).
"""

from __future__ import annotations

import argparse

import uvicorn

from mubayiro.common.db import run_migrations
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.main import ALEMBIC_INI


def main(argv: list[str] | None = None) -> None:
    """Run the notifications service or its migrations."""
    parser = argparse.ArgumentParser(prog="mubayiro-notifications")
    parser.add_argument("command", nargs="?", choices=["serve", "migrate"], default="serve")
    args = parser.parse_args(argv)
    settings = NotificationsSettings()
    if args.command == "migrate":
        run_migrations(ALEMBIC_INI, settings.sqlalchemy_url)
        return
    uvicorn.run(
        "mubayiro.notifications.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
    )


if __name__ == "__main__":
    main()

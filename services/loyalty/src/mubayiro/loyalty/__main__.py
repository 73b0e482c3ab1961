"""Command line: ``mubayiro-loyalty [serve|migrate]`` (``serve`` when none is given)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from mubayiro.common.db import run_migrations
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the API (``serve``) or upgrade the database to the newest schema (``migrate``)."""
    parser = argparse.ArgumentParser(prog="mubayiro-loyalty", description=__doc__)
    parser.add_argument("command", nargs="?", choices=["serve", "migrate"], default="serve")
    args = parser.parse_args(argv)
    settings = LoyaltySettings()
    if args.command == "migrate":
        run_migrations(ALEMBIC_INI, settings.sqlalchemy_url)
        return
    import uvicorn

    uvicorn.run(
        "mubayiro.loyalty.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
    )


if __name__ == "__main__":
    main()

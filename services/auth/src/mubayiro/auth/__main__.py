"""Command line of the auth service: ``serve`` (default) or ``migrate``.

The parsing and serving are shared: see :mod:`mubayiro.common.cli`.
"""

from __future__ import annotations

from collections.abc import Sequence

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.main import ALEMBIC_INI
from mubayiro.common.cli import run_service_cli


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the auth API or migrate its database."""
    run_service_cli(
        "auth", settings_factory=AuthSettings, alembic_ini=ALEMBIC_INI, argv=argv
    )


if __name__ == "__main__":
    main()

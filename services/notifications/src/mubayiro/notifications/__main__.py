"""Command line of the notifications service: ``serve`` (default) or ``migrate``.

The parsing and serving are shared: see :mod:`mubayiro.common.cli`.
"""

from __future__ import annotations

from collections.abc import Sequence

from mubayiro.common.cli import run_service_cli
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.main import ALEMBIC_INI


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the notifications API or migrate its database."""
    run_service_cli(
        "notifications", settings_factory=NotificationsSettings, alembic_ini=ALEMBIC_INI, argv=argv
    )


if __name__ == "__main__":
    main()

"""Command line of the loyalty service: ``serve`` (default) or ``migrate``.

The parsing and serving are shared: see :mod:`mubayiro.common.cli`.
"""

from __future__ import annotations

from collections.abc import Sequence

from mubayiro.common.cli import run_service_cli
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the loyalty API or migrate its database."""
    run_service_cli(
        "loyalty", settings_factory=LoyaltySettings, alembic_ini=ALEMBIC_INI, argv=argv
    )


if __name__ == "__main__":
    main()

"""Command line of the referrals service: ``serve`` (default) or ``migrate``.

The parsing and serving are shared: see :mod:`mubayiro.common.cli`.
"""

from __future__ import annotations

from collections.abc import Sequence

from mubayiro.common.cli import run_service_cli
from mubayiro.referrals.config import ALEMBIC_INI, ReferralsSettings


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the referrals API or migrate its database."""
    run_service_cli(
        "referrals", settings_factory=ReferralsSettings, alembic_ini=ALEMBIC_INI, argv=argv
    )


if __name__ == "__main__":
    main()

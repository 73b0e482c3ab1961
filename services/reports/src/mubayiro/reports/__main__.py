"""Command line of the reports service: ``serve`` (default), ``migrate`` or ``backfill``.

``serve`` and ``migrate`` are the command line every service shares
(:mod:`mubayiro.common.cli`). ``backfill`` is this service's own: it migrates the
database, then replays loyalty's whole ledger into the read model (see
:mod:`mubayiro.reports.ingest.backfill`), printing progress. It is safe to run any
number of times, also while the service is serving events::

    python -m mubayiro.reports backfill [--after-id N] [--page-size N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mubayiro.common.cli import run_service_cli
from mubayiro.common.errors import AppError
from mubayiro.reports.config import ALEMBIC_INI, MAX_BACKFILL_PAGE_SIZE, ReportsSettings


def _page_size(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= MAX_BACKFILL_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_BACKFILL_PAGE_SIZE}")
    return value


def _after_id(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mubayiro-reports", description="Mubayiro reports service"
    )
    parser.add_argument(
        "command", nargs="?", default="serve", choices=["serve", "migrate", "backfill"],
        help="serve the API (default), migrate the database, or backfill the read model "
        "from loyalty's ledger",
    )
    parser.add_argument(
        "--after-id", type=_after_id, default=0,
        help="backfill: start after this ledger id (to resume; default 0, the whole ledger)",
    )
    parser.add_argument(
        "--page-size", type=_page_size, default=None,
        help="backfill: ledger rows per page (default REPORTS_BACKFILL_PAGE_SIZE)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the reports API, migrate its database, or backfill its read model."""
    args = _parser().parse_args(argv)
    if args.command != "backfill":
        return run_service_cli(
            "reports", settings_factory=ReportsSettings, alembic_ini=ALEMBIC_INI,
            argv=[args.command],
        )
    from mubayiro.reports.ingest.backfill import backfill_from_settings

    try:
        backfill_from_settings(ReportsSettings(), after_id=args.after_id, page_size=args.page_size)
    except AppError as exc:
        print(f"backfill: failed: {exc.error}: {exc.detail}", file=sys.stderr, flush=True)
        raise SystemExit(1) from exc
    return 0


if __name__ == "__main__":
    sys.exit(main())

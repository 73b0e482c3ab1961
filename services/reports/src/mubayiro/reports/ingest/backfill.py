"""The backfill: rebuild (or complete) the read model from loyalty's whole ledger.

``python -m mubayiro.reports backfill`` pages through loyalty's ``GET /internal/ledger``
(``after_id`` cursor, ``backfill_page_size`` rows a page) with this service's token,
and applies every transaction through the same idempotent path as the events
(:meth:`~mubayiro.reports.ingest.service.IngestService.apply`). So it can be run:

- when reports is added to a platform that already has a ledger;
- after reports was down long enough that events were lost (they are not, normally:
  loyalty's outbox retries until reports acknowledges);
- any number of times, also while events keep arriving: a transaction already counted
  (by an event or an earlier run) is recognised by its transaction id and changes
  nothing, so a re-run only adds what is missing.

Each page is fetched first and then applied in one short write transaction, so the
database lock is never held during an HTTP call and live events interleave between
pages. A ledger row of a type reports does not count is skipped (and reported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from mubayiro.common.db import Database, run_migrations
from mubayiro.common.errors import UpstreamError
from mubayiro.common.tokens import ServiceTokenProvider
from mubayiro.reports.clients.loyalty import LedgerPage, LoyaltyClient
from mubayiro.reports.config import ALEMBIC_INI, ReportsSettings
from mubayiro.reports.ingest.repository import ingest_repository
from mubayiro.reports.ingest.service import ingest_service
from mubayiro.reports.models import SOURCE_BACKFILL

Printer = Callable[[str], None]


def _print(line: str) -> None:
    print(line, flush=True)


@dataclass
class BackfillReport:
    """What one backfill run did."""

    pages: int = 0
    read: int = 0
    applied: int = 0
    already_counted: int = 0
    skipped: int = 0
    last_id: int = 0
    facts_held: int = 0


def _apply_page(
    database: Database, page: LedgerPage, report: BackfillReport
) -> tuple[int, int, int]:
    applied = already = skipped = 0
    with database.session(write=True) as session:
        for row in page.transactions:
            if not row.is_known_type:
                skipped += 1
            elif ingest_service.apply(session, row.to_fact(), source=SOURCE_BACKFILL):
                applied += 1
            else:
                already += 1
    report.pages += 1
    report.read += len(page.transactions)
    report.applied += applied
    report.already_counted += already
    report.skipped += skipped
    report.last_id = page.transactions[-1].id
    return applied, already, skipped


def run_backfill(
    database: Database,
    loyalty: LoyaltyClient,
    *,
    page_size: int,
    after_id: int = 0,
    out: Printer = _print,
) -> BackfillReport:
    """Replay the ledger from ``after_id`` to its end; return what was done.

    Prints one progress line per page to ``out``, and a final line.

    Raises:
        UpstreamError: loyalty answered something that breaks the contract, or its
            cursor did not move forward (502).
        UpstreamUnavailable: loyalty or auth could not be reached (503).
        UpstreamTimeout: loyalty did not answer in time (504).
    """
    report = BackfillReport(last_id=after_id)
    cursor = after_id
    out(f"backfill: reading loyalty's ledger after id {after_id}, {page_size} per page")
    while True:
        page = loyalty.ledger_page(after_id=cursor, limit=page_size)
        if not page.transactions:
            break
        first = page.transactions[0].id
        applied, already, skipped = _apply_page(database, page, report)
        out(
            f"backfill: page {report.pages}: ids {first}..{report.last_id}: "
            f"{applied} new, {already} already counted, {skipped} skipped "
            f"(total read {report.read})"
        )
        if page.next_after_id is None:
            break
        if page.next_after_id <= cursor:
            raise UpstreamError(
                f"loyalty's ledger cursor did not move forward (after {cursor}: "
                f"next_after_id {page.next_after_id})"
            )
        cursor = page.next_after_id
    with database.session(write=False) as session:
        report.facts_held = ingest_repository.count_facts(session)
    out(
        f"backfill: done: {report.read} transactions read in {report.pages} pages, "
        f"{report.applied} new, {report.already_counted} already counted, "
        f"{report.skipped} skipped (unknown type); last id {report.last_id}; "
        f"the read model holds {report.facts_held} transactions"
    )
    return report


def backfill_from_settings(
    settings: ReportsSettings,
    *,
    after_id: int = 0,
    page_size: int | None = None,
    transport: httpx.BaseTransport | None = None,
    out: Printer = _print,
) -> BackfillReport:
    """Migrate the database, then :func:`run_backfill` against ``settings.loyalty_url``.

    ``transport`` replaces the network under the loyalty client and the service-token
    fetch from auth (tests pass ``httpx.MockTransport``).
    """
    run_migrations(ALEMBIC_INI, settings.sqlalchemy_url)
    database = Database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    token_http = httpx.Client(timeout=settings.http_timeout_seconds, transport=transport)
    tokens = ServiceTokenProvider.for_service(settings, http=token_http)
    loyalty = LoyaltyClient(
        settings.loyalty_url,
        token_provider=tokens,
        timeout=settings.loyalty_timeout_seconds,
        transport=transport,
    )
    try:
        return run_backfill(
            database, loyalty, page_size=page_size or settings.backfill_page_size,
            after_id=after_id, out=out,
        )
    finally:
        loyalty.close()
        token_http.close()
        database.dispose()

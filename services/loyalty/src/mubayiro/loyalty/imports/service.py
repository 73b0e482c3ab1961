"""Rules of balance imports: a business moving from another system brings its customers'
balances, as a CSV file ``phone_number,points[,note]``.

**Checking** (:meth:`ImportService.parse`, the same for a dry run and for applying).
The header must name ``phone_number`` and ``points`` (and may add ``note``), in any
case and order. Every row is then judged on its own and a bad one is reported with its
line (the header is line 1) and the reason: a phone number the shared parser refuses
(``mubayiro.common.phone``), points that are not a whole number, negative, above
``MAX_POINTS`` or above the business's award limit per transaction, a note that is too
long or holds hidden characters, the wrong number of columns, and a phone number already
on an earlier line (the first stays; the repeats are reported, never summed or
overwritten). Blank lines are skipped. A file that cannot be read at all (not UTF-8, no
such header, more than ``import_max_rows`` rows) is 422 ``InvalidImportFile``; larger
than ``import_max_bytes``, 413 ``ImportTooLarge``.

**Dry run** (``dry_run=true``, the default): the report of every bad row, how many rows
would be imported and how many are already (below), from a read transaction — nothing
is written.

**Applying** (``dry_run=false``): the valid rows are written and the bad ones reported,
in one write transaction: an ``import`` ledger row per customer (its ``points``, the
note or "Imported balance"), the balance, its lot (expiring as an earn there now would),
and ``points.imported`` events (one per
:data:`EVENT_ROWS` rows, for reports; nobody is texted about a migration).

**Once.** A customer gets at most one imported balance per business: the unique index
``ux_point_transaction_import_once`` on (business, customer) of ``import`` rows. That is
the import's idempotency identity, rather than the file: the same file applied twice
imports nothing more (every row is ``already_imported``), and so does a corrected file
that names the same phone again — which a per-file key would have imported twice. The
file's SHA-256 is kept on each row it wrote (``idempotency_key`` = ``import:<digest>``),
to tell later which file a balance came from.

**Who may create value.** An import creates points, so it follows the award rules
(docs/security.md): only an owner of an active business applies one, no row may exceed
the business's limit per transaction, and the file's points count against the day's
award limit like any award (429 ``DailyAwardLimitReached``, nothing written): a large
migration is arranged with the platform's operator, who lifts the limit for it.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.events import EventPublisher
from mubayiro.common.money import MAX_POINTS
from mubayiro.common.phone import InvalidPhoneNumber, normalize_phone
from mubayiro.common.text import hidden_characters
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.imports.exceptions import InvalidImportFile
from mubayiro.loyalty.imports.repository import import_repository
from mubayiro.loyalty.imports.schemas import (
    BalanceRow,
    ImportReport,
    ImportRowError,
    ParsedFile,
)
from mubayiro.loyalty.lots.repository import lot_repository
from mubayiro.loyalty.lots.service import expiry_for
from mubayiro.loyalty.models import Business
from mubayiro.loyalty.transactions.exceptions import DailyAwardLimitReached
from mubayiro.loyalty.transactions.repository import award_day_repository
from mubayiro.loyalty.transactions.service import POINTS_IMPORTED

#: The ledger row's description of an imported balance given no note.
DEFAULT_NOTE = "Imported balance"
NOTE_LENGTH = 200
#: Rows per statement when applying, and per ``points.imported`` event (each event
#: stays far below a subscriber's request size limit).
CHUNK_ROWS = 1000
EVENT_ROWS = 200
_WHOLE = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-][0-9]+")


def _points(raw: str, limit: int) -> tuple[int | None, str | None]:
    """(points, None) or (None, the reason they are refused)."""
    raw = raw.strip()
    if _SIGNED.fullmatch(raw):
        if raw.startswith("-") and int(raw) != 0:
            return None, "points must not be negative"
        raw = raw[1:]
    if not _WHOLE.fullmatch(raw):
        return None, f"points must be a whole number, not {raw[:20]!r}"
    points = int(raw)
    if points > MAX_POINTS:
        return None, f"points must be at most {MAX_POINTS}"
    if points > limit:
        return None, (f"points ({points}) are above your business's limit of {limit} "
                      "per transaction (the platform's operator sets it)")
    return points, None


def _chunks(rows: list[BalanceRow], size: int) -> Iterator[list[BalanceRow]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class ImportService:
    """Balance imports (a module singleton: ``import_service``)."""

    def parse(self, data: bytes, *, limit: int, max_rows: int) -> ParsedFile:
        """Read and check the file (see module doc); ``limit`` is the business's award
        limit per transaction.

        Raises:
            InvalidImportFile: the file as a whole cannot be read (422).
        """
        try:
            text = codecs.decode(data, "utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidImportFile("The file is not UTF-8 text") from exc
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lower() for h in next(reader, [])]
        except csv.Error as exc:
            raise InvalidImportFile(f"The header cannot be read: {exc}") from exc
        if sorted(header) not in (["phone_number", "points"],
                                  ["note", "phone_number", "points"]):
            raise InvalidImportFile(
                "The first line must be the header phone_number,points (a note column "
                "may follow)")
        phone_at, points_at = header.index("phone_number"), header.index("points")
        note_at = header.index("note") if "note" in header else None
        parsed = ParsedFile(digest=hashlib.sha256(data).hexdigest())
        first_line: dict[str, int] = {}

        def bad(reason: str) -> None:
            parsed.errors.append(ImportRowError(line=reader.line_num, reason=reason))

        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                parsed.rows += 1
                bad(f"the row cannot be read as CSV: {exc}")
                continue
            if not any(cell.strip() for cell in row):
                continue
            parsed.rows += 1
            if parsed.rows > max_rows:
                raise InvalidImportFile(f"The file has more than {max_rows} rows: split it")
            if len(row) != len(header):
                bad(f"expected {len(header)} columns, found {len(row)}")
                continue
            try:
                phone = normalize_phone(row[phone_at])
            except InvalidPhoneNumber:
                bad(f"phone_number {row[phone_at][:32]!r} is not a valid phone number")
                continue
            points, refusal = _points(row[points_at], limit)
            if refusal is not None or points is None:
                bad(refusal or "points are missing")
                continue
            note = row[note_at].strip() if note_at is not None else ""
            if len(note) > NOTE_LENGTH or hidden_characters(note):
                bad(f"note must be at most {NOTE_LENGTH} characters of visible text")
                continue
            if phone in first_line:
                bad(f"{phone} is already on line {first_line[phone]}")
                continue
            first_line[phone] = reader.line_num
            parsed.valid.append(BalanceRow(reader.line_num, phone, points, note or None))
        return parsed

    def dry_run(self, session: Session, business_id: int, parsed: ParsedFile) -> ImportReport:
        """What applying ``parsed`` would do, changing nothing."""
        done: set[str] = set()
        for chunk in _chunks(parsed.valid, CHUNK_ROWS):
            done |= import_repository.already_imported(
                session, business_id, [r.phone_number for r in chunk])
        return self._report(parsed, dry_run=True, imported=0, already=len(done), points=sum(
            r.points for r in parsed.valid if r.phone_number not in done))

    def apply(
        self, session: Session, publisher: EventPublisher, business: Business,
        parsed: ParsedFile, *, settings: LoyaltySettings,
    ) -> ImportReport:
        """Write the valid rows of ``parsed`` not imported yet (see module doc).

        Raises:
            DailyAwardLimitReached: the file's points go above the day's award limit (429).
        """
        now = utcnow()
        key = f"import:{parsed.digest}"
        written: list[tuple[int, int, str, int, int]] = []
        for chunk in _chunks(parsed.valid, CHUNK_ROWS):
            written += import_repository.write(session, business.id, chunk, created_at=now,
                                               key=key, description=DEFAULT_NOTE)
        expires_at = expiry_for(business, now)
        lot_repository.open(session, [
            {"customer_id": cid, "business_id": business.id, "transaction_id": tid,
             "points": p, "expires_at": expires_at, "created_at": now}
            for tid, cid, _, p, _ in written])
        points = sum(row[3] for row in written)
        limit = business_service.award_limits(business, settings).per_day
        if points and not award_day_repository.add_within(session, business.id, now.date(),
                                                          points, limit=limit):
            raise DailyAwardLimitReached(
                f"This file imports {points} points; with what your business awarded today "
                f"that is above its daily limit of {limit}. Ask the platform's operator to "
                "lift the limit for the migration")
        for start in range(0, len(written), EVENT_ROWS):
            publisher.emit(session, POINTS_IMPORTED, {
                "business_id": business.id,
                "business_name": business.name,
                "file_sha256": parsed.digest,
                "rows": [{"transaction_id": tid, "customer_phone_number": phone,
                          "points": p, "total_points": total}
                         for tid, _, phone, p, total in written[start:start + EVENT_ROWS]],
                "timestamp": now.isoformat(),
            })
        return self._report(parsed, dry_run=False, imported=len(written),
                            already=len(parsed.valid) - len(written), points=points)

    def _report(self, parsed: ParsedFile, *, dry_run: bool, imported: int, already: int,
                points: int) -> ImportReport:
        return ImportReport(dry_run=dry_run, rows=parsed.rows, valid=len(parsed.valid),
                            imported=imported, already_imported=already, points=points,
                            errors=parsed.errors)


import_service = ImportService()

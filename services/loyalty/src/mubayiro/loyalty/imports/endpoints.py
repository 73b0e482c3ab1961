"""Route of balance imports: ``POST /businesses/{business_id}/import/balances`` (owners
only), a dry run by default.

Not ``@idempotent``: the body is a file, not a model, and the route is idempotent by
itself (one imported balance per business and customer, ``imports.service``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, Unauthorized, error_responses
from mubayiro.common.security import OwnerOnly
from mubayiro.loyalty.businesses.dependencies import OwnedBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotActive, BusinessNotFound
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.deps import PublisherDep, ReadSession, SettingsDep, WriteSession
from mubayiro.loyalty.imports.dependencies import CsvFile
from mubayiro.loyalty.imports.exceptions import ImportTooLarge, InvalidImportFile
from mubayiro.loyalty.imports.schemas import ImportReport
from mubayiro.loyalty.imports.service import import_service
from mubayiro.loyalty.transactions.exceptions import DailyAwardLimitReached

router = APIRouter(tags=["imports"], route_class=SessionRoute)

_FILE = {"content": {"text/csv": {"schema": {"type": "string"}, "example":
                                  "phone_number,points,note\n0771234567,120,Stamp card\n"}},
         "required": True}


@router.post(
    "/businesses/{business_id}/import/balances",
    response_model=ImportReport,
    responses=error_responses(Unauthorized, OwnerOnly, BusinessNotFound, BusinessNotActive,
                              ImportTooLarge, InvalidImportFile, InvalidInput,
                              DailyAwardLimitReached),
    openapi_extra={"requestBody": _FILE},
)
def import_balances(
    business_id: OwnedBusinessId,
    file: CsvFile,
    read: ReadSession,
    session: WriteSession,
    publisher: PublisherDep,
    settings: SettingsDep,
    dry_run: Annotated[bool, Query(description="Only check the file (the default).")] = True,
) -> ImportReport:
    """Bring your customers' balances from another system: a CSV ``phone_number,points``
    (a ``note`` column may follow). The dry run reports every bad row and changes
    nothing; applying (``dry_run=false``) writes the valid rows, once per customer."""
    business = business_service.get_program(read, business_id)
    limit = business_service.award_limits(business, settings).per_transaction
    parsed = import_service.parse(file, limit=limit, max_rows=settings.import_max_rows)
    if dry_run:
        return import_service.dry_run(read, business_id, parsed)
    return import_service.apply(
        session, publisher, business_service.get_active_program(session, business_id),
        parsed, settings=settings,
    )

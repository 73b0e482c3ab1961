"""Dependencies that load and check the ``business_id`` of a route as they inject it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mubayiro.common.security import ensure_business
from mubayiro.loyalty.businesses.schemas import BusinessIdPath
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.deps import (
    AuthClientDep,
    CurrentBusiness,
    DatabaseDep,
    OptionalPrincipal,
    SettingsDep,
)


def known_business_id(
    business_id: BusinessIdPath,
    caller: OptionalPrincipal,
    database: DatabaseDep,
    auth: AuthClientDep,
    settings: SettingsDep,
) -> int:
    """A business id known here (fetched from auth for its own token), else 404."""
    business_service.ensure_local_copy(
        database, auth, business_id, caller=caller, settings=settings
    )
    return business_id


def own_business_id(
    business_id: BusinessIdPath,
    caller: CurrentBusiness,
    database: DatabaseDep,
    auth: AuthClientDep,
    settings: SettingsDep,
) -> int:
    """The caller's own business id (403 for another's), known here (else 404)."""
    ensure_business(caller, business_id)
    business_service.ensure_local_copy(
        database, auth, business_id, caller=caller, settings=settings
    )
    return business_id


KnownBusinessId = Annotated[int, Depends(known_business_id)]
OwnBusinessId = Annotated[int, Depends(own_business_id)]

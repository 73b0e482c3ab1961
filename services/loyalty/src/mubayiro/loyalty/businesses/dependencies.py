"""Dependencies that load and check the ``business_id`` of a route as they inject it.

Each makes sure the business is known here first, fetching it from auth for its own
token if its registration event has not arrived yet (``service`` module doc). They run
before the endpoint, so before the request's write transaction has begun: the call to
auth never happens under the write lock, and the copy is written in a short
transaction of its own (``SeparateTransactions``).

A business is never deleted here, so once known it stays known: the process remembers
the ids it has seen (``app.state.known_business_ids``) and asks its database only about
an id it has not (issue 14: the read transaction was a tenth of an award's CPU).

So that a remembered id costs no thread hop, the dependencies are ``async def`` and check
the remembered ids on the event loop; only an id not seen yet goes to the thread pool,
where the database is read (and auth called) (``mubayiro.common.deps``: a hop cost more
than the work).

:data:`OwnBusinessId` is for routes every staff member may use (a cashier awards,
redeems and looks customers up); :data:`OwnedBusinessId` for the owner-only ones
(program rules, the catalog, cross-promotions, the ledger list): a cashier's token is
403 ``OwnerOnly`` there (docs/api.md, staff roles).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.concurrency import run_in_threadpool

from mubayiro.common.deps import Transactions
from mubayiro.common.security import CurrentOwner, ensure_business
from mubayiro.common.tokens import Principal
from mubayiro.loyalty.businesses.schemas import BusinessIdPath
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.clients.auth import AuthClient
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.deps import (
    AuthClientDep,
    CurrentBusiness,
    KnownBusinessIds,
    OptionalPrincipal,
    SeparateTransactions,
    SettingsDep,
)


async def ensure_known(
    business_id: int,
    *,
    caller: Principal | None,
    own: Transactions,
    auth: AuthClient,
    settings: LoyaltySettings,
    known: set[int],
) -> None:
    """Make sure ``business_id`` is known here (see module doc): on the event loop when
    this process remembers it, else in the thread pool (the database, perhaps auth).

    Raises:
        BusinessNotFound: unknown here and either the caller is not that business or
            auth does not know it either.
        UpstreamError, UpstreamUnavailable, UpstreamTimeout: auth failed (5xx).
    """
    if business_id in known:
        return

    def learn() -> None:  # in the thread pool: the database, perhaps auth
        with own.read() as session:
            if business_service.is_known(session, business_id):
                known.add(business_id)
                return
        remote = business_service.fetch_from_auth(auth, business_id, caller=caller)
        with own.write() as session:
            business_service.store_copy(session, business_id, remote, settings=settings)
        known.add(business_id)

    await run_in_threadpool(learn)


async def known_business_id(
    business_id: BusinessIdPath,
    caller: OptionalPrincipal,
    own: SeparateTransactions,
    auth: AuthClientDep,
    settings: SettingsDep,
    known: KnownBusinessIds,
) -> int:
    """A business id known here (fetched from auth for its own token), else 404."""
    await ensure_known(business_id, caller=caller, own=own, auth=auth,
                       settings=settings, known=known)
    return business_id


async def own_business_id(
    business_id: BusinessIdPath,
    caller: CurrentBusiness,
    own: SeparateTransactions,
    auth: AuthClientDep,
    settings: SettingsDep,
    known: KnownBusinessIds,
) -> int:
    """The caller's own business id (403 for another's), known here (else 404)."""
    ensure_business(caller, business_id)
    await ensure_known(business_id, caller=caller, own=own, auth=auth,
                       settings=settings, known=known)
    return business_id


async def owned_business_id(
    business_id: BusinessIdPath,
    caller: CurrentOwner,
    own: SeparateTransactions,
    auth: AuthClientDep,
    settings: SettingsDep,
    known: KnownBusinessIds,
) -> int:
    """The caller's own business id when the caller is one of its owners (403
    ``OwnerOnly`` for a cashier, 403 for another business's), known here (else 404)."""
    return await own_business_id(business_id, caller, own, auth, settings, known)


KnownBusinessId = Annotated[int, Depends(known_business_id)]
OwnBusinessId = Annotated[int, Depends(own_business_id)]
OwnedBusinessId = Annotated[int, Depends(owned_business_id)]

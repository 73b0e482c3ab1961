"""Dependencies of the ledger routes: an award's, a redemption's or a redemption-code
request's body, checked.

Each names its business in the body, not the path. These take the
validated body and check that its business is the caller's own (403) and known here
(the auth fallback of ``businesses.dependencies``) before handing it to the endpoint.
Dependencies run before the endpoint — so before the request's write transaction
begins — which keeps the call to auth out from under the write lock by construction
rather than by the order of two lines. The endpoint takes the body from here only (it
is declared once, so a bad field is reported once). The check is ``async``: a business
already known (the usual case) costs no hop to the thread pool; only a first sight, which
reads the database and may call auth, goes to a thread.
"""

from typing import Annotated, Any

from fastapi import Depends

from mubayiro.common.security import ensure_business
from mubayiro.loyalty.businesses.dependencies import ensure_known
from mubayiro.loyalty.deps import (
    AuthClientDep,
    CurrentBusiness,
    KnownBusinessIds,
    SeparateTransactions,
    SettingsDep,
)
from mubayiro.loyalty.redemption_codes.schemas import RedemptionCodeRequest
from mubayiro.loyalty.transactions.schemas import AddPointsRequest, RedeemPointsRequest

#: The bodies that name their business.
_Body = AddPointsRequest | RedeemPointsRequest | RedemptionCodeRequest


def _checked(model: type[_Body]) -> Any:
    """A dependency giving a ``model`` body whose ``business_id`` is the caller's own
    (403) and known here (404)."""

    async def checked_body(
        caller: CurrentBusiness,
        # FastAPI reads the body's model from this annotation, so it must be the runtime
        # class ``model``; mypy accepts no variable as a type, hence the ignore, and the
        # typed ``named`` below.
        body: model,  # type: ignore[valid-type]
        own: SeparateTransactions,
        auth: AuthClientDep,
        settings: SettingsDep,
        known: KnownBusinessIds,
    ) -> Any:
        named: _Body = body
        ensure_business(caller, named.business_id)
        await ensure_known(named.business_id, caller=caller, own=own, auth=auth,
                           settings=settings, known=known)
        return body

    return Depends(checked_body)


CheckedAward = Annotated[AddPointsRequest, _checked(AddPointsRequest)]
CheckedRedemption = Annotated[RedeemPointsRequest, _checked(RedeemPointsRequest)]
CheckedCodeRequest = Annotated[RedemptionCodeRequest, _checked(RedemptionCodeRequest)]

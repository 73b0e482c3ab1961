"""The operator's client: a service token of a client named in ``AUTH_OPERATOR_CLIENTS``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mubayiro.auth.deps import ServiceCaller, SettingsDep
from mubayiro.auth.operator.exceptions import OperatorOnly
from mubayiro.common.tokens import Principal


def operator_caller(caller: ServiceCaller, settings: SettingsDep) -> Principal:
    """The operator's client behind an internal call.

    Raises:
        Unauthorized: no valid service token (401).
        OperatorOnly: the service token of any other client, loyalty's say (403).
    """
    if caller.client_id not in settings.operator_clients:
        raise OperatorOnly()
    return caller


OperatorCaller = Annotated[Principal, Depends(operator_caller)]

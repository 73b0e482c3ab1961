"""What every tool does around its read: find the verified caller on the request, carry
the request id on to the peers, and turn an expected failure into a tool error.

An expected failure (not yours, not found, invalid input, a peer down) becomes a
:class:`~mcp.server.mcpserver.exceptions.ToolError` with a readable message: the SDK
answers it as a tool result with ``isError: true``, which a model can read and act on.
Messages never include data the caller may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from mubayiro.common.errors import AppError, UpstreamError, UpstreamTimeout, UpstreamUnavailable
from mubayiro.common.logs import request_id_var
from mubayiro.common.tokens import Principal
from mubayiro.mcp_server.access import PRINCIPAL_STATE, REQUEST_ID_STATE

_T = TypeVar("_T")

UPSTREAM_MESSAGE = "The loyalty data is unavailable right now; please try again shortly."


def caller(ctx: Context[Any]) -> Principal:
    """The principal the HTTP guard verified for this request.

    Raises:
        ToolError: no verified caller (never reached through the guarded endpoint).
    """
    request = ctx.request_context.request
    principal = getattr(getattr(request, "state", None), PRINCIPAL_STATE, None)
    if not isinstance(principal, Principal):
        raise ToolError("Not authenticated")
    return principal


def run(ctx: Context[Any], read: Callable[[Principal], _T]) -> _T:
    """Call ``read`` with the caller, as the request that asked (request id passed on).

    Raises:
        ToolError: the read failed in an expected way (its readable message).
    """
    principal = caller(ctx)
    request = ctx.request_context.request
    # ``caller`` found a principal on ``request.state``, so the request is there.
    token = request_id_var.set(getattr(getattr(request, "state", None), REQUEST_ID_STATE, None))
    try:
        return read(principal)
    except (UpstreamError, UpstreamUnavailable, UpstreamTimeout) as exc:
        raise ToolError(UPSTREAM_MESSAGE) from exc
    except AppError as exc:
        raise ToolError(exc.detail) from exc
    finally:
        request_id_var.reset(token)

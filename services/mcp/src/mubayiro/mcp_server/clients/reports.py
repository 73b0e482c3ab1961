"""Client for reports' internal summary, called with the MCP server's own service token
for a business whose own token the server has verified."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from mubayiro.common.errors import InvalidInput, UpstreamError
from mubayiro.common.http import PeerClient
from mubayiro.mcp_server.schemas import BusinessSummary


class ReportsClient(PeerClient):
    """Reports' ``/internal/reports/*`` reads."""

    peer_name = "reports"

    def summary(
        self, business_id: int, *, from_date: date | None, to_date: date | None
    ) -> BusinessSummary:
        """``business_id``'s figures over the inclusive days (open when ``None``).

        Raises:
            InvalidInput: reports refused the period (too long, say) (422).
            UpstreamError: any other refusal or an unreadable answer (502).
            UpstreamUnavailable: reports (or auth) could not be reached (503).
            UpstreamTimeout: reports did not answer in time (504).
        """
        params: dict[str, Any] = {}
        if from_date is not None:
            params["from"] = from_date.isoformat()
        if to_date is not None:
            params["to"] = to_date.isoformat()
        data = self.call(
            "GET", f"/internal/reports/{business_id}/summary", dict[str, Any], params=params,
            # Reports' refusal of the period (reversed, too long) means the same here.
            errors={"InvalidDateRange": InvalidInput, "DateRangeTooLong": InvalidInput},
        )
        try:
            return BusinessSummary.model_validate(
                {**data, "from_date": data.get("from"), "to_date": data.get("to")}
            )
        except ValidationError as exc:
            raise UpstreamError("reports answered with an unexpected shape") from exc

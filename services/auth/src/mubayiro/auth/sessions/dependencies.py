"""Dependencies of the session routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mubayiro.auth.sessions.service import SessionPolicy


def get_session_policy(request: Request) -> SessionPolicy:
    """How long sessions last (built once from the settings in ``create_app``)."""
    session_policy: SessionPolicy = request.app.state.session_policy
    return session_policy


SessionPolicyDep = Annotated[SessionPolicy, Depends(get_session_policy)]

"""The skeleton every service's FastAPI app is built on.

:func:`create_service_app` wires what each service would otherwise repeat: JSON
logging, the request-id middleware, the request size limit, the error shape,
``/healthz`` and ``/readyz``, the database and the token verifier on ``app.state``,
migrations at start-up and any background workers (start/stop hooks).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mubayiro.common.db import MIGRATED_ENV, Database, run_migrations
from mubayiro.common.deps import SessionRoute
from mubayiro.common.docs import docs_urls, install_cors, install_docs
from mubayiro.common.errors import error_body, install_error_handlers
from mubayiro.common.events import EVENTS_BATCH_PATH, MAX_EVENT_BATCH_BYTES
from mubayiro.common.logs import RequestIdMiddleware, configure_logging
from mubayiro.common.openapi import install_openapi
from mubayiro.common.queue import WorkQueue, dead_letter_count
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.tokens import TokenVerifier

logger = logging.getLogger(__name__)


class BodySizeLimitMiddleware:
    """Answers 413 for request bodies larger than ``max_bytes`` (declared or streamed).

    ``larger`` lets a few routes take bigger bodies: ``(path pattern, limit)`` pairs, the
    first whose pattern matches the whole path wins (a file upload such as loyalty's
    balance import, which checks its own, exact limit).
    """

    def __init__(self, app: ASGIApp, max_bytes: int,
                 larger: Sequence[tuple[str, int]] = ()):
        self.app = app
        self.max_bytes = max_bytes
        self.larger = [(re.compile(pattern), limit) for pattern, limit in larger]

    def _limit(self, path: str) -> int:
        return next((limit for pattern, limit in self.larger if pattern.fullmatch(path)),
                    self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = max_bytes + 1
                if declared > max_bytes:
                    await self._reject(send, max_bytes)
                    return
        # No (or a small) declared length: read the body, counting, before the app sees it.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                await self._reject(send, max_bytes)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send: Send, max_bytes: int) -> None:
        response = JSONResponse(
            error_body(f"Request body larger than {max_bytes} bytes", "PayloadTooLarge"),
            status_code=413,
        )
        await response({"type": "http"}, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def health_router() -> APIRouter:
    """``/healthz`` (the process answers) and ``/readyz`` (its database answers).

    ``/readyz`` also reports ``dead_letters``: how many items the service's work
    queues (``app.state.queues``) hold parked for an operator.
    """
    # Not in the public API description: through the gateway /healthz and /readyz are the
    # gateway's own (Traefik's ping, the platform's aggregate readiness); each service's
    # are for its orchestrator, on the service itself.
    router = APIRouter(tags=["health"], include_in_schema=False, route_class=SessionRoute)

    @router.get("/healthz")
    async def healthz(request: Request) -> dict[str, str]:
        """Liveness: the process is up."""
        return {"status": "ok", "service": request.app.state.settings.service_name}

    @router.get("/readyz")
    def readyz(request: Request) -> JSONResponse:
        """Readiness: the service's database answers (a service without one is ready)."""
        database = request.app.state.database
        name = request.app.state.settings.service_name
        if database is None:
            return JSONResponse({"status": "ready", "service": name, "database": "none"})
        ok = database.ping()
        body: dict[str, Any] = {
            "status": "ready" if ok else "unavailable",
            "service": name,
            "database": "ok" if ok else "unavailable",
        }
        queues = request.app.state.queues
        if ok and queues:
            # Dead letters need an operator, not a restart: reported, never "unready".
            try:
                body["dead_letters"] = dead_letter_count(database, queues)
            except SQLAlchemyError:
                logger.exception("could not count dead letters")
        return JSONResponse(body, status_code=200 if ok else 503)

    return router


def make_token_verifier(settings: ServiceSettings) -> TokenVerifier:
    """The verifier for tokens issued by the platform's auth service."""
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        jwks_url=settings.jwks_url,
        cache_seconds=settings.jwks_cache_seconds,
    )


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    alembic_ini: Path | None,
    token_verifier: TokenVerifier | None = None,
    on_startup: Sequence[Callable[[FastAPI], None]] = (),
    on_shutdown: Sequence[Callable[[FastAPI], None]] = (),
    openapi_tags: list[dict[str, Any]] | None = None,
    with_database: bool = True,
    queues: Sequence[WorkQueue] = (),
    lifespan_contexts: Sequence[Callable[[FastAPI], AbstractAsyncContextManager[Any]]] = (),
    larger_bodies: Sequence[tuple[str, int]] = (),
) -> FastAPI:
    """Build a service app with the shared middleware, errors, health routes and state.

    At start-up the database is migrated to head (``alembic_ini``), then each
    ``on_startup`` hook runs (start background workers there), then each of
    ``lifespan_contexts`` is entered (async resources that live as long as the app,
    e.g. the MCP SDK's session manager); on stop they are left and the
    ``on_shutdown`` hooks run, in reverse order. A service that owns no data passes
    ``with_database=False``: ``app.state.database`` is then ``None`` and ``/readyz``
    answers ready. ``queues`` are the service's work queues (outbox, SMS…): ``/readyz``
    reports how many dead letters they hold. ``larger_bodies`` lifts the request size
    limit (``max_request_bytes``) for the routes it names (:class:`BodySizeLimitMiddleware`).
    """
    configure_logging(settings.service_name, settings.log_level)
    database = (
        Database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        if with_database
        else None
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if alembic_ini is not None and os.environ.get(MIGRATED_ENV) != settings.sqlalchemy_url:
            run_migrations(alembic_ini, settings.sqlalchemy_url)
        for hook in on_startup:
            hook(app)
        try:
            async with AsyncExitStack() as stack:
                for context in lifespan_contexts:
                    await stack.enter_async_context(context(app))
                yield
        finally:
            for hook in reversed(on_shutdown):
                hook(app)
            if database is not None:
                database.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from local files by install_docs
        redoc_url=None,
        openapi_url=docs_urls(settings)[1],
        openapi_tags=openapi_tags,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.queues = tuple(queues)
    app.state.token_verifier = token_verifier or make_token_verifier(settings)
    install_error_handlers(app)
    # A batch of events from a peer's outbox is larger than any request from a person.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes,
                       larger=[(re.escape(EVENTS_BATCH_PATH), MAX_EVENT_BATCH_BYTES),
                               *larger_bodies])
    app.add_middleware(RequestIdMiddleware)
    install_cors(app, settings)
    install_docs(app, settings)
    app.include_router(health_router())
    for router in routers:
        app.include_router(router)
    install_openapi(app, enabled=settings.docs_are_enabled)
    return app

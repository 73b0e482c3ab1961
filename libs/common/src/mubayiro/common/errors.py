"""The error hierarchy and the one JSON error shape every service answers with.

Every expected failure is an :class:`AppError` subclass with an HTTP status; the
handlers installed by :func:`install_error_handlers` turn it into
``{"detail": "...", "error": "<ClassName>"}``. Request validation errors keep the
same shape (plus an ``errors`` list naming each field), and anything unexpected
becomes a 500 without a stack trace in the body (the trace goes to the log).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)


class AppError(Exception):
    """Base of every expected failure; carries the HTTP status and a readable detail."""

    status_code: int = 400
    default_detail: str = "Bad request"

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        self.detail = detail or self.default_detail
        self.headers = headers
        super().__init__(self.detail)

    @property
    def error(self) -> str:
        """The error's name as sent to clients (the class name)."""
        return type(self).__name__


class BadRequest(AppError):
    status_code = 400
    default_detail = "Bad request"


class Unauthorized(AppError):
    status_code = 401
    default_detail = "Not authenticated"

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail, headers=headers or {"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status_code = 403
    default_detail = "Not allowed"


class NotFound(AppError):
    status_code = 404
    default_detail = "Not found"


class Conflict(AppError):
    status_code = 409
    default_detail = "Conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    default_detail = "Request body too large"


class InvalidInput(AppError):
    status_code = 422
    default_detail = "Invalid input"


class TooManyRequests(AppError):
    status_code = 429
    default_detail = "Too many requests"


class UpstreamError(AppError):
    status_code = 502
    default_detail = "A service this one depends on answered with an error"


class UpstreamUnavailable(AppError):
    status_code = 503
    default_detail = "A service this one depends on is unavailable"


class UpstreamTimeout(AppError):
    status_code = 504
    default_detail = "A service this one depends on did not answer in time"


class CommitThenRefuse(Exception):  # noqa: N818 - not an error itself: it carries one
    """Refuse a request *and keep what its transaction wrote so far*.

    Any other exception rolls the request's write transaction back, which is right for
    almost every refusal: a refused request changes nothing. A few refusals must still
    persist something — a wrong one-time code spends one of the code's tries, or
    guessing would be free. Raise ``CommitThenRefuse(InvalidCode())`` for those: the
    write session (:data:`mubayiro.common.deps.WriteSession`) commits, then raises
    ``refusal``, which the client gets as usual. An ``Idempotency-Key`` claimed by the
    request is released before the commit (a refusal stores no key).

    Raised anywhere without a write session it is a programming error (a 500).
    """

    def __init__(self, refusal: AppError):
        super().__init__(refusal.detail)
        self.refusal = refusal


def error_body(detail: str, error: str, **extra: Any) -> dict[str, Any]:
    """Build the standard error body ``{"detail", "error", ...}``."""
    return {"detail": detail, "error": error, **extra}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def _validation_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


async def _app_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return JSONResponse(
        error_body(exc.detail, exc.error), status_code=exc.status_code, headers=exc.headers
    )


async def _validation_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": _field_name(e.get("loc", ())),
            "message": _validation_message(e),
            "type": e.get("type"),
        }
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid input"
    return JSONResponse(error_body(detail, "ValidationError", errors=errors), status_code=422)


_HTTP_ERROR_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "ValidationError",
    429: "TooManyRequests",
}


async def _http_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
    name = _HTTP_ERROR_NAMES.get(exc.status_code, "HTTPError")
    return JSONResponse(
        error_body(detail, name), status_code=exc.status_code, headers=exc.headers
    )


async def _unexpected_error_handler(_: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return JSONResponse(error_body("Internal server error", "InternalError"), status_code=500)


class UnstorableValue(InvalidInput):
    """The database refused a value the request carried (a NUL character, a number out of
    the column's range): the client's input, so a 422, never a 500."""

    default_detail = "A value in the request cannot be stored (for example a NUL character)"


async def _data_error_handler(_: Request, exc: Exception) -> JSONResponse:
    # Validation should refuse such values first; this keeps the answer a 4xx when it
    # does not (the transaction is rolled back by the session dependency).
    logger.warning("database refused a value: %s", exc.__class__.__name__)
    refusal = UnstorableValue()
    return JSONResponse(error_body(refusal.detail, refusal.error), status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the standard shape."""
    from sqlalchemy.exc import DataError

    app.add_exception_handler(AppError, _app_error_handler)
    app.add_exception_handler(DataError, _data_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
    app.add_exception_handler(Exception, _unexpected_error_handler)


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error classes (for endpoint declarations)."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        out.setdefault(err.status_code, {"description": err.default_detail})
    return out

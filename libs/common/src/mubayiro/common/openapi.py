"""The API description each service publishes, made to tell the truth.

FastAPI's generated document has two lies we correct here, once for every service:

- every 422 is documented as FastAPI's ``HTTPValidationError`` (``{"detail": [...]}``),
  while the platform answers every error, 422 included, in its own shape
  (:func:`mubayiro.common.errors.error_body`): :class:`ErrorBody` replaces it, and every
  declared error response (``error_responses``) carries that schema too;
- ``/internal/*`` routes, which the gateway never routes, would be listed beside the
  public ones. The public document (``/openapi/<service>.json``) leaves them out; service
  callers read theirs at ``/internal/openapi.json`` on the service itself.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

INTERNAL_PREFIX = "/internal"
INTERNAL_OPENAPI_PATH = "/internal/openapi.json"
_ERROR_REF = "#/components/schemas/ErrorBody"


class FieldError(BaseModel):
    """One refused field of a 422: where, why, and pydantic's error type."""

    field: str
    message: str
    type: str | None = None


class ErrorBody(BaseModel):
    """Every error answer: a readable ``detail``, the error's name in ``error``
    (``ValidationError``, ``CustomerNotFound``…), and for a refused request body or
    parameter the refused fields in ``errors``."""

    detail: str
    error: str
    errors: list[FieldError] | None = None


def _refs(node: Any) -> set[str]:
    """The component names ``node`` refers to, directly."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[1]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()


def _keep_used_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Drop the component schemas no kept path uses (directly or through another)."""
    schemas = document.get("components", {}).get("schemas", {})
    used, todo = set(), _refs(document.get("paths", {}))
    while todo:
        name = todo.pop()
        if name not in used and name in schemas:
            used.add(name)
            todo |= _refs(schemas[name])
    document.setdefault("components", {})["schemas"] = {
        name: schema for name, schema in schemas.items() if name in used
    }
    return document


def _truthful(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    body_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(body_schema.pop("$defs", {}))
    schemas["ErrorBody"] = body_schema
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")):
                    response["content"] = {"application/json": {"schema": {"$ref": _ERROR_REF}}}
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return document


def _document(app: FastAPI, *, internal: bool) -> dict[str, Any]:
    full = get_openapi(
        title=app.title + (" — internal" if internal else ""),
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    full["paths"] = {
        path: operations for path, operations in full.get("paths", {}).items()
        if path.startswith(INTERNAL_PREFIX) == internal
    }
    return _keep_used_schemas(_truthful(full))


def install_openapi(app: FastAPI, *, enabled: bool) -> None:
    """Make ``app.openapi()`` the public document and, when ``enabled`` (docs on), serve
    the internal one at :data:`INTERNAL_OPENAPI_PATH`."""

    def public_openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(app, internal=False)
        return app.openapi_schema

    app.openapi = public_openapi  # type: ignore[method-assign]
    if not enabled:
        return

    def internal_openapi() -> dict[str, Any]:
        """The document of the service-to-service routes."""
        return _document(app, internal=True)

    app.add_api_route(INTERNAL_OPENAPI_PATH, internal_openapi, include_in_schema=False)

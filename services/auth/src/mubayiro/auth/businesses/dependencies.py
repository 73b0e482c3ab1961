"""Dependencies that validate as they inject: the login body, the caller's business."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from mubayiro.auth.businesses.exceptions import (
    BusinessNotFound,
    UnknownBusiness,
    UnsupportedGrantType,
    UnsupportedMediaType,
)
from mubayiro.auth.businesses.schemas import LoginBusiness
from mubayiro.auth.businesses.service import business_service
from mubayiro.auth.deps import CurrentBusiness, ReadSession, WriteSession
from mubayiro.auth.models import Business
from mubayiro.common.security import CurrentOwner

_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
MAX_ID = 2**63 - 1


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _validation_error(exc: ValidationError, rename: dict[str, str]) -> RequestValidationError:
    errors = []
    for err in exc.errors(include_url=False, include_context=False):
        loc = tuple(rename.get(str(p), p) for p in err["loc"])
        errors.append({**err, "loc": ("body", *loc)})
    return RequestValidationError(errors)


async def login_credentials(request: Request) -> LoginBusiness:
    """The email and password of a login, from JSON or an OAuth2 password form.

    The form (``username``, ``password``, optional ``grant_type=password``) is what
    Swagger's Authorize button and OAuth2 clients send; ``username`` is the email.

    Raises:
        RequestValidationError: a field is missing or malformed (422).
        UnsupportedGrantType: a form with a ``grant_type`` other than ``password``.
        UnsupportedMediaType: neither JSON nor a form.
    """
    media_type = _media_type(request)
    if media_type in _FORM_TYPES:
        form = await request.form()
        grant_type = form.get("grant_type")
        if grant_type is not None and grant_type != "password":
            raise UnsupportedGrantType()
        data: dict[str, Any] = {}
        if "username" in form:
            data["email"] = form.get("username")
        if "password" in form:
            data["password"] = form.get("password")
        try:
            return LoginBusiness.model_validate(data)
        except ValidationError as exc:
            raise _validation_error(exc, {"email": "username"}) from None
    if media_type and media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType()
    try:
        return LoginBusiness.model_validate_json(await request.body())
    except ValidationError as exc:
        raise _validation_error(exc, {}) from None


def _signed_in(principal: CurrentBusiness, session: Session) -> Business:
    """The business of the request's business token, loaded in ``session``.

    Raises:
        UnknownBusiness: the token names a business that does not exist (401).
    """
    assert principal.business_id is not None
    try:
        return business_service.get(session, principal.business_id)
    except BusinessNotFound as exc:
        raise UnknownBusiness() from exc


def signed_in_business(principal: CurrentBusiness, session: ReadSession) -> Business:
    """The signed-in business, to read (see :func:`_signed_in`)."""
    return _signed_in(principal, session)


def signed_in_business_to_change(principal: CurrentOwner, session: WriteSession) -> Business:
    """The signed-in business, loaded in the write session that changes it (owners only:
    a cashier's token is 403 ``OwnerOnly``)."""
    return _signed_in(principal, session)


def valid_business_id(
    business_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: ReadSession
) -> Business:
    """The business named by the ``business_id`` path parameter.

    Raises:
        BusinessNotFound: no such business (404).
    """
    return business_service.get(session, business_id)


LoginCredentials = Annotated[LoginBusiness, Depends(login_credentials)]
SignedInBusiness = Annotated[Business, Depends(signed_in_business)]
SignedInBusinessToChange = Annotated[Business, Depends(signed_in_business_to_change)]
ValidBusiness = Annotated[Business, Depends(valid_business_id)]

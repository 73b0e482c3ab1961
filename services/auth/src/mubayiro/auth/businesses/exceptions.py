"""Errors of the businesses module."""

from __future__ import annotations

from mubayiro.common.errors import AppError, BadRequest, Conflict, NotFound, Unauthorized


class EmailAlreadyRegistered(Conflict):
    default_detail = "A business with this email is already registered"


class BusinessNameTaken(Conflict):
    # Names go into SMS to customers: two shops of one name would be indistinguishable
    # (and a copycat could speak as the original).
    default_detail = "A business with this name is already registered; choose another name"


class InvalidCredentials(Unauthorized):
    # One message for an unknown email and a wrong password: no account enumeration.
    default_detail = "Incorrect email or password"


class BusinessNotFound(NotFound):
    default_detail = "Business not found"


class UnknownBusiness(Unauthorized):
    default_detail = "The business this token names does not exist"


class UnsupportedGrantType(BadRequest):
    default_detail = "unsupported_grant_type: the login form takes grant_type=password"


class UnsupportedMediaType(AppError):
    status_code = 415
    default_detail = "Send JSON or an application/x-www-form-urlencoded form"

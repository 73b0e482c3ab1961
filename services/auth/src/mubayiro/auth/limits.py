"""Auth's abuse limits: who may try to sign in, sign up or get a token how often.

Every rule is counted by :class:`mubayiro.common.ratelimit.RateLimiter` (in auth's
database, or Redis when configured) so it holds across replicas; the numbers are
settings (``AUTH_*_LIMIT_*``). Over a limit the answer is 429 with ``Retry-After``.

- **Login**: wrong passwords per account and per client address. Only failures count,
  so a cashier signing in every morning never uses room; while a window is full even the
  right password is refused (a guesser cannot tell it found the password).
- **Registration**: every sign-up per client address.
- **Client credentials**: wrong secrets per client id (a service renewing its token is
  never counted).
- **Sign-in codes**: requests per client address (whatever the phone: one client texting
  forty numbers is toll fraud) and per phone from anywhere (an SMS flood). The tighter
  per-phone window of :mod:`mubayiro.auth.otp.service` counts per phone *and* address,
  so a stranger asking for codes for someone's phone never uses up the owner's own
  requests. Wrong codes per client address, whatever the phone; a code's own five tries
  stay, and a stranger who spends them only makes the owner ask for a fresh code, which
  works.

The guards are dependencies that run before the route's transaction (and, for counted
failures, end after it), as :mod:`mubayiro.common.ratelimit` requires on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from mubayiro.auth.businesses.dependencies import LoginCredentials
from mubayiro.auth.businesses.exceptions import InvalidCredentials
from mubayiro.auth.config import AuthSettings
from mubayiro.auth.deps import SettingsDep
from mubayiro.auth.oauth.dependencies import TokenRequest
from mubayiro.auth.oauth.exceptions import InvalidClient
from mubayiro.auth.otp.exceptions import InvalidCode, TooManyAttempts
from mubayiro.common.deps import app_state
from mubayiro.common.ratelimit import RateLimiter, Rule, client_address

RateLimiterDep = Annotated[RateLimiter, Depends(app_state("rate_limiter"))]


def guard_login(
    credentials: LoginCredentials, request: Request, limiter: RateLimiterDep,
    settings: SettingsDep,
) -> Iterator[None]:
    """Login: refused while the account's or the address's window of failures is full;
    a wrong password counts on both."""
    rules = [
        Rule("login-account", settings.login_limit_per_account, credentials.email),
        Rule("login-address", settings.login_limit_per_address, client_address(request)),
    ]
    with limiter.counting_failures(rules, InvalidCredentials):
        yield


def guard_registration(
    request: Request, limiter: RateLimiterDep, settings: SettingsDep
) -> None:
    """Registration: every attempt counts against the client address."""
    limiter.hit([Rule("register-address", settings.registration_limit_per_address,
                      client_address(request))])


def guard_client_credentials(
    credentials: TokenRequest, limiter: RateLimiterDep, settings: SettingsDep
) -> Iterator[None]:
    """Service tokens: a wrong secret counts against the client id."""
    rules = [Rule("token-client", settings.client_credentials_limit_per_client,
                  credentials.client_id)]
    with limiter.counting_failures(rules, InvalidClient):
        yield


def guard_code_request(
    request: Request, limiter: RateLimiterDep, settings: SettingsDep
) -> None:
    """Sign-in code requests: every request counts against the client address."""
    limiter.hit([Rule("otp-request-address", settings.otp_request_limit_per_address,
                      client_address(request))])


def guard_code_verify(
    request: Request, limiter: RateLimiterDep, settings: SettingsDep
) -> Iterator[None]:
    """Code checks: a wrong code counts against the client address."""
    rules = [Rule("otp-verify-address", settings.otp_verify_limit_per_address,
                  client_address(request))]
    with limiter.counting_failures(rules, InvalidCode, TooManyAttempts):
        yield


def count_code_request_for_phone(
    limiter: RateLimiter, settings: AuthSettings, phone_number: str
) -> None:
    """A code request counts against the phone, from whatever address (an SMS flood)."""
    limiter.hit([Rule("otp-request-phone", settings.otp_request_limit_per_phone, phone_number)])


LoginGuard = Annotated[None, Depends(guard_login, scope="function")]
RegistrationGuard = Annotated[None, Depends(guard_registration)]
ClientCredentialsGuard = Annotated[None, Depends(guard_client_credentials, scope="function")]
CodeRequestGuard = Annotated[None, Depends(guard_code_request)]
CodeVerifyGuard = Annotated[None, Depends(guard_code_verify, scope="function")]

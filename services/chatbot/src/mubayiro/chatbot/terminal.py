"""``loyalty-chat``: chat with the Mubayiro assistant from a terminal, as a customer.

It signs in the way the portal does — ``POST /auth/customer/otp/request``, then the
code, then ``/auth/customer/otp/verify`` — and then sends each line typed to
``POST /chat/messages`` with the customer token, printing the reply. In development the
SMS code is read from the console outbox (``GET /notifications/outbox?to=``, which only
exists with the console SMS provider); elsewhere it asks for the code the phone received.

    loyalty-chat --phone 0771234567
    loyalty-chat --phone +263771234567 --base-url https://loyalty.example.com --cacert ""

Everything goes through the gateway over HTTPS; ``--cacert`` names the CA to trust (the
development one by default; an empty value means the system's store).
"""

from __future__ import annotations

import argparse
import re
import ssl
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

from mubayiro.common.phone import InvalidPhoneNumber, normalize_phone

DEFAULT_BASE_URL = "https://localhost:8443"
DEFAULT_CACERT = "data/gateway/ca.pem"
_CODE = re.compile(r"code is (\d{6})")
EXIT_WORDS = {"quit", "exit", "bye", "/quit"}


class ChatFailed(Exception):
    """Signing in or chatting failed; the message says why, for the person at the terminal."""


def _api_error(resp: httpx.Response, what: str) -> ChatFailed:
    try:
        detail = resp.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return ChatFailed(f"{what}: {resp.status_code} {detail or resp.reason_phrase}")


def outbox_ids(http: httpx.Client, phone: str) -> set[int] | None:
    """Ids of the outbox messages to ``phone`` now; None when there is no outbox
    (not a development platform)."""
    resp = http.get("/notifications/outbox", params={"to": phone, "limit": 20})
    if resp.status_code == 404:
        return None
    if not resp.is_success:
        raise _api_error(resp, "reading the development outbox")
    return {int(m["id"]) for m in resp.json()}


def code_from_outbox(http: httpx.Client, phone: str, seen: set[int], *,
                     timeout: float = 15.0) -> str:
    """The sign-in code in the first new outbox message to ``phone`` (polls up to
    ``timeout`` seconds: notifications stores the SMS when auth's event reaches it).

    Raises:
        ChatFailed: no new code arrived in time.
    """
    deadline = time.monotonic() + timeout
    while True:
        resp = http.get("/notifications/outbox", params={"to": phone, "limit": 20})
        if resp.is_success:
            for message in resp.json():  # newest first
                found = _CODE.search(message.get("body", ""))
                if found and int(message["id"]) not in seen:
                    return found.group(1)
        if time.monotonic() >= deadline:
            raise ChatFailed(f"no sign-in code for {phone} reached the outbox")
        time.sleep(0.2)


def sign_in(http: httpx.Client, phone: str, ask_code: Callable[[str], str]) -> str:
    """A customer token for ``phone`` (E.164), through the SMS-code flow.

    ``ask_code`` is used when the platform has no development outbox.

    Raises:
        ChatFailed: auth refused the request or the code.
    """
    seen = outbox_ids(http, phone)
    resp = http.post("/auth/customer/otp/request", json={"phone_number": phone})
    if resp.status_code != 202:
        raise _api_error(resp, "asking for a sign-in code")
    if seen is None:
        code = ask_code(f"Code sent by SMS to {phone}: ").strip()
    else:
        code = code_from_outbox(http, phone, seen)
    resp = http.post("/auth/customer/otp/verify", json={"phone_number": phone, "code": code})
    if resp.status_code != 200:
        raise _api_error(resp, "signing in")
    return str(resp.json()["access_token"])


def ask(http: httpx.Client, token: str, message: str) -> str:
    """The assistant's reply to ``message``.

    Raises:
        ChatFailed: the chat route refused the message or failed.
    """
    resp = http.post("/chat/messages", json={"message": message},
                     headers={"Authorization": f"Bearer {token}"})
    if resp.status_code != 200:
        raise _api_error(resp, "the assistant")
    return str(resp.json()["reply"])


def _verify(cacert: str) -> ssl.SSLContext | bool:
    if not cacert:
        return True
    path = Path(cacert)
    if not path.is_file():
        raise ChatFailed(f"CA file {cacert} not found (start the platform, or pass --cacert)")
    return ssl.create_default_context(cafile=str(path))


def run(args: argparse.Namespace, read: Callable[[str], str] = input,
        write: Callable[[str], None] = print) -> int:
    """Sign in, then answer each line read until end of input or an exit word."""
    try:
        phone = normalize_phone(args.phone)
    except InvalidPhoneNumber:
        write(f"{args.phone!r} is not a valid phone number")
        return 2
    try:
        with httpx.Client(base_url=args.base_url.rstrip("/"), verify=_verify(args.cacert),
                          timeout=30) as http:
            token = sign_in(http, phone, read)
            write(f"Signed in as {phone}. Ask about your points, transactions, offers "
                  f"(\"offers from <shop>\") or recommendations; \"quit\" to leave.")
            while True:
                try:
                    line = read("you> ").strip()
                except EOFError:
                    break
                if line.lower() in EXIT_WORDS:
                    break
                if line:
                    write("bot> " + ask(http, token, line))
    except ChatFailed as exc:
        write(f"error: {exc}")
        return 1
    except httpx.TransportError as exc:
        write(f"error: cannot reach {args.base_url}: {exc}")
        return 1
    return 0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (see the module doc)."""
    parser = argparse.ArgumentParser(prog="loyalty-chat",
                                     description="Chat with the Mubayiro assistant.")
    parser.add_argument("--phone", required=True, help="your mobile number, e.g. 0771234567")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL,
                        help=f"the platform's address (default {DEFAULT_BASE_URL})")
    parser.add_argument("--cacert", default=DEFAULT_CACERT,
                        help=f"CA file to trust (default {DEFAULT_CACERT}; '' = system store)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``loyalty-chat``."""
    sys.exit(run(parse_args(argv)))


if __name__ == "__main__":
    main()

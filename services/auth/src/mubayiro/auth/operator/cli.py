"""The operator's commands on the auth service's command line.

- ``python -m mubayiro.auth approve <business_id>`` — make the business ``active``
  (a pending one is approved, a suspended one reinstated);
- ``python -m mubayiro.auth suspend <business_id>`` — make it ``suspended`` (its staff's
  sessions end; loyalty refuses its awards and redemptions);
- ``python -m mubayiro.auth businesses [--status pending|active|suspended]`` — list
  businesses, oldest first: id, status, name, email, registered at.

They work on auth's database directly (like ``outbox``), in one write transaction with
the ``business.updated`` event that tells loyalty; the running service's dispatcher
delivers it.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from mubayiro.auth.businesses.exceptions import BusinessNotFound
from mubayiro.auth.events import create_publisher
from mubayiro.auth.models import BUSINESS_STATUSES
from mubayiro.auth.operator.service import operator_service
from mubayiro.common.cli import OperatorCommand, OperatorError
from mubayiro.common.db import Database, utcnow


def _business_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("business_id", type=int, help="the business's id")


def _status_setter(status: str) -> Any:
    def run(args: argparse.Namespace, settings: Any, database: Database, out: TextIO) -> None:
        publisher = create_publisher(settings)
        try:
            with database.session(write=True) as session:
                business = operator_service.set_status(
                    session, args.business_id, status, publisher=publisher, now=utcnow()
                )
                name = business.name
        except BusinessNotFound as exc:
            raise OperatorError(f"no business with id {args.business_id}") from exc
        out.write(f"business {args.business_id} ({name}) is {status}\n")

    return run


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=BUSINESS_STATUSES, default=None)
    parser.add_argument("--limit", type=int, default=500)


def _list(args: argparse.Namespace, _settings: Any, database: Database, out: TextIO) -> None:
    if args.limit < 1:
        raise OperatorError("--limit must be at least 1")
    with database.session(write=False) as session:
        businesses = operator_service.list(session, args.status, limit=args.limit)
        for b in businesses:
            out.write("\t".join(
                [str(b.id), b.status, b.name, b.email, b.created_at.isoformat()]
            ) + "\n")
        out.write(f"{len(businesses)} business(es)\n")


COMMANDS = (
    OperatorCommand("approve", "make a business active (approve or reinstate it)",
                    _business_id, _status_setter("active")),
    OperatorCommand("suspend", "suspend a business (its staff's sessions end)",
                    _business_id, _status_setter("suspended")),
    OperatorCommand("businesses", "list businesses, oldest first", _list_arguments, _list),
)

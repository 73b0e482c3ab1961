"""The operator's commands on the loyalty service's command line.

- ``python -m mubayiro.loyalty limits <business_id>`` — show the business's award
  limits (points per transaction and per UTC day) and whether each is the default;
- ``… limits <business_id> --per-transaction N --per-day M`` — set either or both;
- ``… limits <business_id> --reset`` — back to the defaults
  (``LOYALTY_AWARD_LIMIT_PER_TRANSACTION``, ``LOYALTY_AWARD_LIMIT_PER_DAY``);
- ``python -m mubayiro.loyalty expire`` — write the ``expire`` rows due now (what the
  service's own worker does every ``LOYALTY_EXPIRY_INTERVAL_SECONDS``; for cron).

They work on loyalty's database directly (like ``outbox``), in one write transaction;
the running service applies the new limits from the next award on.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from mubayiro.common.cli import OperatorCommand, OperatorError
from mubayiro.common.db import Database
from mubayiro.common.errors import AppError
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.businesses.schemas import AwardLimits
from mubayiro.loyalty.businesses.service import business_service


def _limits_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("business_id", type=int, help="the business's id")
    parser.add_argument("--per-transaction", type=int, default=None, metavar="N",
                        help="the most points one award may give")
    parser.add_argument("--per-day", type=int, default=None, metavar="M",
                        help="the most points the business may award in one UTC day")
    parser.add_argument("--reset", action="store_true",
                        help="go back to the defaults from the settings")


def _describe(limits: AwardLimits) -> str:
    def one(value: int, default: bool) -> str:
        return f"{value}{' (default)' if default else ''}"

    return (f"business {limits.business_id}: at most "
            f"{one(limits.per_transaction, limits.per_transaction_is_default)} points per "
            f"transaction, {one(limits.per_day, limits.per_day_is_default)} points per day\n")


def _limits(args: argparse.Namespace, settings: Any, database: Database, out: TextIO) -> None:
    changing = args.reset or args.per_transaction is not None or args.per_day is not None
    if args.reset and (args.per_transaction is not None or args.per_day is not None):
        raise OperatorError("--reset cannot be combined with new limits")
    try:
        with database.session(write=changing) as session:
            business = business_service.get_program(session, args.business_id)
            if changing:
                limits = business_service.set_award_limits(
                    session, business.id,
                    per_transaction=None if args.reset else (
                        args.per_transaction or business.award_limit_per_transaction),
                    per_day=None if args.reset else (
                        args.per_day or business.award_limit_per_day),
                    settings=settings,
                )
            else:
                limits = business_service.award_limits(business, settings)
    except BusinessNotFound as exc:
        raise OperatorError(f"no business with id {args.business_id} in loyalty") from exc
    except AppError as exc:
        raise OperatorError(exc.detail) from exc
    out.write(_describe(limits))


def _expire_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no arguments: everything due now


def _expire(args: argparse.Namespace, settings: Any, database: Database, out: TextIO) -> None:
    from mubayiro.loyalty.lots.expiry import expiry_service
    from mubayiro.loyalty.main import make_publisher

    expired = expiry_service.run(database, make_publisher(settings))
    out.write(f"expired {expired} lot{'' if expired == 1 else 's'} of points\n")


COMMANDS = (
    OperatorCommand("limits", "show or set a business's award limits (points)",
                    _limits_arguments, _limits),
    OperatorCommand("expire", "expire the points due now (safe beside running replicas)",
                    _expire_arguments, _expire),
)

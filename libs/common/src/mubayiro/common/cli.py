"""The command line every service shares: ``serve`` (default), ``migrate`` and ``outbox``.

``python -m mubayiro.<service>`` serves the API with uvicorn (the app factory, so
importing a service has no side effects); ``python -m mubayiro.<service> migrate``
upgrades the service's database to the newest Alembic revision and exits (the app
also migrates at start-up; ``make up`` runs ``migrate`` first so errors show early).
When serving, that start-up migration runs in a forked child before uvicorn starts, so
the serving process never loads Alembic and Mako (about 10 MB of memory per process,
issue 14); an app built any other way (the tests) migrates in its own lifespan.

``python -m mubayiro.<service> outbox …`` is the operator's view of the service's work
queues (:mod:`mubayiro.common.queue`: the event outbox, queued SMS, invitation SMS):
the dead letters — items a peer refused, parked instead of retried forever:

- ``outbox list [--queue NAME] [--limit N]`` — every dead letter, oldest first: queue,
  id, when parked, attempts, what it is, and the peer's answer;
- ``outbox retry <id> [--queue NAME]`` — put one back in line (after the cause was
  fixed: a consumer deployed that accepts it, a number corrected…), due at once;
- ``outbox retry --all [--queue NAME]`` — put every dead letter back;
- ``outbox discard <id> [--queue NAME]`` — give one up for good (kept as ``discarded``).

``--queue`` defaults to the service's first queue for ``retry`` and ``discard`` (the
event outbox, or notifications' SMS) and to all of them for ``list`` and ``retry --all``.
The commands work on the service's database directly, so they run while it serves.

A service adds its own operator commands as :class:`OperatorCommand` objects (auth's
``approve``, ``suspend`` and ``businesses``): each declares its arguments and runs on the
service's settings and database, with the same exit statuses.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from mubayiro.common.db import MIGRATED_ENV, Database, run_migrations, utcnow
from mubayiro.common.queue import WorkQueue
from mubayiro.common.settings import ServiceSettings

#: What ``serve`` and the commands read: every service's settings are these.
_ServedSettings = ServiceSettings


class OperatorError(Exception):
    """An operator command that cannot be done as asked (unknown id, unknown queue)."""


@dataclass(frozen=True)
class OperatorCommand:
    """A service's own command: ``python -m mubayiro.<service> <name> …``.

    ``arguments`` adds the command's arguments to its parser; ``run`` does the work with
    the parsed arguments, the service's settings, an open :class:`Database` and the
    output stream, raising :class:`OperatorError` to refuse (exit status 1).
    """

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Any, Database, TextIO], None]


def _pick(queues: Sequence[WorkQueue], name: str | None) -> list[WorkQueue]:
    if name is None:
        return list(queues)
    chosen = [q for q in queues if q.name == name]
    if not chosen:
        known = ", ".join(q.name for q in queues) or "none"
        raise OperatorError(f"no queue named {name!r} (this service has: {known})")
    return chosen


def list_dead_letters(
    database: Database, queues: Sequence[WorkQueue], *, queue: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The dead letters of ``queues`` (or of the one named ``queue``), oldest parked first.

    Each is ``{queue, id, parked_at, attempts, last_error, <the queue's summary columns>}``.

    Raises:
        OperatorError: ``queue`` names none of ``queues``.
    """
    letters: list[dict[str, Any]] = []
    with database.session(write=False) as session:
        for q in _pick(queues, queue):
            for row in q.dead_letters(session, limit=limit):
                letters.append({
                    "queue": q.name,
                    "id": row.id,
                    "parked_at": getattr(row, q.prefix + "parked_at"),
                    "attempts": getattr(row, q.prefix + "attempts"),
                    **{name: getattr(row, name) for name in q.summary},
                    "last_error": getattr(row, q.prefix + "last_error"),
                })
    return letters


def retry_dead_letters(
    database: Database, queues: Sequence[WorkQueue], item_id: int | None, *,
    queue: str | None = None,
) -> int:
    """Make dead letters pending again, due now; return how many.

    With ``item_id``, that item of the named (default: first) queue; without it, every
    dead letter of the named queue (default: all queues).

    Raises:
        OperatorError: ``item_id`` is not a dead letter there, or ``queue`` is unknown.
    """
    chosen = _pick(queues, queue)
    if item_id is not None:
        chosen = chosen[:1]
    with database.session(write=True) as session:
        count = sum(q.retry(session, item_id, now=utcnow()) for q in chosen)
    if item_id is not None and count == 0:
        raise OperatorError(f"{chosen[0].name} {item_id} is not a dead letter")
    return count


def discard_dead_letter(
    database: Database, queues: Sequence[WorkQueue], item_id: int, *,
    queue: str | None = None,
) -> None:
    """Give up one dead letter of the named (default: first) queue for good.

    Raises:
        OperatorError: ``item_id`` is not a dead letter there, or ``queue`` is unknown.
    """
    chosen = _pick(queues, queue)[0]
    with database.session(write=True) as session:
        if not chosen.discard(session, item_id):
            raise OperatorError(f"{chosen.name} {item_id} is not a dead letter")


def _run_outbox(
    args: argparse.Namespace, database: Database, queues: Sequence[WorkQueue], out: TextIO
) -> None:
    if args.action == "list":
        letters = list_dead_letters(database, queues, queue=args.queue, limit=args.limit)
        for letter in letters:
            out.write("\t".join(
                "" if value is None else
                value.isoformat() if hasattr(value, "isoformat") else str(value)
                for value in letter.values()
            ) + "\n")
        out.write(f"{len(letters)} dead letter(s)\n")
    elif args.action == "retry":
        if (args.id is None) == (not args.all):
            raise OperatorError("give either an id or --all")
        count = retry_dead_letters(database, queues, args.id, queue=args.queue)
        out.write(f"{count} dead letter(s) put back in line\n")
    else:
        discard_dead_letter(database, queues, args.id, queue=args.queue)
        out.write(f"discarded {args.id}\n")


def _parser(
    service: str, queues: Sequence[WorkQueue], extra: Sequence[OperatorCommand] = ()
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"mubayiro-{service}", description=f"Mubayiro {service} service"
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the API (the default)")
    commands.add_parser("migrate", help="upgrade the database to the newest revision")
    if queues:
        names = [q.name for q in queues]
        outbox = commands.add_parser("outbox", help="list, retry or discard dead letters")
        actions = outbox.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="list dead letters, oldest first")
        listing.add_argument("--limit", type=int, default=None)
        retry = actions.add_parser("retry", help="put a dead letter (or --all) back in line")
        retry.add_argument("id", type=int, nargs="?")
        retry.add_argument("--all", action="store_true")
        discard = actions.add_parser("discard", help="give a dead letter up for good")
        discard.add_argument("id", type=int)
        for action in (listing, retry, discard):
            action.add_argument("--queue", choices=names, default=None)
    for command in extra:
        command.arguments(commands.add_parser(command.name, help=command.help))
    return parser


def _migrated_in_child(alembic_ini: Path, url: str) -> bool:
    """Migrate ``url`` in a forked child (module doc); True when it succeeded.

    Forked before uvicorn starts, while this process has no other thread.
    """
    child = multiprocessing.get_context("fork").Process(
        target=run_migrations, args=(alembic_ini, url), name="migrate")
    child.start()
    child.join()
    return child.exitcode == 0


def run_service_cli(
    service: str,
    *,
    settings_factory: Callable[[], _ServedSettings],
    alembic_ini: Path | None,
    argv: Sequence[str] | None = None,
    queues: Sequence[WorkQueue] = (),
    commands: Sequence[OperatorCommand] = (),
    out: TextIO | None = None,
) -> int:
    """Parse ``argv`` and serve ``mubayiro.<service>.main:create_app``, migrate, run an
    ``outbox`` command on ``queues``, or run one of the service's own ``commands``;
    return the exit status (0 done, 1 refused).

    A service without a database passes ``alembic_ini=None``: ``migrate`` then does nothing.
    """
    args = _parser(service, queues, commands).parse_args(argv)
    settings = settings_factory()
    if args.command == "migrate":
        if alembic_ini is not None:
            run_migrations(alembic_ini, settings.sqlalchemy_url)
        return 0
    own = {command.name: command for command in commands}
    if args.command == "outbox" or args.command in own:
        database = Database(settings.sqlalchemy_url)
        try:
            if args.command == "outbox":
                _run_outbox(args, database, queues, out or sys.stdout)
            else:
                own[args.command].run(args, settings, database, out or sys.stdout)
        except OperatorError as exc:
            print(f"mubayiro-{service}: {exc}", file=sys.stderr)
            return 1
        finally:
            database.dispose()
        return 0
    if "environment" not in settings.model_fields_set:
        # A deployment that forgets the variable must not quietly get development's
        # conveniences (open outbox, unsigned webhooks, development secrets).
        prefix = str(settings.model_config.get("env_prefix", ""))
        print(
            f"mubayiro-{service}: set {prefix}ENVIRONMENT to development, test or production "
            "(make up and the tests set development; the container image production)",
            file=sys.stderr,
        )
        return 1
    if alembic_ini is not None:
        if not _migrated_in_child(alembic_ini, settings.sqlalchemy_url):
            print(f"mubayiro-{service}: the database migration failed (see above)",
                  file=sys.stderr)
            return 1
        os.environ[MIGRATED_ENV] = settings.sqlalchemy_url
    import uvicorn

    uvicorn.run(
        f"mubayiro.{service}.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )
    return 0

"""``Idempotency-Key`` on write routes (IETF draft semantics, docs/api.md): one decorator.

A route opts in with :func:`idempotent` between its ``@router.post(...)`` and its
``def``; services and endpoints then know nothing about keys — they return their plain
result, and the decorator owns the rest:

- the key: the ``Idempotency-Key`` header (optional, or ``required=True``), 1 to
  :data:`MAX_KEY_LENGTH` printable ASCII characters (else 422);
- the scope: ``"<caller's subject> <METHOD> <path>"`` (``business:7 POST
  /transactions/add_points``), so two callers, or one caller on two routes or two
  resources, never share a key;
- the stored response: status code and JSON body, in ``idempotency_record``, **in the
  same transaction as the write it protects** — either both commit or neither does.
  A retry after a crash finds no record and does the work; a retry after success
  finds the record and gets the first response back;
- replay: same key, same body (compared after validation: ``0771234567`` and
  ``+263771234567`` are the same) → the stored status and body again, with
  ``Idempotent-Replayed: true``, and nothing runs;
- conflicts: same key, different body → 422 :class:`IdempotencyKeyReused`; same key
  while the first request is still running → 409 :class:`IdempotencyInFlight`;
- a request refused with a 4xx stores no key (its transaction rolls back, and a
  :class:`~mubayiro.common.errors.CommitThenRefuse` releases the claim before it
  commits), so the fixed request can be sent again with the same key.

How it works. The key is *claimed* — looked up, then inserted with an empty response by
``INSERT … ON CONFLICT DO NOTHING RETURNING id`` — in the route's
:data:`~mubayiro.common.deps.WriteSession`; the endpoint runs; the response is stored in
the claimed row. On SQLite writers are serialised by ``BEGIN IMMEDIATE``, so a second
request with the key simply waits and then finds the stored response (a replay). On
PostgreSQL its insert waits on the unique constraint and inserts nothing once the first
commits: 409, and a retry replays.
The four statements are built once (:mod:`mubayiro.common.sql`): every award runs them.

When the claim is taken. A route that writes straight away has it taken before the
endpoint runs. A route that also declares a :data:`~mubayiro.common.deps.ReadSession`
is one that reads, calls a peer and only then writes (referrals): the write lock must
not be held across the peer call. There the key is looked up in the read session
before the endpoint runs (a retry of a finished request is replayed before any check
could refuse it), and claimed when the write session's transaction begins — at the
endpoint's first write statement, through SQLAlchemy's ``after_begin`` event. If the
claim finds that a racing request has meanwhile stored a response, the endpoint is
stopped right there (nothing written yet) and that response is replayed.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import re
import typing
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, overload

from fastapi import Header, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.params import Depends as DependsParam
from pydantic import BaseModel, TypeAdapter
from pydantic_settings import BaseSettings
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.orm import Session

from mubayiro.common.db import UTCDateTime, utcnow
from mubayiro.common.deps import WriteSession, get_read_session, get_write_session
from mubayiro.common.errors import CommitThenRefuse, Conflict, InvalidInput
from mubayiro.common.sql import PerDialect, dialect_insert
from mubayiro.common.tokens import Principal

MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
#: Length of the ``scope`` column; longer scopes are shortened with a hash.
MAX_SCOPE_LENGTH = 128

_KEY_DESCRIPTION = "Send the same key again to retry safely: the change happens once."


class IdempotencyKeyReused(InvalidInput):
    default_detail = "This Idempotency-Key was already used with a different request body"


class IdempotencyInFlight(Conflict):
    default_detail = "A request with this Idempotency-Key is still being processed; retry later"


def idempotency_table(metadata: MetaData) -> Table:
    """The ``idempotency_record`` table, attached to a service's metadata (for Alembic)."""
    return Table(
        "idempotency_record",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("scope", String(MAX_SCOPE_LENGTH), nullable=False),
        Column("key", String(MAX_KEY_LENGTH), nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("status_code", Integer, nullable=True),
        Column("response", Text, nullable=True),
        Column("created_at", UTCDateTime(), nullable=False),
        UniqueConstraint("scope", "key", name="uq_idempotency_record_scope_key"),
    )


#: The statements' view of every service's table (same name and columns).
_records = idempotency_table(MetaData())


def _claim_statement(dialect: str) -> Any:
    return (
        dialect_insert(dialect, _records)
        .values(scope=bindparam("scope"), key=bindparam("key"),
                fingerprint=bindparam("fingerprint"), created_at=bindparam("created_at"))
        .on_conflict_do_nothing(index_elements=[_records.c.scope, _records.c.key])
        .returning(_records.c.id)
    )


_LOOK_UP = select(_records.c.fingerprint, _records.c.status_code, _records.c.response).where(
    _records.c.scope == bindparam("scope"), _records.c.key == bindparam("key"))
_CLAIM = PerDialect(_claim_statement)
_STORE = update(_records).where(_records.c.id == bindparam("record_id")).values(
    status_code=bindparam("status_code"), response=bindparam("response"))
_RELEASE = delete(_records).where(_records.c.id == bindparam("record_id"))


def fingerprint(body: Any) -> str:
    """A stable hash of a JSON-compatible request body."""
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def validate_key(key: str | None) -> str | None:
    """Check an ``Idempotency-Key`` header value.

    Raises:
        InvalidInput: the key is empty, too long or not printable ASCII.
    """
    if key is None:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters")
    return key


def scope_for(caller: Principal, method: str, path: str) -> str:
    """A key's scope: one caller on one route and resource (see module doc)."""
    scope = f"{caller.subject} {method} {path}"
    if len(scope) <= MAX_SCOPE_LENGTH:
        return scope
    digest = hashlib.sha256(scope.encode()).hexdigest()
    return f"{scope[: MAX_SCOPE_LENGTH - len(digest) - 1]} {digest}"


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    # Even parts are literal text, odd ones the names of fields ({b}: one id or name);
    # a field named twice must match the same text twice.
    seen: set[str] = set()
    pattern = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            pattern += re.escape(part)
        elif part in seen:
            pattern += f"(?P={part})"
        else:
            seen.add(part)
            pattern += f"(?P<{part}>[^\\s:/]+)"
    return re.compile(pattern + "$")


def rescope_records(op: Any, templates: list[tuple[str, str]], *, reverse: bool = False) -> None:
    """Data migration: rewrite the stored scopes of ``idempotency_record``.

    ``templates`` pairs an old scope with its new form, with named fields, e.g.
    ``("business:{b}:add_points", "business:{b} POST /transactions/add_points")``.
    A key stored before the scope format changed must still be found after it: a
    retried referral bonus would otherwise be paid twice. ``reverse`` maps back (for
    the migration's downgrade). ``op`` is Alembic's.
    """
    pairs = [(new, old) if reverse else (old, new) for old, new in templates]
    patterns = [(_template_regex(source), target) for source, target in pairs]
    conn = op.get_bind()
    for record_id, scope in conn.execute(select(_records.c.id, _records.c.scope)).all():
        for pattern, target in patterns:
            found = pattern.match(scope)
            if found is not None:
                conn.execute(update(_records).where(_records.c.id == record_id)
                             .values(scope=target.format(**found.groupdict())))
                break


class _Stored(BaseException):
    """A response found for the key: stop the endpoint and replay it.

    A ``BaseException`` so that no ``except Exception`` in service code can swallow it
    on its way from the ``after_begin`` hook back to :func:`idempotent`.
    """

    def __init__(self, status_code: int, body: str):
        super().__init__(status_code)
        self.status_code = status_code
        self.body = body


def _replay(stored: _Stored) -> Response:
    return Response(
        content=stored.body,
        status_code=stored.status_code,
        media_type="application/json",
        headers={REPLAYED_HEADER: "true"},
    )


class _Claim:
    """One request's key: look it up, claim it, store or release the response."""

    def __init__(self, scope: str, key: str, fp: str):
        self.scope, self.key, self.fp = scope, key, fp
        self.record_id: int | None = None

    def look_up(self, conn: Connection | Session) -> None:
        """Raise :class:`_Stored` or a conflict when the key is known; else return."""
        found = conn.execute(_LOOK_UP, {"scope": self.scope, "key": self.key}).first()
        if found is None:
            return
        if found.fingerprint != self.fp:
            raise IdempotencyKeyReused()
        if found.response is None:
            raise IdempotencyInFlight()
        raise _Stored(found.status_code or 200, found.response)

    def take(self, conn: Connection) -> None:
        """Claim the key in ``conn``'s (write) transaction, or raise as :meth:`look_up`."""
        self.look_up(conn)
        claimed = conn.execute(_CLAIM.for_(conn), {
            "scope": self.scope, "key": self.key, "fingerprint": self.fp,
            "created_at": utcnow()}).first()
        if claimed is None:  # another request holds the key (module doc)
            raise IdempotencyInFlight()
        self.record_id = int(claimed[0])

    def on_begin(self, _session: Session, _transaction: Any, conn: Connection) -> None:
        """``after_begin`` hook: claim the key as the write transaction starts."""
        self.take(conn)

    def store(self, session: Session, status_code: int, body: str) -> None:
        """Keep the response with the claimed key."""
        session.execute(_STORE, {"record_id": self.record_id, "status_code": status_code,
                                 "response": body})

    def release(self, session: Session) -> None:
        """Give the key up (a refused request stores none)."""
        if self.record_id is not None:
            session.execute(_RELEASE, {"record_id": self.record_id})
            self.record_id = None


def _is_dependency(annotation: Any, call: Callable[..., Any]) -> bool:
    return typing.get_origin(annotation) is Annotated and any(
        isinstance(m, DependsParam) and m.dependency is call
        for m in annotation.__metadata__
    )


def _is_principal(annotation: Any) -> bool:
    return typing.get_origin(annotation) is Annotated and annotation.__origin__ is Principal


def _is_body(annotation: Any) -> bool:
    # A pydantic model is the request body, also when a dependency checked it first
    # and hands it on (Annotated[Model, Depends(...)]); settings are not.
    if typing.get_origin(annotation) is Annotated:
        annotation = annotation.__origin__
    return (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and not issubclass(annotation, BaseSettings)
    )


def _body_json(body: list[tuple[str, BaseModel]]) -> Any:
    # Only the fields the client sent: in a PATCH, leaving a field out and sending it
    # as null are different requests.
    dumps = {name: model.model_dump(mode="json", exclude_unset=True) for name, model in body}
    return next(iter(dumps.values())) if len(dumps) == 1 else dumps


@functools.cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _serialize(request: Request, result: Any) -> tuple[int, str]:
    """The status and JSON body FastAPI will answer ``result`` with."""
    if isinstance(result, Response):
        return result.status_code, bytes(result.body).decode()
    route = request.scope.get("route")
    status = getattr(route, "status_code", None) or 200
    model = getattr(route, "response_model", None)
    if model is not None:
        adapter = _adapter(model)
        value = adapter.dump_python(
            adapter.validate_python(result, from_attributes=True), mode="json", by_alias=True
        )
    else:
        value = jsonable_encoder(result)
    return status, json.dumps(value)


_R = TypeVar("_R")

_REQUEST = "_idempotency_request"
_KEY = "_idempotency_key"
_WRITE = "_idempotency_write_session"
_READ = "_idempotency_read_session"


#: What ``@idempotent`` makes of an endpoint: keyword arguments only (FastAPI reads the
#: signature set on it), and it answers the endpoint's result or a stored ``Response``.
_Route = Callable[..., Any]


@overload
def idempotent(endpoint: Callable[..., _R], *, required: bool = False) -> _Route: ...


@overload
def idempotent(
    endpoint: None = None, *, required: bool = False
) -> Callable[[Callable[..., _R]], _Route]: ...


def idempotent(
    endpoint: Callable[..., _R] | None = None, *, required: bool = False
) -> _Route | Callable[[Callable[..., _R]], _Route]:
    """Make a write route idempotent by ``Idempotency-Key`` (see module doc).

    Use it under the route decorator::

        @router.post("/rewards", response_model=Reward, status_code=201)
        @idempotent
        def create_reward(caller: CurrentBusiness, body: RewardCreate,
                          session: WriteSession) -> Reward: ...

    The endpoint must take its caller (a ``Principal`` dependency): keys are scoped to
    it. ``required=True`` answers 422 when the header is missing. An endpoint that
    keeps the key with its data takes a parameter named ``idempotency_key``; it is
    given the header's value (it is not a request parameter of its own).
    """

    def decorate(func: Callable[..., _R]) -> _Route:
        hints = typing.get_type_hints(func, include_extras=True)
        params = list(inspect.signature(func).parameters.values())
        wants_key = any(p.name == "idempotency_key" for p in params)
        params = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in params if p.name != "idempotency_key"
        ]
        principal = next((p.name for p in params if _is_principal(p.annotation)), None)
        if principal is None:
            raise TypeError(f"{func.__name__}: an idempotent route must take its caller")
        write = next((p.name for p in params if _is_dependency(p.annotation,
                                                                get_write_session)), None)
        read = next((p.name for p in params if _is_dependency(p.annotation,
                                                               get_read_session)), None)
        body = [p.name for p in params if _is_body(p.annotation)]
        header: Any = Header(alias="Idempotency-Key", max_length=MAX_KEY_LENGTH,
                             description=_KEY_DESCRIPTION)
        extra = [
            inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request),
            inspect.Parameter(
                _KEY, inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[str, header] if required else Annotated[str | None, header],
                **({} if required else {"default": None}),
            ),
        ]
        if write is None:
            extra.append(inspect.Parameter(_WRITE, inspect.Parameter.KEYWORD_ONLY,
                                           annotation=WriteSession))

        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> Any:
            request: Request = kwargs.pop(_REQUEST)
            raw_key: str | None = kwargs.pop(_KEY)
            session: Session = kwargs.pop(_WRITE) if write is None else kwargs[write]
            if wants_key:
                kwargs["idempotency_key"] = raw_key
            key = validate_key(raw_key)
            if key is None:
                return func(**kwargs)
            claim = _Claim(
                scope_for(kwargs[principal], request.method, request.url.path),
                key,
                fingerprint(_body_json([(name, kwargs[name]) for name in body])),
            )
            try:
                if read is not None:
                    claim.look_up(kwargs[read])
                if read is None or session.in_transaction():
                    claim.take(session.connection())
                else:
                    event.listen(session, "after_begin", claim.on_begin, once=True)
                try:
                    result = func(**kwargs)
                except CommitThenRefuse:
                    claim.release(session)
                    raise
                finally:
                    if event.contains(session, "after_begin", claim.on_begin):
                        event.remove(session, "after_begin", claim.on_begin)
                if claim.record_id is None:  # the endpoint never wrote: claim it now
                    claim.take(session.connection())
            except _Stored as stored:
                return _replay(stored)
            status, answer = _serialize(request, result)
            if status >= 400:
                claim.release(session)
            else:
                claim.store(session, status, answer)
            return result

        # FastAPI builds the route from inspect.signature(), which honours __signature__;
        # typeshed declares no such attribute on functions, hence the ignore.
        wrapper.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            params + extra, return_annotation=hints.get("return", inspect.Signature.empty)
        )
        return wrapper

    return decorate(endpoint) if endpoint is not None else decorate

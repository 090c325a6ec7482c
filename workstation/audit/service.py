"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy import event as orm_events
from sqlalchemy.orm import Session

from workstation.extensions import db, on_postgresql
from workstation.masking import scrub_digits
from workstation.models.audit import GENESIS_HASH, AuditChainHead, AuditEvent
from workstation.types import utcnow

HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_role",
    "branch_code",
    "action",
    "customer_id",
    "object_type",
    "object_id",
    "reason",
    "outcome",
    "ip",
    "request_id",
    "detail",
    "prev_hash",
)


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where; built by the web layer and handed to services."""

    staff_id: int | None
    username: str
    role: str
    branch_code: str = ""
    ip: str = ""
    request_id: str = ""

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """The actor for scheduled jobs and command-line tools."""
        return cls(staff_id=None, username=name, role="system")


def _content_hash(content: dict) -> str:
    hashed = {name: content[name] for name in HASHED_FIELDS}
    hashed["occurred_at"] = content["occurred_at"].isoformat()
    canonical = json.dumps(hashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's content together with its predecessor's hash."""
    return _content_hash({name: getattr(event, name) for name in HASHED_FIELDS})


@dataclass(frozen=True)
class RecordedEvent:
    """An appended event: its id (to link other rows to it) and its hash."""

    id: int
    hash: str


@dataclass
class _HeldHead:
    """The chain head as locked by one transaction (or savepoint)."""

    transaction: object
    last_event_id: int
    last_hash: str
    moved: bool = False  # appended to since the lock: the head row is written before COMMIT


HELD_HEAD_KEY = "audit_chain_head_held"
_HEAD = AuditChainHead.__table__
_EVENTS = AuditEvent.__table__
# Built once: an append runs on every request, so its statements come from the compiled cache.
_LOCK_HEAD = (update(_HEAD).where(_HEAD.c.id == 1).values(last_event_id=_HEAD.c.last_event_id)
              .returning(_HEAD.c.last_event_id, _HEAD.c.last_hash))
_MOVE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1)
              .values(last_event_id=bindparam("new_event_id"), last_hash=bindparam("new_hash")))
_APPEND_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)
# On PostgreSQL an append moves the head in the same statement (one round trip, nothing left
# to write at COMMIT): the event's insert is a data-modifying CTE under the head's update.
_APPENDED = (insert(_EVENTS).values({name: bindparam(name) for name in (*HASHED_FIELDS, "hash")})
             .returning(_EVENTS.c.id).cte("appended"))
_APPEND_AND_MOVE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1)
                         .values(last_event_id=select(_APPENDED.c.id).scalar_subquery(),
                                 last_hash=bindparam("hash"))
                         .add_cte(_APPENDED).returning(_HEAD.c.last_event_id))


def _innermost_transaction(session: Session):
    return session.get_nested_transaction() or session.get_transaction()


def _chain_head() -> _HeldHead:
    """The locked chain head. A transaction locks it once, with a no-op UPDATE that returns
    the row (a row lock on PostgreSQL, the database write lock on SQLite), so concurrent
    appenders queue up; later appends in the same transaction move the held head on. On
    SQLite the row itself is written once, before COMMIT; PostgreSQL moves it with each
    append, in the append's own statement."""
    session = db.session()
    held = session.info.get(HELD_HEAD_KEY)
    current = _innermost_transaction(session)
    if held is not None and current is not None and held.transaction is current:
        return held
    row = session.execute(_LOCK_HEAD).one_or_none()
    if row is None:
        session.execute(insert(_HEAD).values(id=1, last_event_id=0, last_hash=GENESIS_HASH))
        row = (0, GENESIS_HASH)
    held = _HeldHead(_innermost_transaction(session), row[0], row[1])
    session.info[HELD_HEAD_KEY] = held
    return held


def record(
    actor: Actor,
    action: str,
    *,
    customer_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    outcome: str = "ok",
    detail: dict | None = None,
) -> RecordedEvent:
    """Append an event in the caller's transaction (the caller commits)."""
    head = _chain_head()
    content = {
        "occurred_at": utcnow(),
        "actor_id": actor.staff_id,
        "actor_username": actor.username,
        "actor_role": actor.role,
        "branch_code": actor.branch_code,
        "action": action,
        "customer_id": customer_id,
        "object_type": object_type,
        "object_id": str(object_id),
        "reason": scrub_digits(reason)[:2000],
        "outcome": outcome,
        "ip": actor.ip,
        "request_id": actor.request_id,
        "detail": json.dumps(detail or {}, sort_keys=True, default=str),
        "prev_hash": head.last_hash,
    }
    content["hash"] = _content_hash(content)
    moves_head = on_postgresql()
    event_id = db.session.execute(_APPEND_AND_MOVE_HEAD if moves_head else _APPEND_EVENT,
                                  content).scalar_one()
    head.last_event_id, head.last_hash, head.moved = event_id, content["hash"], not moves_head
    return RecordedEvent(event_id, content["hash"])


@orm_events.listens_for(Session, "before_commit")
def _write_moved_head(session: Session) -> None:
    """The head row moves to the transaction's last event once, just before COMMIT (where an
    append did not move it itself)."""
    held = session.info.get(HELD_HEAD_KEY)
    if held is None or not held.moved or held.transaction is not _innermost_transaction(session):
        return
    session.execute(_MOVE_HEAD, {"new_event_id": held.last_event_id,
                                 "new_hash": held.last_hash})
    held.moved = False


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the chain: how many events held, and the first that did not."""

    checked: int
    broken_event_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_event_id is None


def verify_chain() -> ChainReport:
    """Recompute every link in order and report the first broken one."""
    expected_prev = GENESIS_HASH
    checked = 0
    events = db.session.execute(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)
    ).scalars()
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.id, "does not link to the event before it")
        if event_hash(event) != event.hash:
            return ChainReport(checked, event.id, "content differs from what was recorded")
        expected_prev = event.hash
        checked += 1
    head = db.session.get(AuditChainHead, 1)
    if head is not None and head.last_hash != expected_prev:
        return ChainReport(checked, head.last_event_id, "the latest events were removed")
    return ChainReport(checked)

"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, update

from workstation.extensions import db
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


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's content together with its predecessor's hash."""
    content = {name: getattr(event, name) for name in HASHED_FIELDS}
    content["occurred_at"] = event.occurred_at.isoformat()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_chain_head() -> AuditChainHead:
    # The no-op UPDATE takes the write lock first (a row lock on PostgreSQL, the
    # database write lock on SQLite), so concurrent appenders queue up here.
    locked = db.session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(last_event_id=AuditChainHead.last_event_id)
    )
    if locked.rowcount == 0:
        head = AuditChainHead(id=1, last_event_id=0, last_hash=GENESIS_HASH)
        db.session.add(head)
        db.session.flush()
        return head
    return db.session.execute(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).scalar_one()


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
) -> AuditEvent:
    """Append an event in the caller's transaction (the caller commits)."""
    head = _lock_chain_head()
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.staff_id,
        actor_username=actor.username,
        actor_role=actor.role,
        branch_code=actor.branch_code,
        action=action,
        customer_id=customer_id,
        object_type=object_type,
        object_id=str(object_id),
        reason=scrub_digits(reason)[:2000],
        outcome=outcome,
        ip=actor.ip,
        request_id=actor.request_id,
        detail=json.dumps(detail or {}, sort_keys=True, default=str),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    head.last_event_id = event.id
    head.last_hash = event.hash
    return event


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

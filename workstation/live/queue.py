"""The waiting queue: customers join with a topic; agents take the longest-waiting customer
they have the skill and the free capacity for."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from workstation import audit
from workstation.errors import Conflict, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.live import notify
from workstation.live.catalog import (
    DEFAULT_HANDLE_SECONDS,
    QUEUE_PRESENCE_TIMEOUT,
    TOPICS,
    skill_list,
)
from workstation.live.models import LiveSession, QueueEntry, SessionParticipant
from workstation.models import Customer, Role, Staff
from workstation.types import utcnow

QUEUE_ROLES = {Role.AGENT.value, Role.SUPERVISOR.value}


@dataclass(frozen=True)
class QueuePlace:
    entry_id: int
    topic: str
    position: int
    estimated_wait_seconds: int

    def as_json(self) -> dict:
        return {"entry_id": self.entry_id, "topic": self.topic, "position": self.position,
                "estimated_wait_seconds": self.estimated_wait_seconds}


def _present():
    """Waiting entries whose customer checked in lately."""
    return (QueueEntry.status == "waiting") & (
        QueueEntry.last_seen_at >= utcnow() - QUEUE_PRESENCE_TIMEOUT)


def check_in(customer_id: int) -> QueueEntry | None:
    """The waiting customer's screen is still open: keep (or give back) their place."""
    entry = waiting_entry(customer_id)
    if entry is not None:
        was_absent = entry.last_seen_at < utcnow() - QUEUE_PRESENCE_TIMEOUT
        entry.last_seen_at = utcnow()
        db.session.commit()
        if was_absent:
            notify.queue_changed()
    return entry


def waiting_entry(customer_id: int) -> QueueEntry | None:
    """The customer's place in the queue, if they are waiting."""
    return db.session.scalar(
        select(QueueEntry).where(QueueEntry.customer_id == customer_id,
                                 QueueEntry.status == "waiting")
    )


def _active_session_of(customer_id: int) -> LiveSession | None:
    return db.session.scalar(
        select(LiveSession).where(LiveSession.customer_id == customer_id,
                                  LiveSession.status == "active")
    )


def join_queue(actor: audit.Actor, customer: Customer, topic: str) -> QueueEntry:
    """Put the customer in the queue for a topic (joining again keeps their place)."""
    if topic not in TOPICS:
        raise ValidationFailed("Choose one of the listed topics.")
    if _active_session_of(customer.id):
        raise Conflict("You are already in a live session.", code="already_in_session")
    if waiting_entry(customer.id) is not None:
        return check_in(customer.id)
    now = utcnow()
    entry = QueueEntry(customer_id=customer.id, topic=topic, joined_at=now, last_seen_at=now)
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "live.queue.join", customer_id=customer.id, object_type="queue_entry",
                 object_id=entry.id, detail={"topic": topic})
    db.session.commit()
    notify.queue_changed()
    return entry


def leave_queue(actor: audit.Actor, customer: Customer) -> bool:
    """Take the customer out of the queue; False when they were not waiting."""
    entry = waiting_entry(customer.id)
    if entry is None:
        return False
    entry.status, entry.left_at = "left", utcnow()
    audit.record(actor, "live.queue.leave", customer_id=customer.id, object_type="queue_entry",
                 object_id=entry.id)
    db.session.commit()
    notify.queue_changed()
    return True


def average_handle_seconds(since: datetime | None = None) -> float | None:
    """Average length of sessions ended since a time (default: today, UTC)."""
    since = since or utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = db.session.execute(
        select(LiveSession.started_at, LiveSession.ended_at).where(
            LiveSession.status == "ended", LiveSession.ended_at >= since)
    ).all()
    if not rows:
        return None
    return sum((end - start).total_seconds() for start, end in rows) / len(rows)


def _staff_for_topic(topic: str) -> int:
    agents = db.session.scalars(
        select(Staff).where(Staff.active.is_(True), Staff.role == Role.AGENT.value)
    ).all()
    return sum(max(a.capacity, 0) for a in agents
               if not skill_list(a.skills) or topic in skill_list(a.skills))


def queue_place(entry: QueueEntry, handle_seconds: float | None = None) -> QueuePlace:
    """Position among customers waiting for the same topic, and an estimated wait."""
    ahead = db.session.scalar(
        select(func.count(QueueEntry.id)).where(
            _present(), QueueEntry.topic == entry.topic,
            (QueueEntry.joined_at < entry.joined_at)
            | ((QueueEntry.joined_at == entry.joined_at) & (QueueEntry.id < entry.id)))
    ) or 0
    handle = handle_seconds or average_handle_seconds() or DEFAULT_HANDLE_SECONDS
    servers = max(_staff_for_topic(entry.topic), 1)
    wait = math.ceil((ahead + 1) * handle / servers)
    return QueuePlace(entry.id, entry.topic, ahead + 1, int(wait))


def all_places(entries: list[QueueEntry]) -> list[tuple[QueueEntry, QueuePlace]]:
    """Places of everyone waiting (entries longest-waiting first), computed in one pass."""
    handle = average_handle_seconds() or DEFAULT_HANDLE_SECONDS
    ahead: dict[str, int] = {}
    servers: dict[str, int] = {}
    places = []
    for entry in entries:
        position = ahead[entry.topic] = ahead.get(entry.topic, 0) + 1
        if entry.topic not in servers:
            servers[entry.topic] = max(_staff_for_topic(entry.topic), 1)
        wait = math.ceil(position * handle / servers[entry.topic])
        places.append((entry, QueuePlace(entry.id, entry.topic, position, int(wait))))
    return places


def waiting_entries() -> list[QueueEntry]:
    """Everyone waiting with their screen open, longest-waiting first."""
    return list(db.session.scalars(
        select(QueueEntry).where(_present()).order_by(QueueEntry.joined_at, QueueEntry.id)))


def active_session_count(staff_id: int) -> int:
    """Sessions this staff member is serving right now."""
    return db.session.scalar(
        select(func.count(LiveSession.id)).where(
            LiveSession.agent_id == staff_id, LiveSession.status == "active")
    ) or 0


def _claim(entry_id: int) -> bool:
    # Conditional update: of two agents taking the same customer, exactly one wins.
    claimed = db.session.execute(
        update(QueueEntry).where(QueueEntry.id == entry_id, QueueEntry.status == "waiting")
        .values(status="taken", taken_at=utcnow())
    )
    return claimed.rowcount == 1


def take_next(actor: audit.Actor, staff: Staff) -> LiveSession:
    """Start a session with the longest-waiting customer within the agent's skills and capacity."""
    if staff.role not in QUEUE_ROLES:
        raise Conflict("Only agents and supervisors take customers from the queue.")
    if active_session_count(staff.id) >= staff.capacity:
        raise Conflict(f"You are at your capacity of {staff.capacity} sessions at once.",
                       code="at_capacity")
    skills = skill_list(staff.skills)
    for entry in waiting_entries():
        if skills and entry.topic not in skills:
            continue
        if _claim(entry.id):
            session = _open_session(actor, staff, entry)
            db.session.commit()
            notify.queue_changed()
            notify.session_assigned(session)
            return session
    db.session.rollback()
    raise NotFound("Nobody is waiting for a topic you handle.", code="queue_empty")


def _open_session(actor: audit.Actor, staff: Staff, entry: QueueEntry) -> LiveSession:
    now = utcnow()
    session = LiveSession(customer_id=entry.customer_id, agent_id=staff.id, topic=entry.topic,
                          origin="queue", created_at=now, started_at=now, form_values={})
    db.session.add(session)
    db.session.flush()
    db.session.add(SessionParticipant(session_id=session.id, staff_id=staff.id, role="agent"))
    entry.session_id = session.id
    audit.record(actor, "live.session.start", customer_id=entry.customer_id,
                 object_type="live_session", object_id=session.id,
                 detail={"topic": entry.topic, "waited_seconds": int(
                     (now - entry.joined_at).total_seconds())})
    return session


def longest_wait(now: datetime | None = None) -> timedelta | None:
    """How long the first customer in the queue has waited."""
    first = db.session.scalar(select(func.min(QueueEntry.joined_at)).where(_present()))
    if first is None:
        return None
    return (now or utcnow()) - first

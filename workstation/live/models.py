"""Live sessions: the queue, invites, sessions with participants, chat, notes, consent,
transfers and ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.extensions import db
from workstation.models import Customer, Staff
from workstation.types import UTCDateTime, utcnow


class QueueEntry(db.Model):
    """A customer waiting for the next free agent who has the topic's skill."""

    __tablename__ = "live_queue_entries"
    __table_args__ = (Index("ix_live_queue_entries_status_joined", "status", "joined_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="waiting")  # waiting|taken|left
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The customer's screen or app checks in while waiting; a silent entry is left out of the
    # queue until it checks in again (keeping its place).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_id: Mapped[int | None] = mapped_column(ForeignKey("live_sessions.id"))

    customer: Mapped[Customer] = relationship()


class Invite(db.Model):
    """An account manager's invitation to a live session: a link token and a 6-digit code."""

    __tablename__ = "live_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(255), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_id: Mapped[int | None] = mapped_column(ForeignKey("live_sessions.id"))

    customer: Mapped[Customer] = relationship()
    staff: Mapped[Staff] = relationship()


class InviteAttempt(db.Model):
    """A failed invite redemption (unknown, used or expired), counted towards a limit."""

    __tablename__ = "live_invite_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class LiveSession(db.Model):
    """One meeting between a customer and staff: queue-taken or invited."""

    __tablename__ = "live_sessions"
    __table_args__ = (Index("ix_live_sessions_status_agent", "status", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(8), default="queue")  # queue|invite
    status: Mapped[str] = mapped_column(String(16), default="active")  # active|ended
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ended_by: Mapped[str] = mapped_column(String(16), default="")
    outcome_code: Mapped[str] = mapped_column(String(32), default="")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    media_state: Mapped[str] = mapped_column(String(16), default="")
    form_name: Mapped[str] = mapped_column(String(32), default="")
    form_values: Mapped[dict] = mapped_column(JSON, default=dict)
    service_record_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"))

    customer: Mapped[Customer] = relationship()
    agent: Mapped[Staff] = relationship()
    participants: Mapped[list[SessionParticipant]] = relationship(
        back_populates="session", order_by="SessionParticipant.id"
    )


class SessionParticipant(db.Model):
    """A staff member in a session: the serving agent, or a supervisor listening in."""

    __tablename__ = "live_session_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # agent|supervisor
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[LiveSession] = relationship(back_populates="participants")
    staff: Mapped[Staff] = relationship()


class ChatMessage(db.Model):
    """One chat line; the text is stored as typed and escaped wherever it is shown."""

    __tablename__ = "live_chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    sender: Mapped[str] = mapped_column(String(16))  # customer|staff|system
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    sender_name: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SessionNote(db.Model):
    """A staff-only note on a session (never shown to the customer)."""

    __tablename__ = "live_session_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    staff: Mapped[Staff] = relationship()


class ConsentRecord(db.Model):
    """The customer's answer to a consent screen, kept as evidence."""

    __tablename__ = "live_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(16))  # media|cobrowse
    granted: Mapped[bool] = mapped_column(Boolean)
    wording: Mapped[str] = mapped_column(Text)
    wording_version: Mapped[str] = mapped_column(String(16))
    device: Mapped[str] = mapped_column(String(255), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    audit_event_id: Mapped[int | None] = mapped_column(Integer)


class SessionTransfer(db.Model):
    """A hand-over of a session from one staff member to another, with a note."""

    __tablename__ = "live_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    from_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    to_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text)
    transferred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    from_staff: Mapped[Staff] = relationship(foreign_keys=[from_staff_id])
    to_staff: Mapped[Staff] = relationship(foreign_keys=[to_staff_id])


class SessionRating(db.Model):
    """The customer's 1-5 rating of an ended session, with an optional comment."""

    __tablename__ = "live_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

"""The customer task outbox: one row per task pushed to the customer's devices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workstation.extensions import db
from workstation.types import UTCDateTime, utcnow

OPEN_STATUSES = ("pending", "delivered")
CLOSED_STATUSES = ("completed", "declined", "expired", "cancelled")


class CustomerTask(db.Model):
    """A step the customer takes on their device; written with the business change."""

    __tablename__ = "customer_tasks"
    __table_args__ = (
        UniqueConstraint("customer_id", "seq", name="uq_customer_tasks_customer_seq"),
        Index("ix_customer_tasks_open_expiry", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # Looked up by the unique (customer_id, seq) index: one index fewer to write per task.
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    payload_json: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    subject_type: Mapped[str] = mapped_column(String(64), default="")
    subject_id: Mapped[str] = mapped_column(String(64), default="")
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_device_id: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_device_id: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_json: Mapped[str] = mapped_column(Text, default="{}")
    close_reason: Mapped[str] = mapped_column(String(255), default="")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CustomerTaskSequence(db.Model):
    """The last sequence number handed out per customer (row-locked on every new task)."""

    __tablename__ = "customer_task_sequences"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class CustomerTaskFile(db.Model):
    """A file the customer sent in answer to a task (an upload or a drawn signature)."""

    __tablename__ = "customer_task_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("customer_tasks.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

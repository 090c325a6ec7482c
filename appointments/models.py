"""Branch calendars, services, cash capacity, appointments, reminders and the branch queue."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.extensions import db
from workstation.models import Branch, Customer, Staff
from workstation.types import Money, UTCDateTime, utcnow

SERVICE_KINDS = {
    "counter": "Counter service",
    "large_cash": "Large cash withdrawal",
    "card_pickup": "Card pickup",
    "account_opening": "Account opening completion",
    "wealth": "Wealth consultation",
    "video": "Remote video appointment",
}
ACTIVE_STATUSES = ("booked", "checked_in")


class OpeningHours(db.Model):
    """One opening interval of a branch on a weekday (0 = Monday), in branch local time."""

    __tablename__ = "appt_opening_hours"
    __table_args__ = (UniqueConstraint("branch_id", "weekday", "opens"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    weekday: Mapped[int]
    opens: Mapped[time]
    closes: Mapped[time]


class Closure(db.Model):
    """A whole day a branch is closed: a public holiday or a local closure."""

    __tablename__ = "appt_closures"
    __table_args__ = (UniqueConstraint("branch_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(120))


class BranchService(db.Model):
    """A service a branch offers by appointment, with its slot rules."""

    __tablename__ = "appt_services"
    __table_args__ = (UniqueConstraint("branch_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    slot_minutes: Mapped[int] = mapped_column(default=30)
    capacity: Mapped[int] = mapped_column(default=1)
    buffer_minutes: Mapped[int] = mapped_column(default=0)
    min_notice_minutes: Mapped[int] = mapped_column(default=60)
    horizon_days: Mapped[int] = mapped_column(default=30)
    active: Mapped[bool] = mapped_column(default=True)

    branch: Mapped[Branch] = relationship()

    @property
    def label(self) -> str:
        return SERVICE_KINDS.get(self.kind, self.kind)


class CashCapacity(db.Model):
    """How much cash of one currency a branch can pay out by appointment per day."""

    __tablename__ = "appt_cash_capacity"
    __table_args__ = (UniqueConstraint("branch_id", "currency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    daily_limit: Mapped[Decimal] = mapped_column(Money())


class SlotLoad(db.Model):
    """Seats taken in one slot of one service: the row every booking locks and counts on."""

    __tablename__ = "appt_slot_load"
    __table_args__ = (UniqueConstraint("service_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("appt_services.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booked: Mapped[int] = mapped_column(default=0)


class CashLoad(db.Model):
    """Cash of one currency promised to appointments at a branch on one local day."""

    __tablename__ = "appt_cash_load"
    __table_args__ = (UniqueConstraint("branch_id", "currency", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date]
    booked_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))


class Appointment(db.Model):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_branch_start", "branch_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    checkin_code: Mapped[str] = mapped_column(String(12), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("appt_services.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="booked", index=True)
    channel: Mapped[str] = mapped_column(String(16), default="staff")
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    cash_amount: Mapped[Decimal | None] = mapped_column(Money())
    cash_currency: Mapped[str | None] = mapped_column(String(3))
    purpose: Mapped[str] = mapped_column(String(255), default="")
    source_of_funds: Mapped[str] = mapped_column(String(255), default="")
    prepared_request: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    sequence: Mapped[int] = mapped_column(default=0)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by: Mapped[str] = mapped_column(String(16), default="")
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer: Mapped[Customer] = relationship()
    branch: Mapped[Branch] = relationship()
    service: Mapped[BranchService] = relationship()
    booked_by: Mapped[Staff | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Reminder(db.Model):
    """A reminder due at a time; sent once, or withdrawn when the appointment moves."""

    __tablename__ = "appt_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(16), default="")

    appointment: Mapped[Appointment] = relationship()


class QueueTicket(db.Model):
    """A place in a branch's waiting line; checked-in appointments go ahead of walk-ins."""

    __tablename__ = "appt_queue_tickets"
    __table_args__ = (UniqueConstraint("branch_id", "day", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    day: Mapped[date]
    number: Mapped[int]
    priority: Mapped[int] = mapped_column(default=0)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    label: Mapped[str] = mapped_column(String(120), default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    appointment: Mapped[Appointment | None] = relationship()

    @property
    def display(self) -> str:
        return f"{'A' if self.priority else 'W'}{self.number:03d}"

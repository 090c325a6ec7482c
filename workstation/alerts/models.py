"""An alert raised for supervisors, and who acknowledged it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.extensions import db
from workstation.models import Customer, Staff
from workstation.types import UTCDateTime, utcnow

SEVERITIES = ("info", "warning", "high")


class Alert(db.Model):
    """Something a supervisor should look at; open until acknowledged with a note."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), index=True)
    severity: Mapped[str] = mapped_column(String(16), default="warning")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    acknowledgement: Mapped[str] = mapped_column(Text, default="")

    customer: Mapped[Customer | None] = relationship()
    staff: Mapped[Staff | None] = relationship(foreign_keys=[staff_id])
    acknowledged_by: Mapped[Staff | None] = relationship(foreign_keys=[acknowledged_by_id])

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

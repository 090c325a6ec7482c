"""PIN and online-banking password resets, and the online-banking password hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.extensions import db
from workstation.models import Card, Customer, Staff
from workstation.types import UTCDateTime, utcnow

STEP_LABELS = {
    "code": "one-time code",
    "confirm": "confirmation",
    "secret": "new PIN or password",
}
STATUS_LABELS = {
    "waiting": "Waiting for the customer",
    "set": "Set",
    "failed": "Failed",
    "expired": "Expired",
    "declined": "Declined by the customer",
    "cancelled": "Cancelled",
}


class CredentialReset(db.Model):
    """A PIN or password reset: identity proof by code, confirmation, then the new secret.

    The secret itself is never stored here: it goes from the device to the hash setter.
    """

    __tablename__ = "credential_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    kind: Mapped[str] = mapped_column(String(8))  # pin or password
    status: Mapped[str] = mapped_column(String(16), index=True)
    step: Mapped[str] = mapped_column(String(8), default="code")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    task_public_id: Mapped[str] = mapped_column(String(32), default="", index=True)
    challenge_public_id: Mapped[str] = mapped_column(String(43), default="")
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    secret_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_note: Mapped[str] = mapped_column(String(255), default="")

    customer: Mapped[Customer] = relationship()
    card: Mapped[Card | None] = relationship()
    staff: Mapped[Staff | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == "waiting"

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS.get(self.status, self.status)
        if self.is_open:
            return f"{label}: {STEP_LABELS.get(self.step, self.step)}"
        return label


class OnlineBankingLogin(db.Model):
    """The customer's online-banking password, kept only as an argon2 hash."""

    __tablename__ = "online_banking_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

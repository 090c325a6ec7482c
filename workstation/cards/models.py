"""Card requests (lock, unlock, loss reports, activation) and replacement orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.extensions import db
from workstation.models import Branch, Card, Customer, Staff
from workstation.types import Money, UTCDateTime, utcnow

REQUEST_KINDS = ("lock", "unlock", "formal_loss", "verbal_loss", "activate")
# awaiting_customer -> completed | declined | expired | cancelled;
# a verbal report: in_force -> confirmed | lapsed
OPEN_REQUEST_STATUSES = ("awaiting_customer",)


class CardRequest(db.Model):
    """One operation on a card that staff started, and what became of it."""

    __tablename__ = "card_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    loss_kind: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    task_public_id: Mapped[str] = mapped_column(String(32), default="", index=True)
    previous_status: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_note: Mapped[str] = mapped_column(String(255), default="")

    customer: Mapped[Customer] = relationship()
    card: Mapped[Card] = relationship()
    staff: Mapped[Staff | None] = relationship()


REPLACEMENT_STEPS = ("ordered", "in_production", "dispatched", "ready_for_pickup", "delivered",
                     "activated")
REPLACEMENT_LABELS = {
    "awaiting_customer": "Waiting for the customer's confirmation",
    "ordered": "Ordered",
    "in_production": "In production",
    "dispatched": "Dispatched",
    "ready_for_pickup": "Ready for pickup at the branch",
    "delivered": "Delivered",
    "activated": "Activated",
    "declined": "Declined by the customer",
    "expired": "Not confirmed in time",
    "cancelled": "Cancelled",
}


class CardReplacement(db.Model):
    """A replacement card order: new number, delivery, fee, and its progress."""

    __tablename__ = "card_replacements"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    old_card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    new_card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    delivery: Mapped[str] = mapped_column(String(8))  # branch or address
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    delivery_address: Mapped[str] = mapped_column(String(255), default="")
    fee: Mapped[Decimal] = mapped_column(Money())
    fee_currency: Mapped[str] = mapped_column(String(3))
    fee_waived: Mapped[bool] = mapped_column(default=False)
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    waiver_reason: Mapped[str] = mapped_column(Text, default="")
    # The fee is reserved on the card's account when the customer confirms the order and
    # debited when the new card is activated (or released if it is waived before then).
    # Ids in the core-banking system.
    fee_hold_id: Mapped[int | None] = mapped_column()
    fee_transaction_id: Mapped[int | None] = mapped_column()
    fee_charged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    task_public_id: Mapped[str] = mapped_column(String(32), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ordered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    in_production_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ready_for_pickup_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    customer: Mapped[Customer] = relationship()
    old_card: Mapped[Card] = relationship(foreign_keys=[old_card_id])
    new_card: Mapped[Card | None] = relationship(foreign_keys=[new_card_id])
    branch: Mapped[Branch | None] = relationship()
    waived_by: Mapped[Staff | None] = relationship(foreign_keys=[waived_by_id])

    @property
    def status_label(self) -> str:
        return REPLACEMENT_LABELS.get(self.status, self.status)

    @property
    def fee_due(self) -> Decimal:
        return Decimal("0.00") if self.fee_waived else self.fee

    @property
    def fee_summary(self) -> str:
        """The fee and where it stands, as staff and the customer see it."""
        amount = f"{self.fee:.2f} {self.fee_currency}"
        if self.fee_waived:
            return f"Waived (was {amount})"
        if self.fee_charged_at is not None:
            return f"{amount}, debited from the card's account"
        if self.fee_hold_id is not None:
            return f"{amount}, reserved on the card's account until the new card is activated"
        return amount

    def timeline(self) -> list[tuple[str, datetime | None]]:
        """The progress steps that apply to this order, with the time each was reached."""
        steps = [s for s in REPLACEMENT_STEPS
                 if not (s == "ready_for_pickup" and self.delivery == "address")
                 and not (s == "delivered" and self.delivery == "branch")]
        return [(REPLACEMENT_LABELS[s], getattr(self, f"{s}_at")) for s in steps]

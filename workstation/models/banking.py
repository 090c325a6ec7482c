"""Customers and their accounts, cards, transactions, holds and service history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.crypto import EncryptedString
from workstation.extensions import db
from workstation.models.staff import Branch, Staff
from workstation.types import Money, UTCDateTime, utcnow


class Customer(db.Model):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_no: Mapped[str] = mapped_column(String(16), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    email: Mapped[str] = mapped_column(String(255), default="")
    birth_date: Mapped[date]
    id_type: Mapped[str] = mapped_column(String(16), default="resident_id")
    # Clear card and ID numbers are read (and decrypted) only where a service asks for them.
    id_number: Mapped[str] = mapped_column(EncryptedString(), deferred=True)
    id_number_last4: Mapped[str] = mapped_column(String(4))
    id_number_digest: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str] = mapped_column(String(255), default="")
    preferred_language: Mapped[str] = mapped_column(String(8), default="zh")
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    home_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    manager: Mapped[Staff | None] = relationship()
    home_branch: Mapped[Branch | None] = relationship()
    accounts: Mapped[list[Account]] = relationship(back_populates="customer", order_by="Account.id")
    cards: Mapped[list[Card]] = relationship(back_populates="customer", order_by="Card.id")


class Account(db.Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    account_class: Mapped[str] = mapped_column(String(3))  # I, II or III
    product: Mapped[str] = mapped_column(String(64), default="Current account")
    currency: Mapped[str] = mapped_column(String(3))
    balance: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(16), default="active")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="accounts")

    @property
    def number_last4(self) -> str:
        return self.number[-4:]


class Card(db.Model):
    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    pan: Mapped[str] = mapped_column(EncryptedString(), deferred=True)
    pan_first6: Mapped[str] = mapped_column(String(6))
    pan_last4: Mapped[str] = mapped_column(String(4), index=True)
    pan_digest: Mapped[str] = mapped_column(String(64), unique=True)
    product: Mapped[str] = mapped_column(String(64), default="Debit card")
    status: Mapped[str] = mapped_column(String(20), default="active")
    expiry_month: Mapped[int]
    expiry_year: Mapped[int]
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    pin_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="cards")
    account: Mapped[Account] = relationship()

    @property
    def expiry(self) -> str:
        return f"{self.expiry_month:02d}/{self.expiry_year % 100:02d}"


class AccountTransaction(db.Model):
    __tablename__ = "account_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    balance_after: Mapped[Decimal] = mapped_column(Money())
    description: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(32), default="branch")
    reference: Mapped[str] = mapped_column(String(64), default="")

    account: Mapped[Account] = relationship()


class Hold(db.Model):
    __tablename__ = "holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(255))
    reference: Mapped[str] = mapped_column(String(64), default="")
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    release_reason: Mapped[str] = mapped_column(String(255), default="")

    account: Mapped[Account] = relationship()


class ServiceRecord(db.Model):
    """One errand handled for a customer: the service history on the profile."""

    __tablename__ = "service_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(32), default="video")
    topic: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(32), default="completed")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    staff: Mapped[Staff | None] = relationship()

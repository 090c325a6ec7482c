"""Issued documents and the approvals they collected."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.extensions import db
from workstation.models import Customer, Staff
from workstation.types import Money, UTCDateTime, utcnow


class DocumentStatus:
    """Where a document stands; only `issued` documents verify as valid."""

    PENDING = "pending_approval"
    ISSUED = "issued"
    REJECTED = "rejected"
    REVOKED = "revoked"
    EXPIRED = "expired"


class Document(db.Model):
    """One numbered document: its frozen content, the signed PDF and its life cycle."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[Decimal | None] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default="")
    approvals_needed: Mapped[int] = mapped_column(default=0)
    params: Mapped[str] = mapped_column(Text, default="{}")
    content: Mapped[str] = mapped_column(Text, default="{}")
    essentials: Mapped[str] = mapped_column(Text, default="{}")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    hold_id: Mapped[int | None]
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str] = mapped_column(String(500), default="")
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    customer: Mapped[Customer] = relationship()
    requested_by: Mapped[Staff | None] = relationship(foreign_keys=[requested_by_id])
    revoked_by: Mapped[Staff | None] = relationship(foreign_keys=[revoked_by_id])
    approvals: Mapped[list[DocumentApproval]] = relationship(
        back_populates="document", order_by="DocumentApproval.id"
    )


class DocumentApproval(db.Model):
    """A supervisor's approval of a document above an approval tier."""

    __tablename__ = "document_approvals"
    __table_args__ = (UniqueConstraint("document_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="approvals")
    staff: Mapped[Staff] = relationship()

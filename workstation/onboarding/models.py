"""Cloud card applications: the application, its documents, decisions, signed agreement,
and the watch-list it is screened against."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.crypto import EncryptedString
from workstation.extensions import db
from workstation.models import Branch, Customer, Staff
from workstation.types import Money, UTCDateTime, utcnow

STEPS = ("personal", "documents", "address", "occupation", "account")
DOCUMENT_SLOTS = ("id_front", "id_back", "selfie")
OPEN_STATUSES = ("draft", "review", "approved", "card_issued")
CLOSED_STATUSES = ("completed", "rejected", "withdrawn")


class OnboardingApplication(db.Model):
    """One remote debit card application, resumable step by step."""

    __tablename__ = "onboarding_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    channel: Mapped[str] = mapped_column(String(16))  # assisted or self
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(Integer, index=True)
    completed_steps: Mapped[str] = mapped_column(String(120), default="")
    # personal data
    full_name: Mapped[str] = mapped_column(String(120), default="")
    id_number: Mapped[str | None] = mapped_column(EncryptedString())
    id_number_last4: Mapped[str] = mapped_column(String(4), default="")
    id_digest: Mapped[str] = mapped_column(String(64), default="", index=True)
    # Set while the application is open, cleared when it closes: the unique constraint
    # makes "one open application per ID number" hold under concurrent requests too.
    open_id_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    birth_date: Mapped[date | None]
    id_expires_on: Mapped[date | None]
    phone: Mapped[str] = mapped_column(String(20), default="", index=True)
    email: Mapped[str] = mapped_column(String(255), default="")
    # address, occupation and purpose
    address_line: Mapped[str] = mapped_column(String(255), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    postcode: Mapped[str] = mapped_column(String(12), default="")
    occupation: Mapped[str] = mapped_column(String(32), default="")
    employer: Mapped[str] = mapped_column(String(120), default="")
    purpose: Mapped[str] = mapped_column(String(32), default="")
    # account type and its remote-opening terms
    account_class: Mapped[str] = mapped_column(String(3), default="")
    bound_bank: Mapped[str] = mapped_column(String(120), default="")
    bound_account: Mapped[str | None] = mapped_column(EncryptedString())
    bound_account_last4: Mapped[str] = mapped_column(String(4), default="")
    daily_outflow_limit: Mapped[Decimal | None] = mapped_column(Money())
    yearly_outflow_limit: Mapped[Decimal | None] = mapped_column(Money())
    balance_cap: Mapped[Decimal | None] = mapped_column(Money())
    physical_card: Mapped[bool] = mapped_column(default=False)
    pickup_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    card_order_status: Mapped[str] = mapped_column(String(16), default="")
    # screening and outcome
    risk_score: Mapped[int | None] = mapped_column(Integer)
    outcome_category: Mapped[str] = mapped_column(String(32), default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    card_last4: Mapped[str] = mapped_column(String(4), default="")
    # The new card's number, kept encrypted only until the customer has set the PIN: it is
    # shown on the customer's own device and never on a staff page.
    card_reveal: Mapped[str | None] = mapped_column(EncryptedString())
    pin_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    customer: Mapped[Customer] = relationship()
    prepared_by: Mapped[Staff | None] = relationship()
    pickup_branch: Mapped[Branch | None] = relationship()

    @property
    def steps_done(self) -> set[str]:
        return {s for s in self.completed_steps.split(",") if s}

    @property
    def next_step(self) -> str | None:
        return next((s for s in STEPS if s not in self.steps_done), None)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OnboardingDocument(db.Model):
    """An ID photo (front, back) or the selfie, checked to be a JPEG or PNG image."""

    __tablename__ = "onboarding_documents"
    __table_args__ = (UniqueConstraint("application_id", "slot", name="uq_onboarding_doc_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("onboarding_applications.id"), index=True
    )
    slot: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    received_via: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OnboardingTaskLink(db.Model):
    """A task pushed to the customer's device for an application step."""

    __tablename__ = "onboarding_task_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("onboarding_applications.id"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))  # id_front, id_back, selfie, agreement, ...
    task_public_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScreeningDecision(db.Model):
    """A decision on an application (automatic or by a supervisor), with its reasons."""

    __tablename__ = "onboarding_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("onboarding_applications.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # screening or review
    outcome: Mapped[str] = mapped_column(String(16))  # approve, review, reject
    score: Mapped[int] = mapped_column(Integer, default=0)
    reasons_json: Mapped[str] = mapped_column(Text, default="[]")
    category: Mapped[str] = mapped_column(String(32), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignedAgreement(db.Model):
    """The account agreement as shown to the customer, and the evidence of their signature."""

    __tablename__ = "onboarding_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("onboarding_applications.id"), unique=True
    )
    version: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    task_public_id: Mapped[str] = mapped_column(String(32), default="")
    signature_json: Mapped[str] = mapped_column(Text, default="{}")
    signed_device_id: Mapped[int | None] = mapped_column(Integer)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WatchlistImport(db.Model):
    """One watch-list file imported by an administrator (the newest replaces the list)."""

    __tablename__ = "onboarding_watchlist_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WatchlistEntry(db.Model):
    """A listed person: the name as matched, and the ID number only as a keyed digest."""

    __tablename__ = "onboarding_watchlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("onboarding_watchlist_imports.id"))
    name_key: Mapped[str] = mapped_column(String(120), index=True)
    id_digest: Mapped[str] = mapped_column(String(64), default="", index=True)
    list_name: Mapped[str] = mapped_column(String(64), default="")

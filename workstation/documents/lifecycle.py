"""Revoking, expiring, verifying and reading issued documents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workstation import audit
from workstation.core import CoreBanking
from workstation.customers.access import customer_with_basis
from workstation.documents.models import Document, DocumentStatus
from workstation.documents.printing import normalise_code
from workstation.documents.registry import document_type
from workstation.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Role, Staff
from workstation.types import utcnow

SUPERVISION = "supervision"


def _release(core: CoreBanking, document: Document, reason: str) -> None:
    if document.hold_id is not None:
        core.release_hold(document.hold_id, f"{reason} {document.number}")


def revoke_document(actor: audit.Actor, staff: Staff, core: CoreBanking, document_id: int,
                    reason: str) -> Document:
    """A supervisor revokes an issued document with a reason; any hold is released."""
    if staff.role != Role.SUPERVISOR:
        raise Forbidden("Only a supervisor may revoke a document.")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationFailed("Give the reason for revoking in a few words.")
    document = db.session.execute(
        select(Document).where(Document.id == document_id).with_for_update()
    ).scalar_one_or_none()
    if document is None:
        raise NotFound("No such document.")
    if document.status != DocumentStatus.ISSUED:
        raise Conflict("Only a document that is currently valid can be revoked.")
    document.status = DocumentStatus.REVOKED
    document.revoked_at = utcnow()
    document.revoked_by_id = staff.id
    document.revoke_reason = reason[:500]
    _release(core, document, "Certificate revoked")
    audit.record(actor, "document.revoke", customer_id=document.customer_id,
                 object_type="document", object_id=document.number, reason=reason)
    db.session.commit()
    return document


def expire_due_documents(core: CoreBanking, now: datetime | None = None) -> int:
    """Mark documents past their validity expired and release their holds; once per document."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Document)
        .where(Document.status == DocumentStatus.ISSUED, Document.valid_until <= now)
        .order_by(Document.id)
        .with_for_update(skip_locked=True)
    ).all()
    actor = audit.Actor.system("documents-expiry")
    for document in due:
        document.status = DocumentStatus.EXPIRED
        document.expired_at = now
        _release(core, document, "Certificate expired")
        audit.record(actor, "document.expire", customer_id=document.customer_id,
                     object_type="document", object_id=document.number,
                     detail={"hold_id": document.hold_id})
    db.session.commit()
    return len(due)


@dataclass(frozen=True)
class Verification:
    """What the public verify page may say: the state and the masked essentials."""

    state: str
    number: str
    title: str
    language: str
    issued_at: datetime | None
    valid_until: datetime | None
    changed_at: datetime | None
    essentials: dict
    pdf_sha256: str


def _public_state(document: Document, now: datetime) -> str:
    if document.status == DocumentStatus.ISSUED:
        expired = document.valid_until is not None and document.valid_until <= now
        return "expired" if expired else "valid"
    return document.status


def verify_code(actor: audit.Actor, code: str) -> Verification:
    """Look up a verification code; unknown codes and unissued documents are not found."""
    normalised = normalise_code(code)
    document = db.session.scalar(
        select(Document).where(Document.verification_code == normalised)
    ) if normalised else None
    if document is None or document.status in (DocumentStatus.PENDING, DocumentStatus.REJECTED):
        raise NotFound("No document carries this verification code.")
    now = utcnow()
    state = _public_state(document, now)
    audit.record(actor, "document.verify", customer_id=document.customer_id,
                 object_type="document", object_id=document.number, outcome=state)
    db.session.commit()
    changed = document.revoked_at if state == "revoked" else (
        document.valid_until if state == "expired" else None)
    return Verification(
        state=state, number=document.number or "",
        title=document_type(document.doc_type).title("en"), language=document.language,
        issued_at=document.issued_at, valid_until=document.valid_until, changed_at=changed,
        essentials=json.loads(document.essentials), pdf_sha256=document.pdf_sha256,
    )


def list_customer_documents(actor: audit.Actor, staff: Staff, customer_id: int):
    """A customer's documents, newest first, for staff with a basis to see them."""
    customer, basis = customer_with_basis(actor, staff, customer_id, "documents.list")
    documents = db.session.scalars(
        select(Document).where(Document.customer_id == customer.id)
        .order_by(Document.id.desc())
    ).all()
    audit.record(actor, "documents.list", customer_id=customer.id, object_type="customer",
                 object_id=customer.customer_no, reason=basis,
                 detail={"documents": len(documents)})
    db.session.commit()
    return customer, documents


def open_document(actor: audit.Actor, staff: Staff, document_id: int, purpose: str) -> Document:
    """A document for viewing, printing or download; supervisors may open any (audited)."""
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound("No such document.")
    if staff.role == Role.SUPERVISOR:
        basis = SUPERVISION
    else:
        basis = customer_with_basis(actor, staff, document.customer_id, f"document.{purpose}")[1]
    if purpose in ("print", "download") and document.pdf is None:
        raise Conflict("This document has not been issued.")
    audit.record(actor, f"document.{purpose}", customer_id=document.customer_id,
                 object_type="document", object_id=document.number or "", reason=basis)
    db.session.commit()
    return document


def pending_approvals(actor: audit.Actor, staff: Staff) -> list[Document]:
    """Documents awaiting a supervisor's approval, oldest first."""
    if staff.role != Role.SUPERVISOR:
        raise Forbidden("Only supervisors see documents awaiting approval.")
    documents = db.session.scalars(
        select(Document).where(Document.status == DocumentStatus.PENDING)
        .order_by(Document.requested_at, Document.id)
    ).all()
    audit.record(actor, "documents.approvals", object_type="document",
                 detail={"pending": len(documents)})
    db.session.commit()
    return list(documents)

"""Requesting, approving and issuing documents; each function commits once."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from workstation import audit
from workstation.core import CoreBanking
from workstation.customers.access import customer_with_basis
from workstation.documents import delivery
from workstation.documents.models import Document, DocumentApproval, DocumentStatus
from workstation.documents.printing import CODE_ALPHABET, print_source, render_print_html
from workstation.documents.registry import DocumentType, PrepareRequest, document_type
from workstation.documents.rendering import render_pdf
from workstation.documents.signing import signing_material
from workstation.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Customer, Role, Staff
from workstation.types import utcnow

CODE_LENGTH = 16


@dataclass(frozen=True)
class DocumentEnv:
    """The surroundings a document service needs: core, settings and where links point."""

    core: CoreBanking
    settings: dict
    instance_path: str
    public_base_url: str


def approvals_needed(amount: Decimal | None, currency: str, tiers: dict) -> int:
    """How many supervisor approvals an amount needs: one per tier threshold it exceeds."""
    if amount is None:
        return 0
    thresholds = tiers.get(currency) or tiers.get("*") or []
    return sum(1 for threshold in thresholds if amount > Decimal(str(threshold)))


def new_verification_code() -> str:
    """A random code of 80 bits in an alphabet without look-alike letters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class IssueForm:
    """What the issue form of one kind of document shows: the customer and their choices
    (accounts, fees, appointments)."""

    customer: Customer
    kind: DocumentType
    options: dict


def issue_form(actor: audit.Actor, staff: Staff, env: DocumentEnv, customer_id: int,
               type_key: str) -> IssueForm:
    """The issue form's contents for a staff member with a basis (audited: it lists the
    customer's accounts, fees or appointments)."""
    customer, basis = customer_with_basis(actor, staff, customer_id, "document.form_view")
    kind = document_type(type_key)
    options = kind.form_options(customer, env.core, env.settings)
    audit.record(actor, "document.form_view", customer_id=customer.id, object_type="customer",
                 object_id=customer.customer_no, reason=basis, detail={"type": kind.key})
    db.session.commit()
    return IssueForm(customer, kind, options)


def request_document(actor: audit.Actor, staff: Staff, env: DocumentEnv, customer_id: int,
                     type_key: str, language: str, params: dict[str, str]) -> Document:
    """Create a document: issued at once, or held for approval when the amount needs it."""
    customer, basis = customer_with_basis(actor, staff, customer_id, "document.request")
    kind = document_type(type_key)
    if language not in env.settings["DOCUMENTS_LANGUAGES"]:
        raise ValidationFailed("Choose English, Spanish or Chinese for the document.")
    prepared = kind.prepare(PrepareRequest(customer, env.core, params, language, env.settings,
                                           utcnow()))
    needed = 0
    if kind.needs_approval_check:
        needed = approvals_needed(prepared.amount, prepared.currency,
                                  env.settings["DOCUMENTS_APPROVAL_TIERS"])
    document = Document(
        doc_type=kind.key, language=language, status=DocumentStatus.PENDING,
        customer_id=customer.id, account_id=prepared.account_id, amount=prepared.amount,
        currency=prepared.currency, approvals_needed=needed,
        verification_code=new_verification_code(), valid_until=prepared.valid_until,
        requested_by_id=staff.id, content=json.dumps(prepared.content, ensure_ascii=False),
        essentials=json.dumps(prepared.essentials, ensure_ascii=False),
        params=json.dumps({
            "verify_base": env.public_base_url,
            "hold_amount": str(prepared.hold_amount) if prepared.hold_amount else None,
            "hold_reason": prepared.hold_reason,
        }),
    )
    db.session.add(document)
    db.session.flush()
    document.number = f"{kind.prefix}-{utcnow():%Y}-{document.id:08d}"
    audit.record(actor, "document.request", customer_id=customer.id, object_type="document",
                 object_id=document.number, reason=basis,
                 detail={"type": kind.key, "language": language, "approvals_needed": needed})
    if needed == 0:
        _issue_or_roll_back(actor, env, document)
    db.session.commit()
    return document


def _issue_or_roll_back(actor: audit.Actor, env: DocumentEnv, document: Document) -> None:
    # A refused hold, missing signing key or failed render leaves nothing behind.
    try:
        _issue(actor, env, document)
    except Exception:
        db.session.rollback()
        raise


def _issue(actor: audit.Actor, env: DocumentEnv, document: Document) -> None:
    """Place the hold if any, render and sign the PDF, record it, send it to the device."""
    params = json.loads(document.params)
    if params.get("hold_amount"):
        hold = env.core.place_hold(
            document.account_id, Decimal(params["hold_amount"]),
            f"{params['hold_reason']} {document.number}", document.valid_until,
        )
        document.hold_id = hold.id
    document.issued_at = utcnow()
    material = signing_material(env.settings, env.instance_path)
    html = render_print_html(print_source(document, params["verify_base"]), for_screen=False)
    kind = document_type(document.doc_type)
    document.pdf = render_pdf(
        html, material, reason=f"{kind.title('en')} {document.number}",
        location=env.settings.get("BANK_NAME", ""),
        pool=env.settings["DOCUMENTS_RENDER_POOL"],
        workers=env.settings["DOCUMENTS_RENDER_WORKERS"],
        timeout=env.settings["DOCUMENTS_RENDER_TIMEOUT"],
    )
    document.pdf_sha256 = hashlib.sha256(document.pdf).hexdigest()
    document.status = DocumentStatus.ISSUED
    audit.record(actor, "document.issue", customer_id=document.customer_id,
                 object_type="document", object_id=document.number,
                 detail={"type": document.doc_type, "sha256": document.pdf_sha256,
                         "hold_id": document.hold_id})
    delivery.send_to_device(actor, document)


def _pending_for_decision(staff: Staff, document_id: int) -> Document:
    if staff.role != Role.SUPERVISOR:
        raise Forbidden("Only a supervisor decides on documents awaiting approval.")
    document = db.session.execute(
        select(Document).where(Document.id == document_id).with_for_update()
    ).scalar_one_or_none()
    if document is None:
        raise NotFound("No such document.")
    if document.status != DocumentStatus.PENDING:
        raise Conflict("This document is not awaiting approval.")
    if document.requested_by_id == staff.id:
        raise Forbidden("A document needs another supervisor's approval than its requester's.")
    return document


def approve_document(actor: audit.Actor, staff: Staff, env: DocumentEnv,
                     document_id: int) -> Document:
    """A supervisor approves; with the last approval needed the document is issued."""
    document = _pending_for_decision(staff, document_id)
    if any(a.staff_id == staff.id for a in document.approvals):
        raise Conflict("You have already approved this document; another supervisor must.")
    if document.valid_until is not None and document.valid_until <= utcnow():
        raise Conflict("The validity this document was requested with has ended; refuse it "
                       "and request a new one.")
    document.approvals.append(DocumentApproval(staff_id=staff.id))
    db.session.flush()
    audit.record(actor, "document.approve", customer_id=document.customer_id,
                 object_type="document", object_id=document.number,
                 detail={"approvals": len(document.approvals),
                         "needed": document.approvals_needed})
    if len(document.approvals) >= document.approvals_needed:
        _issue_or_roll_back(actor, env, document)
    db.session.commit()
    return document


def reject_document(actor: audit.Actor, staff: Staff, document_id: int, reason: str) -> Document:
    """A supervisor refuses a document awaiting approval, with a reason."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationFailed("Give the reason for refusing in a few words.")
    document = _pending_for_decision(staff, document_id)
    document.status = DocumentStatus.REJECTED
    document.decided_reason = reason[:500]
    audit.record(actor, "document.reject", customer_id=document.customer_id,
                 object_type="document", object_id=document.number, reason=reason)
    db.session.commit()
    return document

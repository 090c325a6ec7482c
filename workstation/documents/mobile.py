"""The customer's documents on the phone: the list, and the signed PDF to download."""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template
from sqlalchemy import select

from workstation import audit
from workstation.customer_auth.decorators import customer_required
from workstation.documents.models import Document, DocumentStatus
from workstation.documents.registry import document_type
from workstation.errors import NotFound
from workstation.extensions import db
from workstation.web import client_ip

bp = Blueprint("customer_documents", __name__, url_prefix="/m/documents")
VISIBLE = (DocumentStatus.ISSUED, DocumentStatus.EXPIRED, DocumentStatus.REVOKED)


def customer_actor() -> audit.Actor:
    """The audit actor for the signed-in customer."""
    return audit.Actor(staff_id=None, username=f"customer:{g.customer.customer_no}",
                       role="customer", ip=client_ip(), request_id=g.get("request_id", ""))


def customer_documents(customer_id: int) -> list[Document]:
    """A customer's issued documents, newest first."""
    return list(db.session.scalars(
        select(Document).where(Document.customer_id == customer_id,
                               Document.status.in_(VISIBLE))
        .order_by(Document.id.desc())
    ))


def customer_document_pdf(actor: audit.Actor, customer_id: int, document_id: int) -> Document:
    """One of the customer's own documents for download (audited); others are not found."""
    document = db.session.get(Document, document_id)
    if document is None or document.customer_id != customer_id or document.pdf is None:
        raise NotFound("No such document.")
    audit.record(actor, "document.customer_download", customer_id=customer_id,
                 object_type="document", object_id=document.number or "")
    db.session.commit()
    return document


@bp.get("/")
@customer_required
def index():
    """The customer's certificates, statements and invoices."""
    return render_template("documents/mobile_list.html",
                           documents=customer_documents(g.customer.id),
                           document_type=document_type, Status=DocumentStatus)


@bp.get("/<int:document_id>/pdf")
@customer_required
def download(document_id: int):
    """The signed PDF, exactly as issued."""
    document = customer_document_pdf(customer_actor(), g.customer.id, document_id)
    return Response(document.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{document.number}.pdf"',
        "Cache-Control": "no-store",
    })

"""The customer's documents for the bank's own app: JSON list and the signed PDF."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify

from workstation.customer_auth.decorators import customer_required
from workstation.documents.mobile import customer_actor, customer_document_pdf, customer_documents
from workstation.documents.models import Document
from workstation.documents.registry import document_type

api_bp = Blueprint("documents_api", __name__, url_prefix="/api/v1/documents")


def document_json(document: Document) -> dict:
    """What the app shows about one document."""
    return {
        "id": document.id,
        "number": document.number,
        "type": document.doc_type,
        "title": document_type(document.doc_type).title(document.language),
        "language": document.language,
        "status": document.status,
        "issued_at": document.issued_at.isoformat() if document.issued_at else None,
        "valid_until": document.valid_until.isoformat() if document.valid_until else None,
        "sha256": document.pdf_sha256,
        "pdf_url": f"/api/v1/documents/{document.id}/pdf",
    }


@api_bp.get("")
@customer_required
def list_documents():
    """The signed-in customer's documents, newest first."""
    return jsonify({"documents": [document_json(d) for d in customer_documents(g.customer.id)]})


@api_bp.get("/<int:document_id>/pdf")
@customer_required
def pdf(document_id: int):
    """The signed PDF of one of the customer's own documents."""
    document = customer_document_pdf(customer_actor(), g.customer.id, document_id)
    return Response(document.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{document.number}.pdf"',
        "Cache-Control": "no-store", "X-Content-SHA256": document.pdf_sha256,
    })

"""Getting an issued document to the customer's device as a download task."""

from __future__ import annotations

from workstation import audit
from workstation.documents.models import Document
from workstation.documents.registry import document_type
from workstation.tasks.service import create_task

DOWNLOAD_PATH = "/m/documents/{id}/pdf"


def download_payload(document: Document) -> dict:
    """What the device is told: the document's title (in its language) and where to fetch it."""
    kind = document_type(document.doc_type)
    return {
        "title": f"{kind.title(document.language)} {document.number}",
        "document_title": kind.title(document.language),
        "url": DOWNLOAD_PATH.format(id=document.id),
    }


def send_to_device(actor: audit.Actor, document: Document) -> None:
    """Queue the download task in the caller's transaction; it is pushed after commit."""
    create_task(actor, document.customer_id, "download", download_payload(document),
                subject=("document", document.id))

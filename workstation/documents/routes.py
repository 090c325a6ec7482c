"""Staff views: a customer's documents, issue forms, approval, revocation, PDF and print view."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from workstation.core import core_banking
from workstation.customers.access import ReasonRequired
from workstation.documents import lifecycle, service
from workstation.documents.models import DocumentStatus
from workstation.documents.printing import format_code, print_source, render_print_html
from workstation.documents.registry import document_type, document_types
from workstation.documents.texts import LANGUAGE_NAMES
from workstation.errors import DomainError
from workstation.extensions import db
from workstation.models import SERVING_ROLES, Role
from workstation.web import current_actor, roles_required

bp = Blueprint("documents", __name__)

READERS = (*SERVING_ROLES, Role.AUDITOR)


def document_env() -> service.DocumentEnv:
    """Core, settings and the public address that verify links and QR codes point to."""
    config = current_app.config
    base = config.get("PUBLIC_BASE_URL") or request.url_root
    return service.DocumentEnv(core_banking(), config, current_app.instance_path, base)


def _page_context(customer, documents, **extra) -> dict:
    return {"customer": customer, "documents": documents, "types": document_types(),
            "languages": LANGUAGE_NAMES, "Status": DocumentStatus, "document_type": document_type,
            **extra}


@bp.get("/customers/<int:customer_id>/documents")
@roles_required(*READERS)
def customer_documents(customer_id: int):
    """A customer's documents and the kinds of document that can be issued."""
    customer, documents = lifecycle.list_customer_documents(current_actor(), current_user,
                                                            customer_id)
    return render_template("documents/customer_documents.html",
                           **_page_context(customer, documents))


def _render_form(customer_id: int, type_key: str, error: str = "", values=None, status=200):
    form = service.issue_form(current_actor(), current_user, document_env(), customer_id,
                              type_key)
    language = (values or {}).get("language") or form.customer.preferred_language
    return render_template(
        "documents/new.html", customer=form.customer, kind=form.kind, options=form.options,
        error=error, values=values or {}, languages=LANGUAGE_NAMES, language=language,
    ), status


@bp.get("/customers/<int:customer_id>/documents/new")
@roles_required(*SERVING_ROLES)
def new_document(customer_id: int):
    """The issue form for one kind of document."""
    return _render_form(customer_id, request.args.get("type", ""))


@bp.post("/customers/<int:customer_id>/documents")
@roles_required(*SERVING_ROLES)
def issue(customer_id: int):
    """Issue a document, or send it for approval when the amount needs one."""
    form = request.form.to_dict()
    type_key = form.pop("type", "")
    language = form.pop("language", "")
    form.pop("csrf_token", None)
    try:
        document = service.request_document(current_actor(), current_user, document_env(),
                                            customer_id, type_key, language, form)
    except ReasonRequired:
        raise  # on record already; the application-wide handler asks for the reason
    except DomainError as error:
        db.session.rollback()  # nothing of the refused request stays; the form is shown again
        document_type(type_key)  # an unknown type is refused as it is, not re-rendered
        values = {**form, "language": language}
        return _render_form(customer_id, type_key, error.message, values, error.status_code)
    if document.status == DocumentStatus.PENDING:
        flash(f"{document.number} needs {document.approvals_needed} supervisor approval(s) "
              "before it is issued.", "info")
    else:
        flash(f"{document.number} issued and sent to the customer's device.", "success")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.get("/documents/<int:document_id>")
@roles_required(*READERS)
def show(document_id: int):
    """One document: state, approvals and what can be done with it."""
    document = lifecycle.open_document(current_actor(), current_user, document_id, "view")
    return render_template("documents/show.html", document=document,
                           kind=document_type(document.doc_type), Status=DocumentStatus,
                           code=format_code(document.verification_code),
                           languages=LANGUAGE_NAMES)


@bp.get("/documents/<int:document_id>/pdf")
@roles_required(*READERS)
def pdf(document_id: int):
    """The signed PDF, as issued."""
    document = lifecycle.open_document(current_actor(), current_user, document_id, "download")
    disposition = "attachment" if request.args.get("download") else "inline"
    return Response(document.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'{disposition}; filename="{document.number}.pdf"',
        "Cache-Control": "no-store",
    })


@bp.get("/documents/<int:document_id>/print")
@roles_required(*SERVING_ROLES)
def print_view(document_id: int):
    """The document as a page for the staff member's printer."""
    document = lifecycle.open_document(current_actor(), current_user, document_id, "print")
    source = print_source(document, json.loads(document.params)["verify_base"])
    html = render_print_html(source, for_screen=True,
                             static_prefix=url_for("static", filename=""))
    return Response(html, mimetype="text/html", headers={"Cache-Control": "no-store"})


@bp.get("/documents/approvals")
@roles_required(Role.SUPERVISOR)
def approvals():
    """Documents waiting for a supervisor's approval."""
    pending = lifecycle.pending_approvals(current_actor(), current_user)
    return render_template("documents/approvals.html", documents=pending,
                           document_type=document_type)


@bp.post("/documents/<int:document_id>/approve")
@roles_required(Role.SUPERVISOR)
def approve(document_id: int):
    """Approve a document; the last approval needed issues it."""
    document = service.approve_document(current_actor(), current_user, document_env(),
                                        document_id)
    if document.status == DocumentStatus.ISSUED:
        flash(f"{document.number} approved and issued.", "success")
    else:
        flash(f"{document.number} approved; it needs one more supervisor.", "info")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.post("/documents/<int:document_id>/reject")
@roles_required(Role.SUPERVISOR)
def reject(document_id: int):
    """Refuse a document awaiting approval."""
    document = service.reject_document(current_actor(), current_user, document_id,
                                       request.form.get("reason", ""))
    flash(f"{document.number} refused.", "info")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.post("/documents/<int:document_id>/revoke")
@roles_required(Role.SUPERVISOR)
def revoke(document_id: int):
    """Revoke an issued document; the verify page says so from now on."""
    document = lifecycle.revoke_document(current_actor(), current_user, core_banking(),
                                         document_id, request.form.get("reason", ""))
    flash(f"{document.number} revoked.", "success")
    return redirect(url_for("documents.show", document_id=document.id))

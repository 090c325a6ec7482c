"""Certificates, statements and fee invoices as numbered, signed, verifiable PDFs."""

from __future__ import annotations

from flask import Flask

from workstation.documents.registry import (
    DocumentType,
    Prepared,
    PrepareRequest,
    document_type,
    document_types,
    register_document_type,
)
from workstation.extensions import csrf

__all__ = [
    "DocumentType",
    "PrepareRequest",
    "Prepared",
    "document_type",
    "document_types",
    "init_app",
    "register_document_type",
]


def register_builtin_types() -> None:
    """The document types this package ships with."""
    from workstation.documents.appointment_confirmation import APPOINTMENT_CONFIRMATION
    from workstation.documents.certificates import BALANCE_CERTIFICATE, DEPOSIT_CERTIFICATE
    from workstation.documents.invoices import FEE_INVOICE
    from workstation.documents.statements import STATEMENT

    for kind in (BALANCE_CERTIFICATE, DEPOSIT_CERTIFICATE, STATEMENT, FEE_INVOICE,
                 APPOINTMENT_CONFIRMATION):
        register_document_type(kind)


def init_app(app: Flask) -> None:
    """Settings, models, document types, views and the `documents` commands."""
    from workstation.documents import models  # noqa: F401  (tables on the metadata)
    from workstation.documents.api import api_bp
    from workstation.documents.cli import documents_cli
    from workstation.documents.mobile import bp as mobile_bp
    from workstation.documents.public import bp as public_bp
    from workstation.documents.routes import bp as staff_bp
    from workstation.documents.settings import DEFAULT_SETTINGS, apply_settings
    from workstation.jobs import Job, add_job

    apply_settings(app.config)
    register_builtin_types()
    for blueprint in (staff_bp, public_bp, mobile_bp, api_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # bearer clients; customer_required checks CSRF for cookie sessions
    app.cli.add_command(documents_cli)
    add_job(app, Job("certificate expiry", _expire_due_documents, "DOCUMENTS_EXPIRY_INTERVAL",
                     DEFAULT_SETTINGS["DOCUMENTS_EXPIRY_INTERVAL"]))
    _link_from_other_screens(app)


def _expire_due_documents() -> int:
    from workstation.core import core_banking
    from workstation.documents.lifecycle import expire_due_documents

    return expire_due_documents(core_banking())


def _link_from_other_screens(app: Flask) -> None:
    from workstation.customer_auth.mobile import MOBILE_HOME_LINKS
    from workstation.customers.extensions import add_profile_link
    from workstation.documents.routes import READERS

    add_profile_link(app, "Documents", "documents.customer_documents", roles=READERS)
    home_link = ("My documents", "customer_documents.index",
                 "Certificates, statements and invoices from the bank")
    if home_link not in MOBILE_HOME_LINKS:
        MOBILE_HOME_LINKS.append(home_link)

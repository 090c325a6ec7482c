"""What the staff application page shows."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from werkzeug.routing import BuildError

from workstation.extensions import db
from workstation.masking import mask_tail
from workstation.onboarding import decisions, fulfilment, queries, service
from workstation.onboarding.models import DOCUMENT_SLOTS, STEPS, SignedAgreement
from workstation.onboarding.rules import ACCOUNT_CLASSES, OCCUPATIONS, PURPOSES
from workstation.onboarding.settings import current_settings

STEP_LABELS = {"personal": "Personal data", "documents": "ID photos and selfie",
               "address": "Address", "occupation": "Occupation and purpose",
               "account": "Account type"}


def appointment_url(application, *, for_customer: bool = False) -> str | None:
    """The booking page for a branch visit (type I account or card pick-up), if installed."""
    branch_id = application.pickup_branch_id or application.customer.home_branch_id or ""
    try:
        if for_customer:
            return url_for("appointments_mobile.new", branch_id=branch_id)
        return url_for("appointments.new", customer_id=application.customer_id,
                       branch_id=branch_id)
    except BuildError:
        return None


def detail_context(application) -> dict:
    """Everything the application page renders."""
    return {
        "application": application,
        "steps": STEPS, "step_labels": STEP_LABELS, "slots": DOCUMENT_SLOTS,
        "slot_labels": service.SLOT_LABELS,
        "documents": service.documents_of(application),
        "decisions": decisions.decisions_of(application),
        "tasks": queries.task_links_of(application),
        "agreement": db.session.scalar(select(SignedAgreement).where(
            SignedAgreement.application_id == application.id)),
        "labels": queries.STATUS_LABELS, "occupations": OCCUPATIONS, "purposes": PURPOSES,
        "account_classes": ACCOUNT_CLASSES, "branches": service.branches(),
        "settings": current_settings(), "appointment_url": appointment_url(application),
        "mask_tail": mask_tail, "took_part": decisions.took_part,
        "pin_open": fulfilment.pin_request_open(application),
    }

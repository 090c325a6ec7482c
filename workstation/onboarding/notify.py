"""Telling the customer and staff how an application stands."""

from __future__ import annotations

import logging

from workstation import audit
from workstation.onboarding.models import OnboardingApplication
from workstation.onboarding.screening import CATEGORIES
from workstation.realtime import emit_to_customer, emit_to_staff

log = logging.getLogger(__name__)
SUBJECT_TYPE = "onboarding_application"


def outcome_message(application: OnboardingApplication, event: str) -> str:
    """The words the customer reads about their application at this point."""
    ref = application.reference
    category = CATEGORIES.get(application.outcome_category, "our checks")
    messages = {
        "review": f"Your card application {ref} is being checked by our team. We will tell "
                  "you the outcome here, usually within one working day.",
        "rejected": f"We cannot open a card for application {ref}. Reason: {category}. "
                    "You are welcome to visit a branch, where we can look at it with you.",
        "approved": f"Good news: your card application {ref} is approved. Please sign the "
                    "account agreement that follows.",
        "card_issued": f"Your new debit card ending {application.card_last4} is issued. Open "
                       "the card details on this phone and set your PIN.",
        "completed": f"Your PIN is set and your card ending {application.card_last4} is "
                     "ready to use.",
        "card_ready": f"Your physical card ending {application.card_last4} has arrived at "
                      "the branch: bring your ID card to collect it.",
    }
    text = messages[event]
    if event == "completed" and application.physical_card and application.pickup_branch:
        text += (f" Your physical card is ordered to {application.pickup_branch.name}; "
                 "we will tell you when it arrives.")
    return text


def tell_customer(actor: audit.Actor, application: OnboardingApplication, event: str) -> None:
    """Push a message about the application to the customer's device (in the caller's tx)."""
    try:
        from workstation.tasks.service import create_task
    except ImportError:  # a build without the task channel: the status pages still show it
        return
    create_task(actor, application.customer_id, "notice",
                {"title": f"Card application {application.reference}",
                 "message": outcome_message(application, event)},
                subject=(SUBJECT_TYPE, application.reference))


def status_event(application: OnboardingApplication) -> dict:
    """What open pages are told when the application changes."""
    return {"reference": application.reference, "status": application.status,
            "customer_id": application.customer_id, "staff_id": application.prepared_by_id}


def emit_status(event: dict) -> None:
    """Let open pages of the customer and the preparer refresh the application's status."""
    data = {"reference": event["reference"], "status": event["status"]}
    emit_to_customer(event["customer_id"], "onboarding.status", data)
    if event["staff_id"]:
        emit_to_staff(event["staff_id"], "onboarding.status", data)


def after_commit(application: OnboardingApplication) -> None:
    """Emit the status of an application that was just committed."""
    emit_status(status_event(application))

"""What the customer's own screens and the app API share: actors, summaries, card details."""

from __future__ import annotations

from flask import g

from workstation import audit
from workstation.customer_auth.service import customer_actor
from workstation.errors import Conflict
from workstation.extensions import db
from workstation.onboarding import fulfilment, queries, service
from workstation.onboarding.models import STEPS, OnboardingApplication
from workstation.onboarding.screening import CATEGORIES
from workstation.web import client_ip


def actor() -> audit.Actor:
    """The signed-in customer as the audit actor."""
    return customer_actor(g.customer, client_ip(), g.get("request_id", ""))


def starter() -> service.Starter:
    """The customer starting an application on this device."""
    return service.Starter(actor(), device_id=g.customer_device.id)


def summary(application: OnboardingApplication) -> dict:
    """The application as the customer sees it (no screening detail, no full numbers)."""
    outcome = ""
    if application.status in ("rejected", "review"):
        outcome = CATEGORIES.get(application.outcome_category, "")
    return {
        "reference": application.reference,
        "status": application.status,
        "status_label": queries.STATUS_LABELS[application.status],
        "steps": [{"name": s, "done": s in application.steps_done} for s in STEPS],
        "next_step": application.next_step if application.status == "draft" else None,
        "documents": sorted(service.documents_of(application)),
        "account_class": application.account_class,
        "outcome_reason_category": outcome,
        "card_last4": application.card_last4,
        "pin_set": application.pin_set_at is not None,
        "pin_request_open": fulfilment.pin_request_open(application),
        "physical_card": application.physical_card,
        "card_order_status": application.card_order_status,
        "created_at": application.created_at.isoformat(),
    }


def reveal_card(application: OnboardingApplication) -> dict:
    """The new card's number for the customer's own device only (audited, never logged)."""
    if application.status != "card_issued" or not application.card_reveal:
        raise Conflict("Card details are shown only until the PIN is set.")
    if not fulfilment.pin_request_open(application):
        raise Conflict("Card details are shown while the request to set the PIN is open; ask "
                       "your adviser to send it again.")
    pan = application.card_reveal
    audit.record(actor(), "onboarding.card_details_shown", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 detail={"card_last4": application.card_last4})
    db.session.commit()
    from workstation.core import core_banking

    card = next((c for c in core_banking().cards_of(application.customer_id)
                 if c.id == application.card_id), None)
    return {"card_number": pan, "card_holder": application.full_name,
            "expiry": card.expiry if card else "", "card_last4": application.card_last4}

"""The customer's own card application on the phone (mobile web, under /m/onboarding)."""

from __future__ import annotations

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, url_for

from workstation.customer_auth.decorators import customer_required
from workstation.errors import DomainError, ValidationFailed
from workstation.masking import mask_tail
from workstation.onboarding import access, customer, decisions, fulfilment, queries, service
from workstation.onboarding.page import STEP_LABELS, appointment_url
from workstation.onboarding.rules import ACCOUNT_CLASSES, OCCUPATIONS, PURPOSES
from workstation.onboarding.settings import current_settings

bp = Blueprint("onboarding_mobile", __name__, url_prefix="/m/onboarding")


def _mine(reference: str, *, lock: bool = False):
    return access.for_customer(g.customer.id, reference, lock=lock)


@bp.get("/")
@customer_required
def index():
    """The customer's applications and the way to start one."""
    return render_template("onboarding/mobile/index.html",
                           applications=queries.applications_of_customer(g.customer.id),
                           labels=queries.STATUS_LABELS)


@bp.post("/start")
@customer_required
def start():
    """Start an application on this phone."""
    try:
        application = service.start_application(customer.starter(), g.customer.id)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("onboarding_mobile.index"))
    return redirect(url_for("onboarding_mobile.show", reference=application.reference))


def _context(application, step: str | None = None) -> dict:
    step = step if step in STEP_LABELS else application.next_step
    return {"application": application, "info": customer.summary(application), "step": step,
            "step_labels": STEP_LABELS, "slot_labels": service.SLOT_LABELS,
            "documents": service.documents_of(application), "occupations": OCCUPATIONS,
            "purposes": PURPOSES, "account_classes": ACCOUNT_CLASSES,
            "branches": service.branches(), "settings": current_settings(),
            "appointment_url": appointment_url(application, for_customer=True),
            "labels": queries.STATUS_LABELS, "mask_tail": mask_tail,
            "pin_open": fulfilment.pin_request_open(application)}


@bp.get("/<reference>")
@customer_required
def show(reference: str):
    """The next step to fill in, or where the application stands."""
    application = _mine(reference)
    return render_template("onboarding/mobile/application.html",
                           **_context(application, request.args.get("step")))


def _refused(reference: str, error: DomainError, step: str):
    application = _mine(reference)
    return render_template("onboarding/mobile/application.html", error=error.message,
                           form=request.form, **_context(application, step)), error.status_code


@bp.post("/<reference>/steps/<step>")
@customer_required
def save_step(reference: str, step: str):
    """Save a step and go on to the next one."""
    application = _mine(reference, lock=True)
    try:
        service.save_step(customer.actor(), application, step, request.form)
    except DomainError as error:
        return _refused(reference, error, step)
    return redirect(url_for("onboarding_mobile.show", reference=reference))


@bp.post("/<reference>/documents/<slot>")
@customer_required
def upload(reference: str, slot: str):
    """A photo taken or chosen on the phone (ID front, back or selfie)."""
    application = _mine(reference, lock=True)
    photo = request.files.get("photo")
    try:
        if photo is None or not photo.filename:
            raise ValidationFailed("Choose or take a photo first.")
        service.attach_document(customer.actor(), application, slot,
                                photo.read(current_settings().image_max_bytes + 1),
                                "mobile_web")
    except DomainError as error:
        return _refused(reference, error, "documents")
    return redirect(url_for("onboarding_mobile.show", reference=reference, step="documents"))


@bp.post("/<reference>/submit")
@customer_required
def submit(reference: str):
    """Send the application; the answer shows on the status screen."""
    application = _mine(reference, lock=True)
    try:
        decisions.submit(customer.actor(), application)
    except DomainError as error:
        return _refused(reference, error, "")
    return redirect(url_for("onboarding_mobile.show", reference=reference))


@bp.post("/<reference>/withdraw")
@customer_required
def withdraw(reference: str):
    """Withdraw an application that is not decided yet."""
    application = _mine(reference, lock=True)
    try:
        decisions.withdraw(customer.actor(), application, "Withdrawn by the customer.")
    except DomainError as error:
        return _refused(reference, error, "")
    return redirect(url_for("onboarding_mobile.show", reference=reference))


@bp.get("/<reference>/card")
@customer_required
def card_details(reference: str):
    """The new card's number, on the customer's own phone only, until the PIN is set."""
    application = _mine(reference)
    try:
        card = customer.reveal_card(application)
    except DomainError as error:
        return _refused(reference, error, "")
    response = make_response(render_template("onboarding/mobile/card.html",
                                             application=application, card=card))
    response.headers["Cache-Control"] = "no-store"
    return response

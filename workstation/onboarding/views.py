"""Staff pages: applications, steps, the supervisor's review queue and the watch-list."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from workstation import audit
from workstation.errors import DomainError, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import SERVING_ROLES, Customer, Role
from workstation.onboarding import access, decisions, fulfilment, queries, service, watchlist
from workstation.onboarding.models import DOCUMENT_SLOTS
from workstation.onboarding.page import detail_context
from workstation.types import whole_number
from workstation.web import current_actor, is_htmx, render_page_or_fragment, roles_required

bp = Blueprint("onboarding", __name__, url_prefix="/onboarding")
READERS = (*SERVING_ROLES, Role.AUDITOR)


def _load(reference: str, *, lock: bool = False):
    return access.for_staff(current_actor(), current_user, reference, lock=lock)


@bp.get("/")
@roles_required(*READERS)
def index():
    """The applications this staff member works on, and a form to start one."""
    status = request.args.get("status", "")
    status = status if status in queries.STATUS_LABELS else ""
    return render_template("onboarding/index.html", status=status, labels=queries.STATUS_LABELS,
                           applications=queries.applications_for_staff(current_user, status),
                           customer_no=request.args.get("customer_no", ""))


@bp.get("/customers/<int:customer_id>")
@roles_required(*READERS)
def customer_applications(customer_id: int):
    """One customer's applications (linked from the profile), with the start form filled."""
    customer = access.customer_for_staff(current_actor(), current_user, customer_id)
    rows = queries.applications_of_customer(customer.id)
    return render_template("onboarding/index.html", status="", labels=queries.STATUS_LABELS,
                           applications=rows, customer_no=customer.customer_no,
                           for_customer=customer)


@bp.post("/start")
@roles_required(*SERVING_ROLES)
def start():
    """Start an application for a customer (by customer number or id)."""
    customer = _customer_from_form()
    if access.access_basis(current_user, customer) is None and \
            current_user.role != Role.SUPERVISOR:
        return redirect(url_for("customers.state_reason", customer_id=customer.id))
    starter = service.Starter(current_actor(), staff_id=current_user.id)
    try:
        application = service.start_application(starter, customer.id)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("onboarding.index", customer_no=customer.customer_no)), 303
    flash(f"Application {application.reference} started.", "success")
    return redirect(url_for("onboarding.detail", reference=application.reference))


def _customer_from_form() -> Customer:
    number = (request.form.get("customer_no") or "").strip().upper()[:16]
    query = select(Customer).where(Customer.customer_no == number)
    customer_id = whole_number(request.form.get("customer_id"))
    if not number and customer_id is not None:
        query = select(Customer).where(Customer.id == customer_id)
    customer = db.session.scalar(query)
    if customer is None:
        raise NotFound("No customer with that number.")
    return customer


@bp.get("/<reference>")
@roles_required(*READERS)
def detail(reference: str):
    """An application: its steps, documents, decisions and what happened after approval."""
    application = _load(reference)
    if not is_htmx():  # the status box refreshes itself every few seconds: audit the page once
        audit.record(current_actor(), "onboarding.viewed", customer_id=application.customer_id,
                     object_type="onboarding_application", object_id=application.reference)
        db.session.commit()
    return render_page_or_fragment("onboarding/detail.html", "onboarding/_status.html",
                                   **detail_context(application))


def _render_error(application, error: DomainError, step: str = ""):
    context = detail_context(application)
    return render_template("onboarding/detail.html", error=error.message, error_step=step,
                           form=request.form, **context), error.status_code


@bp.post("/<reference>/steps/<step>")
@roles_required(*SERVING_ROLES)
def save_step(reference: str, step: str):
    """Save one step; the form comes back with the reason when it is refused."""
    application = _load(reference, lock=True)
    try:
        service.save_step(current_actor(), application, step, request.form)
    except DomainError as error:
        return _render_error(access.by_reference(reference), error, step)
    return redirect(url_for("onboarding.detail", reference=reference, _anchor=step))


@bp.post("/<reference>/documents/<slot>")
@roles_required(*SERVING_ROLES)
def upload_document(reference: str, slot: str):
    """A photo the staff member received (for example a capture during the video call)."""
    application = _load(reference, lock=True)
    upload = request.files.get("photo")
    try:
        if upload is None:
            raise ValidationFailed("Choose a photo to send.")
        service.attach_document(current_actor(), application, slot,
                                upload.read(service.current_settings().image_max_bytes + 1),
                                "staff")
    except DomainError as error:
        return _render_error(access.by_reference(reference), error, "documents")
    return redirect(url_for("onboarding.detail", reference=reference, _anchor="documents"))


@bp.post("/<reference>/request-photos")
@roles_required(*SERVING_ROLES)
def request_photos(reference: str):
    """Ask the customer's phone for the ID photos and selfie still missing."""
    application = _load(reference, lock=True)
    have = service.documents_of(application)
    missing = tuple(s for s in DOCUMENT_SLOTS if s not in have)
    try:
        if not missing:
            raise ValidationFailed("All photos are already here.")
        fulfilment.request_uploads(current_actor(), application, missing)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _render_error(access.by_reference(reference), error, "documents")
    flash(f"{len(missing)} photo request(s) sent to the customer's phone.", "success")
    return redirect(url_for("onboarding.detail", reference=reference, _anchor="documents"))


@bp.post("/<reference>/submit")
@roles_required(*SERVING_ROLES)
def submit(reference: str):
    """Send the application to screening; the decision shows at once."""
    application = _load(reference, lock=True)
    try:
        decisions.submit(current_actor(), application)
    except DomainError as error:
        return _render_error(access.by_reference(reference), error, "submit")
    return redirect(url_for("onboarding.detail", reference=reference, _anchor="decisions"))


@bp.post("/<reference>/withdraw")
@roles_required(*SERVING_ROLES)
def withdraw(reference: str):
    """Withdraw an application at the customer's request."""
    application = _load(reference, lock=True)
    decisions.withdraw(current_actor(), application, request.form.get("reason", ""))
    flash(f"Application {reference} withdrawn.", "success")
    return redirect(url_for("onboarding.detail", reference=reference))


@bp.get("/review")
@roles_required(Role.SUPERVISOR)
def review_queue():
    """Flagged applications waiting for a supervisor's decision."""
    return render_template("onboarding/review_queue.html", applications=queries.review_queue())


@bp.post("/<reference>/review")
@roles_required(Role.SUPERVISOR)
def review(reference: str):
    """Approve or reject a flagged application (maker-checker: not one's own)."""
    application = _load(reference, lock=True)
    try:
        decisions.review(current_actor(), current_user, application,
                         request.form.get("outcome", ""), request.form.get("note", ""))
    except DomainError as error:
        return _render_error(access.by_reference(reference), error, "review")
    flash(f"Decision on {reference} recorded.", "success")
    return redirect(url_for("onboarding.review_queue"))


@bp.post("/<reference>/resend/<step>")
@roles_required(*SERVING_ROLES)
def resend(reference: str, step: str):
    """Send the agreement or the PIN request again when the customer declined it or let it
    expire."""
    application = _load(reference, lock=True)
    try:
        done = fulfilment.send_again(current_actor(), application, step)
    except DomainError as error:
        db.session.rollback()
        return _render_error(access.by_reference(reference), error, "fulfilment")
    flash(done, "success")
    return redirect(url_for("onboarding.detail", reference=reference, _anchor="fulfilment"))


@bp.post("/<reference>/card-order")
@roles_required(*SERVING_ROLES)
def card_order(reference: str):
    """Note that the physical card arrived at the branch, or was handed over."""
    application = _load(reference, lock=True)
    fulfilment.advance_card_order(current_actor(), application, request.form.get("step", ""))
    return redirect(url_for("onboarding.detail", reference=reference, _anchor="fulfilment"))


@bp.get("/<reference>/documents/<slot>")
@roles_required(*READERS)
def document_image(reference: str, slot: str):
    """The photo itself, for the staff member checking the application (audited)."""
    application = _load(reference)
    document = service.documents_of(application).get(slot)
    if document is None:
        raise NotFound("No such photo.")
    audit.record(current_actor(), "onboarding.document_viewed",
                 customer_id=application.customer_id, object_type="onboarding_application",
                 object_id=application.reference, detail={"slot": slot})
    db.session.commit()
    response = Response(document.content, mimetype=document.content_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/<reference>/agreement")
@roles_required(*READERS)
def agreement(reference: str):
    """The account agreement as the customer signed it, with the signature's evidence."""
    application = _load(reference)
    kept = fulfilment.signed_agreement(application)
    if kept is None:
        raise NotFound("No agreement was sent for this application yet.")
    audit.record(current_actor(), "onboarding.agreement_viewed",
                 customer_id=application.customer_id, object_type="onboarding_application",
                 object_id=application.reference)
    db.session.commit()
    return render_template("onboarding/agreement.html", application=application,
                           agreement=kept, evidence=json.loads(kept.signature_json or "{}"))


@bp.route("/watchlist", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.SUPERVISOR)
def watchlist_page():
    """The watch-list: its size, its imports, and (for administrators) a new import."""
    error = None
    if request.method == "POST":
        if current_user.role != Role.ADMIN:
            raise ValidationFailed("Only an administrator imports the watch-list.")
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise ValidationFailed("Choose a CSV file to import.")
            batch = watchlist.import_watchlist(current_actor(), upload.filename,
                                               upload.read(watchlist.MAX_FILE_BYTES + 1))
        except DomainError as e:
            error = e.message
        else:
            flash(f"Imported {batch.entries} watch-list entries.", "success")
            return redirect(url_for("onboarding.watchlist_page"))
    context = watchlist.watchlist_summary()
    return render_template("onboarding/watchlist.html", error=error, **context), \
        422 if error else 200

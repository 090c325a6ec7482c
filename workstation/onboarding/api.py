"""The card application for the bank's own app (JSON, bearer device token)."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, g, jsonify, request

from workstation.customer_auth.decorators import customer_required
from workstation.errors import ValidationFailed
from workstation.onboarding import access, customer, decisions, queries, service
from workstation.onboarding.settings import current_settings, limit_upload_size

bp = Blueprint("onboarding_api", __name__, url_prefix="/api/v1/onboarding")


def _mine(reference: str, *, lock: bool = False):
    return access.for_customer(g.customer.id, reference, lock=lock)


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("Send a JSON object.")
    return {k: v for k, v in body.items() if isinstance(v, str | bool)}


@bp.get("/applications")
@customer_required
def list_applications():
    """The customer's applications, newest first."""
    rows = queries.applications_of_customer(g.customer.id)
    return jsonify({"applications": [customer.summary(a) for a in rows]})


@bp.post("/applications")
@customer_required
def start():
    """Start an application on this device."""
    application = service.start_application(customer.starter(), g.customer.id)
    return jsonify(customer.summary(application)), 201


@bp.get("/applications/<reference>")
@customer_required
def show(reference: str):
    """Where an application stands."""
    return jsonify(customer.summary(_mine(reference)))


@bp.post("/applications/<reference>/steps/<step>")
@customer_required
def save_step(reference: str, step: str):
    """Save one step from a JSON object of its fields."""
    application = _mine(reference, lock=True)
    service.save_step(customer.actor(), application, step, _json_body())
    return jsonify(customer.summary(_mine(reference)))


@bp.post("/applications/<reference>/documents/<slot>")
@customer_required
def upload(reference: str, slot: str):
    """A photo as multipart 'photo', or JSON {"content": base64}."""
    application = _mine(reference, lock=True)
    limit_upload_size()
    limit = current_settings().image_max_bytes
    photo = request.files.get("photo")
    if photo is not None:
        content = photo.read(limit + 1)
    else:
        body = request.get_json(silent=True) or {}
        raw = body.get("content") if isinstance(body, dict) else None
        if not isinstance(raw, str) or len(raw) > limit * 4 // 3 + 8:
            raise ValidationFailed("Send the photo as multipart 'photo' or base64 'content' "
                                   "within the size limit.")
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationFailed("The photo is not valid base64.") from exc
    service.attach_document(customer.actor(), application, slot, content, "app")
    return jsonify(customer.summary(_mine(reference)))


@bp.post("/applications/<reference>/submit")
@customer_required
def submit(reference: str):
    """Submit for screening; the answer carries the new status."""
    decisions.submit(customer.actor(), _mine(reference, lock=True))
    return jsonify(customer.summary(_mine(reference)))


@bp.post("/applications/<reference>/withdraw")
@customer_required
def withdraw(reference: str):
    """Withdraw an undecided application."""
    decisions.withdraw(customer.actor(), _mine(reference, lock=True), "Withdrawn in the app.")
    return jsonify(customer.summary(_mine(reference)))


@bp.get("/applications/<reference>/card")
@customer_required
def card(reference: str):
    """The new card's details, for this customer's device only, until the PIN is set."""
    response = jsonify(customer.reveal_card(_mine(reference)))
    response.headers["Cache-Control"] = "no-store"
    return response

"""Staff actions of PIN and password resets (the status shows on the cards page)."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from workstation.cards.routes import run_and_show
from workstation.credentials import service
from workstation.models import SERVING_ROLES
from workstation.web import current_actor, roles_required

bp = Blueprint("credentials", __name__, url_prefix="/customers")


@bp.post("/<int:customer_id>/credentials/resets")
@roles_required(*SERVING_ROLES)
def start_reset(customer_id: int):
    """Start a PIN or password reset: code to the phone, then steps on the device."""
    form = request.form
    return run_and_show(customer_id, lambda: service.start_reset(
        current_actor(), current_user, customer_id, form.get("kind", ""),
        form.get("card_id", ""), form.get("reason", "")[:1000],
        form.get("request_key", "")[:100]),
        "Reset started: a code was texted to the customer's registered phone.")


@bp.post("/<int:customer_id>/credentials/resets/<int:reset_id>/cancel")
@roles_required(*SERVING_ROLES)
def cancel_reset(customer_id: int, reset_id: int):
    """Stop a reset that is still waiting for the customer."""
    return run_and_show(customer_id, lambda: service.cancel_reset(
        current_actor(), current_user, customer_id, reset_id,
        request.form.get("reason", "")[:1000]), "Reset cancelled.")

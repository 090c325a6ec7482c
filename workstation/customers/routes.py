"""Customer search (live, htmx) and the customer profile."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workstation.core import core_banking
from workstation.customers import access, service
from workstation.customers.extensions import profile_extensions
from workstation.errors import ValidationFailed, error_response, wants_json
from workstation.web import current_actor, is_htmx, render_page_or_fragment

bp = Blueprint("customers", __name__, url_prefix="/customers")


@bp.app_errorhandler(access.ReasonRequired)
def _ask_for_a_reason(refused: access.ReasonRequired):
    """A customer's record opened without a basis: to the page that asks why (htmx pages
    move there whole). JSON clients, and refusals that name no customer, get the 403."""
    if refused.customer_id is None or wants_json():
        return error_response(refused.status_code, "Request refused", refused.message)
    flash(refused.message, "info")
    target = url_for("customers.state_reason", customer_id=refused.customer_id)
    if is_htmx():
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


@bp.get("/search")
@login_required
def search():
    """Search page; htmx asks for the result list alone as the user types."""
    query = request.args.get("q", "")
    hits = service.search_customers(
        current_actor(), current_user, query, current_app.config["SEARCH_RESULT_LIMIT"]
    )
    return render_page_or_fragment(
        "customers/search.html", "customers/_results.html", query=query, hits=hits
    )


@bp.get("/<int:customer_id>")
@login_required
def profile(customer_id: int):
    """The customer profile; outside one's own work a reason is asked for first."""
    profile = service.open_profile(current_actor(), current_user, core_banking(), customer_id)
    return render_template(
        "customers/profile.html",
        profile=profile,
        extensions=profile_extensions(current_user.role),
    )


@bp.route("/<int:customer_id>/reason", methods=["GET", "POST"])
@login_required
def state_reason(customer_id: int):
    """Ask why a record outside the staff member's work is being opened."""
    customer = service.customer_brief(customer_id)
    context = {"customer": customer, "reasons": access.ACCESS_REASONS}
    if request.method == "GET":
        return render_template("customers/reason.html", **context)
    try:
        access.grant_access(
            current_actor(),
            current_user,
            customer_id,
            request.form.get("reason_code", ""),
            request.form.get("reason_text", ""),
            current_app.config["ACCESS_REASON_LIFETIME"],
        )
    except ValidationFailed as error:
        return render_template("customers/reason.html", error=error.message, **context), 422
    return redirect(url_for("customers.profile", customer_id=customer_id))

"""Administration pages: staff accounts and account-manager portfolios."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from workstation.admin import service
from workstation.errors import DomainError
from workstation.models import Role
from workstation.types import whole_number
from workstation.web import current_actor, roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/staff")
@roles_required(Role.ADMIN)
def staff_list():
    """All staff accounts with their state and actions."""
    return render_template("admin/staff.html", staff=service.list_staff())


def _new_staff_from_form() -> service.NewStaff:
    branch = request.form.get("branch_id", "")
    return service.NewStaff(
        username=request.form.get("username", ""),
        full_name=request.form.get("full_name", ""),
        role=request.form.get("role", ""),
        branch_id=whole_number(branch),
        password=request.form.get("password", ""),
    )


@bp.route("/staff/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_staff():
    """Open a staff account."""
    context = {"branches": service.list_branches(), "roles": list(Role), "form": request.form}
    if request.method == "GET":
        return render_template("admin/staff_new.html", **context)
    try:
        staff = service.create_staff(
            current_actor(), _new_staff_from_form(), current_app.config["PASSWORD_MIN_LENGTH"]
        )
    except DomainError as error:
        return (
            render_template("admin/staff_new.html", error=error.message, **context),
            error.status_code,
        )
    flash(
        f"Account {staff.username} created. Hand over the initial password in person; "
        "they choose a new one and set up an authenticator at first sign-in.",
        "success",
    )
    return redirect(url_for("admin.staff_list"))


STAFF_ACTIONS = {
    "deactivate": (lambda actor, sid: service.set_active(actor, sid, False), "deactivated"),
    "activate": (lambda actor, sid: service.set_active(actor, sid, True), "reactivated"),
    "reset-second-factor": (service.reset_second_factor, "must set up a new authenticator"),
    "unlock": (service.unlock, "unlocked"),
}


@bp.post("/staff/<int:staff_id>/<action>")
@roles_required(Role.ADMIN)
def staff_action(staff_id: int, action: str):
    """Deactivate, reactivate, unlock or reset the second factor of an account."""
    if action not in STAFF_ACTIONS:
        abort(404, "Unknown action.")
    run, done = STAFF_ACTIONS[action]
    try:
        staff = run(current_actor(), staff_id)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.staff_list"))
    flash(f"{staff.username}: {done}.", "success")
    return redirect(url_for("admin.staff_list"))


@bp.route("/portfolios", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def portfolios():
    """Assign customers to account managers; the customers who have none."""
    if request.method == "GET":
        return _portfolios_page()
    manager = request.form.get("manager_id", "")
    numbers = "\n".join([request.form.get("customer_numbers", ""),
                         *request.form.getlist("customer_no")])
    try:
        result = service.assign_portfolio(
            current_actor(), whole_number(manager) or 0, numbers)
    except DomainError as error:
        return _portfolios_page(error.message, error.status_code)
    if result.unknown:
        message = "Nothing was assigned. Unknown customer numbers: " + ", ".join(result.unknown)
        return _portfolios_page(message, 422)
    flash(f"{len(result.assigned)} customer(s) assigned.", "success")
    return redirect(url_for("admin.portfolios"))


def _portfolios_page(error: str = "", status: int = 200):
    return render_template(
        "admin/portfolios.html", error=error, managers=service.managers_with_portfolio_size(),
        unassigned=service.unassigned_customers(current_actor()),
        picked=set(request.form.getlist("customer_no"))), status

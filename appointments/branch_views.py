"""Branch desk pages: check-in by code or QR, the waiting line, tomorrow's cash, set-up."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from appointments import calendar, checkin, queries, setup
from appointments.web import BOOKING_ROLES, SETUP_ROLES, VIEW_ROLES, bp, form_int, parse_day
from workstation.errors import DomainError
from workstation.types import utcnow
from workstation.web import current_actor, is_htmx, roles_required


def _branch_id() -> int:
    return form_int("branch_id") or current_user.branch_id or calendar.branches()[0].id


def _desk_context(branch_id: int) -> dict:
    branch = calendar.get_branch(branch_id)
    own = queries.is_branch_staff(current_user, branch)
    return {"branch": branch, "all_branches": calendar.branches(),
            "line": checkin.waiting(branch_id), "show_customers": own, "works_desk": own}


@bp.get("/desk")
@roles_required(*VIEW_ROLES)
def desk():
    """Check-in desk and the branch's waiting line (the line refreshes itself)."""
    context = _desk_context(_branch_id())
    if is_htmx():  # the line refreshes itself every few seconds: on record with the page
        return render_template("appointments/_queue.html", **context)
    branch = context["branch"]
    queries.show_customers(current_actor(), current_user, branch, "desk",
                           utcnow().astimezone(calendar.branch_zone(branch)).date(),
                           [t.appointment for t in context["line"] if t.appointment])
    return render_template("appointments/desk.html", code=request.args.get("code", ""),
                           **context)


@bp.post("/desk/check-in")
@roles_required(*BOOKING_ROLES)
def check_in():
    """Check a customer in by the code they show (typed, or scanned from the QR code)."""
    branch_id = _branch_id()
    try:
        ticket = checkin.check_in(current_actor(), current_user, branch_id,
                                  request.form.get("code", ""))
    except DomainError as error:
        return render_template("appointments/desk.html", error=error.message,
                               code=request.form.get("code", ""),
                               **_desk_context(branch_id)), error.status_code
    flash(f"Checked in: ticket {ticket.display} ({ticket.label}), ahead of walk-ins.", "success")
    return redirect(url_for("appointments.desk", branch_id=branch_id))


@bp.post("/desk/walk-in")
@roles_required(*BOOKING_ROLES)
def walk_in():
    """Give a walk-in customer a ticket."""
    branch_id = _branch_id()
    ticket = checkin.add_walk_in(current_actor(), current_user, branch_id,
                                 request.form.get("label", ""))
    flash(f"Walk-in ticket {ticket.display}.", "success")
    return redirect(url_for("appointments.desk", branch_id=branch_id))


@bp.post("/desk/call-next")
@roles_required(*BOOKING_ROLES)
def call_next():
    """Call the first ticket in line to the counter."""
    branch_id = _branch_id()
    ticket = checkin.call_next(current_actor(), current_user, branch_id)
    flash(f"Calling {ticket.display}: {ticket.label}.", "success")
    return redirect(url_for("appointments.desk", branch_id=branch_id))


@bp.get("/cash")
@roles_required(*VIEW_ROLES)
def cash():
    """Cash the branch must hold for large withdrawals on a day (tomorrow unless chosen)."""
    data = queries.cash_needs(_branch_id(), parse_day(request.args.get("date"), None)
                              if request.args.get("date") else None)
    shown = [a for need in data["needs"] for a in need.appointments]
    return render_template("appointments/cash.html", all_branches=calendar.branches(),
                           show_customers=queries.show_customers(
                               current_actor(), current_user, data["branch"], "cash",
                               data["day"], shown), **data)


@bp.get("/setup")
@roles_required(*SETUP_ROLES)
def setup_page():
    """A branch's opening hours, closures, services and cash capacity."""
    return render_template("appointments/setup.html", all_branches=calendar.branches(),
                           **setup.branch_setup(_branch_id()))


def _setup_done(message: str):
    flash(message, "success")
    return redirect(url_for("appointments.setup_page", branch_id=_branch_id()))


def _setup_refused(error: DomainError):
    return render_template("appointments/setup.html", error=error.message,
                           all_branches=calendar.branches(),
                           **setup.branch_setup(_branch_id())), error.status_code


@bp.post("/setup/hours")
@roles_required(*SETUP_ROLES)
def setup_hours():
    """Replace one weekday's opening hours."""
    intervals = list(zip(request.form.getlist("opens"), request.form.getlist("closes"),
                         strict=False))
    try:
        weekday = form_int("weekday")
        setup.set_hours(current_actor(), _branch_id(), -1 if weekday is None else weekday,
                        intervals)
    except DomainError as error:
        return _setup_refused(error)
    return _setup_done("Opening hours saved.")


@bp.post("/setup/closures")
@roles_required(*SETUP_ROLES)
def setup_closure():
    """Close the branch on a date."""
    try:
        setup.add_closure(current_actor(), _branch_id(), request.form.get("day", ""),
                          request.form.get("reason", ""))
    except DomainError as error:
        return _setup_refused(error)
    return _setup_done("Closure added.")


@bp.post("/setup/closures/<int:closure_id>/delete")
@roles_required(*SETUP_ROLES)
def setup_closure_delete(closure_id: int):
    """Open the branch again on a closed date."""
    setup.remove_closure(current_actor(), closure_id)
    return _setup_done("Closure removed.")


@bp.post("/setup/services")
@roles_required(*SETUP_ROLES)
def setup_service():
    """Offer a service or change its slot rules."""
    try:
        setup.save_service(current_actor(), _branch_id(), request.form.get("kind", ""),
                           request.form)
    except DomainError as error:
        return _setup_refused(error)
    return _setup_done("Service saved.")


@bp.post("/setup/cash")
@roles_required(*SETUP_ROLES)
def setup_cash():
    """Set the daily cash capacity of a currency."""
    try:
        setup.set_cash_capacity(current_actor(), _branch_id(), request.form.get("currency", ""),
                                request.form.get("daily_limit", ""))
    except DomainError as error:
        return _setup_refused(error)
    return _setup_done("Cash capacity saved.")

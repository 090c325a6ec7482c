"""Staff pages: branch calendar (day and week), booking for a customer, one appointment."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from appointments import booking, calendar, queries
from appointments.ics import appointment_ics
from appointments.prepared import form_for, prepared_values
from appointments.rules import CashRequest, parse_amount
from appointments.web import (
    BOOKING_ROLES,
    VIEW_ROLES,
    bp,
    form_int,
    parse_day,
    parse_start,
)
from workstation.errors import DomainError
from workstation.types import utcnow
from workstation.web import current_actor, is_htmx, render_page_or_fragment, roles_required


def _branch_id() -> int:
    return form_int("branch_id") or current_user.branch_id or calendar.branches()[0].id


def _today(branch) -> object:
    return utcnow().astimezone(calendar.branch_zone(branch)).date()


@bp.get("/")
@roles_required(*VIEW_ROLES)
def calendar_page():
    """The branch calendar: a day of slots, or a week of seats used (htmx swaps the body)."""
    branch = calendar.get_branch(_branch_id())
    day = parse_day(request.args.get("date"), _today(branch))
    view = "week" if request.args.get("view") == "week" else "day"
    data = queries.week_view(branch.id, day) if view == "week" else queries.day_view(branch.id, day)
    shown = [a for c in data.get("columns", []) for row in c.slots for a in row.appointments]
    response = render_page_or_fragment(
        "appointments/calendar.html", f"appointments/_{view}.html",
        view=view, all_branches=calendar.branches(),
        show_customers=view == "day" and queries.show_customers(
            current_actor(), current_user, branch, "day", day, shown),
        **data)
    return response, 200, {"Vary": "HX-Request"}


def _cash_from_form() -> CashRequest | None:
    if not (request.form.get("cash_amount") or "").strip():
        return None
    return CashRequest(
        amount=parse_amount(request.form["cash_amount"]),
        currency=(request.form.get("cash_currency") or "").strip().upper()[:3],
        purpose=request.form.get("purpose", ""),
        source_of_funds=request.form.get("source_of_funds", ""),
    )


def _booking_context(customer, branch_id: int | None, service_id: int | None) -> dict:
    branch = calendar.get_branch(branch_id or customer.home_branch_id or _branch_id())
    services = calendar.services_of(branch.id)
    service = next((s for s in services if s.id == service_id), services[0] if services else None)
    day = parse_day(request.values.get("date"), None) if request.values.get("date") else (
        calendar.first_bookable_day(service, _today(branch)) if service else _today(branch))
    slots = calendar.free_slots(service, day) if service else []
    return {"customer": customer, "branch": branch, "all_branches": calendar.branches(),
            "services": services, "service": service, "day": day, "slots": slots,
            "fields": form_for(service.kind) if service else (),
            "upcoming": queries.upcoming_for_customer(customer.id)}


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*BOOKING_ROLES)
def new():
    """Book for a customer: branch, service, day, a free slot, and the details it needs."""
    if request.values.get("customer_no"):
        customer_id = queries.customer_by_number(request.values["customer_no"]).id
    else:
        customer_id = form_int("customer_id")
    customer = queries.customer_for_booking(current_actor(), current_user, customer_id)
    context = _booking_context(customer, form_int("branch_id"), form_int("service_id"))
    if request.method == "GET":
        return render_page_or_fragment("appointments/new.html", "appointments/_book_form.html",
                                       **context)
    try:
        appt = booking.book(_staff_booker(), booking.BookingRequest(
            customer_id=customer.id, service_id=form_int("service_id") or 0,
            starts_at=parse_start(request.form.get("starts_at")), cash=_cash_from_form(),
            prepared={f.name: request.form.get(f"prep_{f.name}", "") for f in context["fields"]},
            note=request.form.get("note", "")))
    except DomainError as error:
        return render_template("appointments/new.html", error=error.message, form=request.form,
                               **context), error.status_code
    flash(f"Booked {appt.reference}: check-in code {appt.checkin_code}.", "success")
    return redirect(url_for("appointments.detail", appointment_id=appt.id))


@bp.get("/slots")
@roles_required(*VIEW_ROLES)
def slots():
    """The slot picker of a service on a day (an htmx fragment)."""
    service = calendar.get_service(form_int("service_id"))
    day = parse_day(request.args.get("date"), _today(service.branch))
    return render_template("appointments/_slots.html", service=service, day=day,
                           slots=calendar.free_slots(service, day),
                           current=request.args.get("current", ""),
                           target=request.args.get("target", "slot-picker"))


@bp.get("/<int:appointment_id>")
@roles_required(*VIEW_ROLES)
def detail(appointment_id: int):
    """One appointment: times in the branch's zone, prepared request, cash, actions."""
    appt = queries.open_appointment(current_actor(), current_user, appointment_id)
    from appointments.checkin import checkin_qr_svg
    from appointments.reminders import pending_reminders

    day = parse_day(request.args.get("date"), appt.starts_at.astimezone(
        calendar.branch_zone(appt.branch)).date())
    return render_template(
        "appointments/detail.html", appt=appt, qr_svg=checkin_qr_svg(appt),
        reminders=pending_reminders(appt.id), fields=form_for(appt.service.kind),
        prepared_now=prepared_values(appt.prepared_request),
        day=day, slots=calendar.free_slots(appt.service, day) if appt.status == "booked" else [],
        may_change=current_user.role in {r.value for r in BOOKING_ROLES})


def _staff_booker() -> booking.Booker:
    return booking.Booker(current_actor(), staff=current_user)


def _after_change(appointment_id: int, message: str):
    flash(message, "success")
    target = url_for("appointments.detail", appointment_id=appointment_id)
    if is_htmx():
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


@bp.post("/<int:appointment_id>/reschedule")
@roles_required(*BOOKING_ROLES)
def reschedule(appointment_id: int):
    """Move the appointment to another slot (reminders and calendar file follow)."""
    appt = booking.reschedule(_staff_booker(), appointment_id,
                              parse_start(request.form.get("starts_at")),
                              request.form.get("reason", ""))
    return _after_change(appt.id, "Appointment moved; the customer's reminders follow it.")


@bp.post("/<int:appointment_id>/cancel")
@roles_required(*BOOKING_ROLES)
def cancel(appointment_id: int):
    """Cancel with a reason; the seat goes back to the calendar."""
    booking.cancel(_staff_booker(), appointment_id, request.form.get("reason", ""))
    return _after_change(appointment_id, "Appointment cancelled.")


@bp.post("/<int:appointment_id>/no-show")
@roles_required(*BOOKING_ROLES)
def no_show(appointment_id: int):
    """Record that the customer did not come."""
    booking.mark_no_show(_staff_booker(), appointment_id)
    return _after_change(appointment_id, "Marked as no-show.")


@bp.post("/<int:appointment_id>/prepare")
@roles_required(*BOOKING_ROLES)
def prepare(appointment_id: int):
    """Fill in the service request so the branch has it ready on arrival."""
    appt = queries.open_appointment(current_actor(), current_user, appointment_id)
    values = {f.name: request.form.get(f"prep_{f.name}", "") for f in form_for(appt.service.kind)}
    booking.update_prepared_request(_staff_booker(), appointment_id, values)
    return _after_change(appointment_id, "Prepared request saved.")


@bp.get("/<int:appointment_id>/calendar.ics")
@roles_required(*VIEW_ROLES)
def ics(appointment_id: int):
    """The appointment as a calendar file in the branch's time zone."""
    appt = queries.open_appointment(current_actor(), current_user, appointment_id)
    return Response(appointment_ics(appt), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{appt.reference}.ics"'})

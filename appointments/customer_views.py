"""The customer's appointment screens in the mobile web client (under /m/appointments)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from appointments import booking, calendar, queries
from appointments.checkin import checkin_qr_svg
from appointments.customer_side import (
    cash_request,
    customer_booker,
    form_values,
    own_appointment,
    today_at,
)
from appointments.ics import appointment_ics
from appointments.prepared import form_for
from appointments.web import form_int, parse_day, parse_start
from workstation.customer_auth.decorators import customer_required
from workstation.errors import DomainError

mobile_bp = Blueprint("appointments_mobile", __name__, url_prefix="/m/appointments")


@mobile_bp.get("/")
@customer_required
def index():
    """The customer's appointments and a button to book one."""
    return render_template("appointments/mobile/index.html",
                           appointments=queries.upcoming_for_customer(g.customer.id))


def _booking_context() -> dict:
    all_branches = calendar.branches()
    branch_id = form_int("branch_id") or g.customer.home_branch_id or all_branches[0].id
    branch = calendar.get_branch(branch_id)
    services = calendar.services_of(branch.id)
    service = next((s for s in services if s.id == form_int("service_id")),
                   services[0] if services else None)
    day = parse_day(request.values.get("date"), None) if request.values.get("date") else (
        calendar.first_bookable_day(service, today_at(branch)) if service else today_at(branch))
    return {"branch": branch, "all_branches": all_branches, "services": services,
            "service": service, "day": day, "fields": form_for(service.kind) if service else (),
            "slots": calendar.free_slots(service, day) if service else []}


@mobile_bp.route("/new", methods=["GET", "POST"])
@customer_required
def new():
    """Choose branch, service, day and a free slot; add cash details or a prepared request."""
    context = _booking_context()
    if request.method == "GET":
        template = ("appointments/mobile/_form.html" if request.headers.get("HX-Request")
                    else "appointments/mobile/new.html")
        return render_template(template, **context)
    try:
        form = request.form
        appt = booking.book(customer_booker(), booking.BookingRequest(
            customer_id=g.customer.id, service_id=form_int("service_id") or 0,
            starts_at=parse_start(form.get("starts_at")),
            cash=cash_request(form.get("cash_amount"), form.get("cash_currency", ""),
                              form.get("purpose"), form.get("source_of_funds")),
            prepared=form_values(), note=form.get("note", "")))
    except DomainError as error:
        return render_template("appointments/mobile/new.html", error=error.message,
                               **context), error.status_code
    flash("Booked. Show the check-in code or QR code at the branch.", "success")
    return redirect(url_for("appointments_mobile.detail", appointment_id=appt.id))


@mobile_bp.get("/<int:appointment_id>")
@customer_required
def detail(appointment_id: int):
    """One appointment: time at the branch, check-in QR code, move and cancel."""
    appt = own_appointment(appointment_id)
    day = parse_day(request.args.get("date"), appt.starts_at.astimezone(
        calendar.branch_zone(appt.branch)).date())
    slots = calendar.free_slots(appt.service, day) if appt.status == "booked" else []
    if request.headers.get("HX-Request"):
        return render_template("appointments/_slots.html", slots=slots, day=day, current="",
                               target="move-slots")
    return render_template("appointments/mobile/detail.html", appt=appt, day=day, slots=slots,
                           qr_svg=checkin_qr_svg(appt))


def _refused(appointment_id: int, error: DomainError):
    appt = own_appointment(appointment_id)
    day = appt.starts_at.astimezone(calendar.branch_zone(appt.branch)).date()
    slots = calendar.free_slots(appt.service, day) if appt.status == "booked" else []
    return render_template("appointments/mobile/detail.html", appt=appt, day=day, slots=slots,
                           qr_svg=checkin_qr_svg(appt), error=error.message), error.status_code


@mobile_bp.post("/<int:appointment_id>/reschedule")
@customer_required
def reschedule(appointment_id: int):
    """Move the appointment; reminders and the calendar file follow."""
    try:
        booking.reschedule(customer_booker(), appointment_id,
                           parse_start(request.form.get("starts_at")),
                           request.form.get("reason", ""))
    except DomainError as error:
        return _refused(appointment_id, error)
    flash("Appointment moved.", "success")
    return redirect(url_for("appointments_mobile.detail", appointment_id=appointment_id))


@mobile_bp.post("/<int:appointment_id>/cancel")
@customer_required
def cancel(appointment_id: int):
    """Cancel with a reason."""
    try:
        booking.cancel(customer_booker(), appointment_id, request.form.get("reason", ""))
    except DomainError as error:
        return _refused(appointment_id, error)
    flash("Appointment cancelled.", "success")
    return redirect(url_for("appointments_mobile.detail", appointment_id=appointment_id))


@mobile_bp.get("/<int:appointment_id>/calendar.ics")
@customer_required
def ics(appointment_id: int):
    """Add to the phone's calendar (in the branch's time zone)."""
    appt = own_appointment(appointment_id)
    return Response(appointment_ics(appt), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{appt.reference}.ics"'})

"""The appointments JSON API for the bank's app: `/api/v1/appointments` (bearer device token)."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from appointments import booking, calendar, queries
from appointments.checkin import checkin_payload
from appointments.customer_side import cash_request, customer_booker, own_appointment, today_at
from appointments.ics import appointment_ics
from appointments.prepared import form_for, read_prepared_request
from appointments.web import parse_day, parse_start
from workstation.customer_auth.api import json_body, text_field
from workstation.customer_auth.decorators import customer_required
from workstation.errors import ValidationFailed
from workstation.types import DB_INT_MAX, whole_number

api_bp = Blueprint("appointments_api", __name__, url_prefix="/api/v1/appointments")


def appointment_json(appt) -> dict:
    """An appointment as the app sees it; local time in the branch's zone alongside UTC."""
    zone = calendar.branch_zone(appt.branch)
    return {
        "id": appt.id, "reference": appt.reference, "status": appt.status,
        "branch": {"id": appt.branch.id, "code": appt.branch.code, "name": appt.branch.name,
                   "timezone": appt.branch.timezone, "address": appt.branch.address},
        "service": {"id": appt.service.id, "kind": appt.service.kind,
                    "label": appt.service.label},
        "starts_at": appt.starts_at.isoformat(), "ends_at": appt.ends_at.isoformat(),
        "local_start": appt.starts_at.astimezone(zone).isoformat(),
        "checkin_code": appt.checkin_code, "checkin_qr_payload": checkin_payload(appt),
        "cash": None if appt.cash_amount is None else {
            "amount": str(appt.cash_amount), "currency": appt.cash_currency},
        "prepared_request": dict(read_prepared_request(appt.prepared_request)),
        "sequence": appt.sequence, "cancel_reason": appt.cancel_reason,
    }


def _int_field(body: dict, name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= DB_INT_MAX:
        raise ValidationFailed(f"'{name}' must be a whole number.")
    return value


@api_bp.get("/branches")
@customer_required
def branches():
    """Branches with the services they offer by appointment."""
    return jsonify({"branches": [{
        "id": b.id, "code": b.code, "name": b.name, "timezone": b.timezone, "address": b.address,
        "services": [{"id": s.id, "kind": s.kind, "label": s.label,
                      "slot_minutes": s.slot_minutes, "min_notice_minutes": s.min_notice_minutes,
                      "horizon_days": s.horizon_days,
                      "prepared_fields": [{"name": f.name, "label": f.label,
                                           "required": f.required, "choices": list(f.choices)}
                                          for f in form_for(s.kind)]}
                     for s in calendar.services_of(b.id)]} for b in calendar.branches()]})


@api_bp.get("/slots")
@customer_required
def slots():
    """Slots of a service on a branch-local day with free seats."""
    raw = request.args.get("service_id", "")
    service = calendar.get_service(whole_number(raw))
    day = parse_day(request.args.get("date"), today_at(service.branch))
    return jsonify({"service_id": service.id, "date": day.isoformat(), "slots": [
        {"starts_at": s.starts_at.isoformat(), "local": s.local.isoformat(), "free": s.free,
         "bookable": s.bookable} for s in calendar.free_slots(service, day)]})


@api_bp.get("")
@customer_required
def list_appointments():
    """The customer's appointments from the last 30 days on."""
    return jsonify({"appointments": [appointment_json(a) for a in
                                     queries.upcoming_for_customer(g.customer.id)]})


@api_bp.post("")
@customer_required
def create():
    """Book a slot; 201 with the appointment, or a problem naming the rule that refused."""
    body = json_body()
    cash = body.get("cash") or {}
    if not isinstance(cash, dict) or not isinstance(body.get("prepared", {}), dict):
        raise ValidationFailed("'cash' and 'prepared' must be objects.")
    appt = booking.book(customer_booker(), booking.BookingRequest(
        customer_id=g.customer.id, service_id=_int_field(body, "service_id"),
        starts_at=parse_start(text_field(body, "starts_at", limit=40)),
        cash=cash_request(cash.get("amount"), cash.get("currency", ""), cash.get("purpose"),
                          cash.get("source_of_funds")),
        prepared=body.get("prepared") or {},
        note=text_field(body, "note", required=False, limit=500)))
    return jsonify(appointment_json(appt)), 201


@api_bp.get("/<int:appointment_id>")
@customer_required
def show(appointment_id: int):
    """One of the customer's appointments."""
    return jsonify(appointment_json(own_appointment(appointment_id)))


@api_bp.post("/<int:appointment_id>/reschedule")
@customer_required
def reschedule(appointment_id: int):
    """Move to another slot of the same service, with a reason."""
    body = json_body()
    appt = booking.reschedule(customer_booker(), appointment_id,
                              parse_start(text_field(body, "starts_at", limit=40)),
                              text_field(body, "reason", limit=500))
    return jsonify(appointment_json(appt))


@api_bp.post("/<int:appointment_id>/cancel")
@customer_required
def cancel(appointment_id: int):
    """Cancel with a reason."""
    appt = booking.cancel(customer_booker(), appointment_id,
                          text_field(json_body(), "reason", limit=500))
    return jsonify(appointment_json(appt))


@api_bp.get("/<int:appointment_id>/calendar.ics")
@customer_required
def ics(appointment_id: int):
    """The appointment as an iCalendar file in the branch's time zone."""
    appt = own_appointment(appointment_id)
    return Response(appointment_ics(appt), mimetype="text/calendar")

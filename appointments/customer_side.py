"""What the customer's own screens and API share: reading their appointments and requests."""

from __future__ import annotations

from datetime import date

from flask import g, request

from appointments import booking, calendar
from appointments.models import Appointment
from appointments.rules import CashRequest, parse_amount
from workstation.customer_auth.service import customer_actor
from workstation.errors import NotFound, ValidationFailed
from workstation.extensions import db
from workstation.web import client_ip


def customer_booker() -> booking.Booker:
    """The signed-in customer as the one who books."""
    actor = customer_actor(g.customer, client_ip(), getattr(g, "request_id", ""))
    return booking.Booker(actor, customer_id=g.customer.id)


def own_appointment(appointment_id: int) -> Appointment:
    """One of the signed-in customer's appointments (404 for anyone else's)."""
    appt = db.session.get(Appointment, appointment_id)
    if appt is None or appt.customer_id != g.customer.id:
        raise NotFound("No such appointment.")
    return appt


def cash_request(amount, currency, purpose, source) -> CashRequest | None:
    """A cash request from submitted values, or None when no amount was given."""
    if amount in (None, ""):
        return None
    if isinstance(amount, bool) or not isinstance(amount, str | int | float):
        raise ValidationFailed("Give the cash amount as a number, e.g. 60000.00.", code="amount")
    text = amount if isinstance(amount, str) else str(amount)
    if not isinstance(currency, str) or len(currency.strip()) != 3:
        raise ValidationFailed("Give the currency as a three-letter code.", code="currency")
    return CashRequest(parse_amount(text), currency.strip().upper(), str(purpose or ""),
                       str(source or ""))


def today_at(branch) -> date:
    """Today's date at the branch."""
    from workstation.types import utcnow

    return utcnow().astimezone(calendar.branch_zone(branch)).date()


def form_values(prefix: str = "prep_") -> dict:
    """Prepared-request fields sent by a form."""
    return {k[len(prefix):]: v for k, v in request.form.items() if k.startswith(prefix)}

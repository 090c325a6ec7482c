"""Booking, moving and cancelling appointments: each call is one transaction, audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import wraps

from sqlalchemy import select

from appointments import capacity
from appointments.calendar import get_service, schedule_for, slot_rules
from appointments.models import Appointment, BranchService, CashCapacity
from appointments.prepared import build_prepared_request
from appointments.queries import staff_may_open
from appointments.reminders import plan_reminders, withdraw_reminders
from appointments.rules import BookingRefused, CashRequest, check_large_cash, check_slot
from appointments.settings import current_settings
from workstation import audit
from workstation.customers.access import refuse_opening, require_basis
from workstation.errors import Conflict, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Customer, Staff
from workstation.types import utcnow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def transaction(service):
    """Roll back whatever a refused service call had written, then re-raise."""

    @wraps(service)
    def run(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except Exception:
            db.session.rollback()
            raise

    return run


def _code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class Booker:
    """Who books: a staff member for a customer, or the customer."""

    actor: audit.Actor
    staff: Staff | None = None
    customer_id: int | None = None

    @property
    def side(self) -> str:
        return "staff" if self.staff is not None else "customer"


@dataclass(frozen=True)
class BookingRequest:
    customer_id: int
    service_id: int
    starts_at: datetime
    cash: CashRequest | None = None
    prepared: dict | None = None
    note: str = ""


def _customer_for(booker: Booker, customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("Unknown customer.", code="customer")
    if booker.staff is None:
        if booker.customer_id != customer.id:
            raise NotFound("Unknown customer.", code="customer")
        return customer
    require_basis(booker.actor, booker.staff, customer, "appointment.book")
    return customer


def _check_cash(service: BranchService, cash: CashRequest | None, schedule, now) -> None:
    if service.kind != "large_cash":
        if cash is not None:
            raise ValidationFailed("Only a large cash withdrawal carries an amount.", code="amount")
        return
    if cash is None:
        raise BookingRefused("Enter the amount and currency to withdraw.", code="amount")
    if db.session.scalar(select(CashCapacity.id).where(
            CashCapacity.branch_id == service.branch_id,
            CashCapacity.currency == cash.currency)) is None:
        raise BookingRefused(f"This branch pays out no cash in {cash.currency}.", code="currency")


def _reserve(service: BranchService, appt: Appointment, schedule, now: datetime) -> None:
    """Take the seat (and the cash) for the appointment's current time, checking every rule."""
    check_slot(schedule, slot_rules(service), appt.starts_at, now)
    if appt.cash_amount is not None:
        visit_day = schedule.local_date(appt.starts_at)
        check_large_cash(
            CashRequest(appt.cash_amount, appt.cash_currency, appt.purpose, appt.source_of_funds),
            current_settings().large_cash_thresholds, schedule, visit_day,
            schedule.local_date(now),
        )
        limit = db.session.scalar(select(CashCapacity.daily_limit).where(
            CashCapacity.branch_id == service.branch_id,
            CashCapacity.currency == appt.cash_currency))
        capacity.reserve_cash(service.branch_id, appt.cash_currency, visit_day,
                              appt.cash_amount, limit or Decimal(0))
    capacity.take_seat(service.id, appt.starts_at, service.capacity)


def _release(appt: Appointment, schedule) -> None:
    capacity.release_seat(appt.service_id, appt.starts_at)
    if appt.cash_amount is not None:
        capacity.release_cash(appt.branch_id, appt.cash_currency,
                              schedule.local_date(appt.starts_at), appt.cash_amount)


def _no_double_booking(customer_id: int, service_id: int, starts_at: datetime,
                       exclude: int | None = None) -> None:
    query = select(Appointment.id).where(
        Appointment.customer_id == customer_id, Appointment.service_id == service_id,
        Appointment.starts_at == starts_at, Appointment.status.in_(("booked", "checked_in")))
    if exclude:
        query = query.where(Appointment.id != exclude)
    if db.session.scalar(query) is not None:
        raise Conflict("The customer already holds this slot.", code="duplicate")


@transaction
def book(booker: Booker, request: BookingRequest, now: datetime | None = None) -> Appointment:
    """Book a slot for a customer: every rule checked, the seat taken, reminders planned."""
    now = now or utcnow()
    service = get_service(request.service_id)
    customer = _customer_for(booker, request.customer_id)
    schedule = schedule_for(service.branch, now.date() - timedelta(days=2))
    _check_cash(service, request.cash, schedule, now)
    _no_double_booking(customer.id, service.id, request.starts_at)
    cash = request.cash
    appt = Appointment(
        reference="AP" + _code(8), checkin_code=_code(8), customer_id=customer.id,
        branch_id=service.branch_id, service_id=service.id, starts_at=request.starts_at,
        ends_at=request.starts_at + timedelta(minutes=service.slot_minutes),
        channel="staff" if booker.staff else "mobile",
        booked_by_id=booker.staff.id if booker.staff else None,
        cash_amount=cash.amount if cash else None, cash_currency=cash.currency if cash else None,
        purpose=(cash.purpose.strip()[:255] if cash else ""),
        source_of_funds=(cash.source_of_funds.strip()[:255] if cash else ""),
        prepared_request=build_prepared_request(service.kind, request.prepared or {}, now),
        note=request.note.strip()[:500], created_at=now, updated_at=now,
    )
    _reserve(service, appt, schedule, now)
    db.session.add(appt)
    db.session.flush()
    plan_reminders(appt, schedule.zone, current_settings(), now)
    audit.record(booker.actor, "appointment.book", customer_id=customer.id,
                 object_type="appointment", object_id=appt.reference,
                 detail={"service": service.kind, "starts_at": appt.starts_at.isoformat(),
                         "branch": service.branch.code, "by": booker.side})
    db.session.commit()
    return appt


def load_for_change(booker: Booker, appointment_id: int) -> Appointment:
    """The appointment, locked, if this booker may change it."""
    appt = db.session.scalar(
        select(Appointment).where(Appointment.id == appointment_id).with_for_update()
    )
    if appt is None:
        raise NotFound("No such appointment.")
    if booker.staff is None and appt.customer_id != booker.customer_id:
        raise NotFound("No such appointment.")
    if booker.staff is not None and not staff_may_open(booker.staff, appt):
        refuse_opening(booker.actor, "appointment.change", appt.customer_id, "appointment",
                       appt.reference)
    return appt


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ValidationFailed("Give a reason (at least 3 characters).", code="reason")
    return reason[:500]


@transaction
def reschedule(booker: Booker, appointment_id: int, new_start: datetime, reason: str,
               now: datetime | None = None) -> Appointment:
    """Move a booked appointment to another slot of the same service."""
    now = now or utcnow()
    reason = _need_reason(reason)
    appt = load_for_change(booker, appointment_id)
    if appt.status == "cancelled":
        raise Conflict("A cancelled appointment cannot be rescheduled.", code="cancelled")
    if appt.status != "booked":
        raise Conflict(f"A {appt.status.replace('_', ' ')} appointment cannot be moved.",
                       code="status")
    if new_start == appt.starts_at:
        raise ValidationFailed("Choose a different time to move to.", code="same_time")
    _no_double_booking(appt.customer_id, appt.service_id, new_start, exclude=appt.id)
    schedule = schedule_for(appt.branch, now.date() - timedelta(days=2))
    old_start = appt.starts_at
    _release(appt, schedule)
    appt.starts_at = new_start
    appt.ends_at = new_start + timedelta(minutes=appt.service.slot_minutes)
    _reserve(appt.service, appt, schedule, now)
    appt.sequence += 1
    appt.updated_at = now
    plan_reminders(appt, schedule.zone, current_settings(), now)
    audit.record(booker.actor, "appointment.reschedule", customer_id=appt.customer_id,
                 object_type="appointment", object_id=appt.reference, reason=reason,
                 detail={"from": old_start.isoformat(), "to": new_start.isoformat(),
                         "by": booker.side})
    db.session.commit()
    return appt


@transaction
def cancel(booker: Booker, appointment_id: int, reason: str,
           now: datetime | None = None) -> Appointment:
    """Cancel a booked appointment, giving its seat and cash back."""
    now = now or utcnow()
    reason = _need_reason(reason)
    appt = load_for_change(booker, appointment_id)
    if appt.status != "booked":
        raise Conflict(f"A {appt.status.replace('_', ' ')} appointment cannot be cancelled.",
                       code="status")
    _release(appt, schedule_for(appt.branch, now.date()))
    appt.status = "cancelled"
    appt.cancelled_at = now
    appt.cancelled_by = booker.side
    appt.cancel_reason = reason
    appt.sequence += 1
    appt.updated_at = now
    withdraw_reminders(appt, now)
    audit.record(booker.actor, "appointment.cancel", customer_id=appt.customer_id,
                 object_type="appointment", object_id=appt.reference, reason=reason,
                 detail={"by": booker.side})
    db.session.commit()
    return appt


@transaction
def mark_no_show(booker: Booker, appointment_id: int, now: datetime | None = None) -> Appointment:
    """Record that the customer did not come (only once the slot has started)."""
    now = now or utcnow()
    appt = load_for_change(booker, appointment_id)
    if appt.status != "booked":
        raise Conflict(f"A {appt.status.replace('_', ' ')} appointment cannot be a no-show.",
                       code="status")
    if now < appt.starts_at:
        raise Conflict("The appointment has not started yet.", code="not_started")
    appt.status = "no_show"
    appt.updated_at = now
    if appt.cash_amount is not None:
        schedule = schedule_for(appt.branch, now.date())
        capacity.release_cash(appt.branch_id, appt.cash_currency,
                              schedule.local_date(appt.starts_at), appt.cash_amount)
    withdraw_reminders(appt, now)
    audit.record(booker.actor, "appointment.no_show", customer_id=appt.customer_id,
                 object_type="appointment", object_id=appt.reference)
    db.session.commit()
    return appt


@transaction
def update_prepared_request(booker: Booker, appointment_id: int, values: dict,
                            now: datetime | None = None) -> Appointment:
    """Fill in or change the prepared service request before the visit."""
    now = now or utcnow()
    appt = load_for_change(booker, appointment_id)
    if appt.status != "booked":
        raise Conflict("The request can only be prepared before check-in.", code="status")
    appt.prepared_request = build_prepared_request(appt.service.kind, values, now)
    appt.updated_at = now
    audit.record(booker.actor, "appointment.prepare", customer_id=appt.customer_id,
                 object_type="appointment", object_id=appt.reference)
    db.session.commit()
    return appt

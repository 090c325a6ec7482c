"""What the staff pages show: day and week calendars, tomorrow's cash, one appointment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from appointments.calendar import (
    appointments_between,
    branch_zone,
    get_branch,
    local_day_bounds,
    schedule_for,
    services_of,
    slot_rules,
)
from appointments.models import ACTIVE_STATUSES, Appointment, CashCapacity, CashLoad
from appointments.rules import day_slots
from workstation import audit
from workstation.customers.access import access_basis, record_opening, require_basis
from workstation.errors import NotFound
from workstation.extensions import db
from workstation.models import SERVING_ROLES, Customer, Staff
from workstation.types import utcnow


@dataclass
class SlotRow:
    starts_at: datetime
    capacity: int
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def used(self) -> int:
        return sum(1 for a in self.appointments if a.status != "cancelled")


@dataclass
class ServiceDay:
    service: object
    slots: list[SlotRow]

    @property
    def used(self) -> int:
        return sum(s.used for s in self.slots)

    @property
    def seats(self) -> int:
        return sum(s.capacity for s in self.slots)


def day_view(branch_id: int, day: date) -> dict:
    """Every service's slots on a branch-local day with seats used and who is booked."""
    branch = get_branch(branch_id)
    schedule = schedule_for(branch, day, 1)
    start, end = local_day_bounds(schedule.zone, day)
    booked = appointments_between(branch.id, start, end)
    columns = []
    for service in services_of(branch.id):
        rows = {s: SlotRow(s, service.capacity)
                for s in day_slots(schedule, slot_rules(service), day)}
        for appt in booked:
            if appt.service_id == service.id and appt.status != "cancelled":
                rows.setdefault(appt.starts_at, SlotRow(appt.starts_at, service.capacity))
                rows[appt.starts_at].appointments.append(appt)
        columns.append(ServiceDay(service, [rows[k] for k in sorted(rows)]))
    return {"branch": branch, "day": day, "columns": columns,
            "closure": schedule.closures.get(day), "cancelled":
            [a for a in booked if a.status == "cancelled"]}


def week_view(branch_id: int, day: date) -> dict:
    """Seats used and offered per service for each day of the week holding `day`."""
    branch = get_branch(branch_id)
    monday = day - timedelta(days=day.weekday())
    schedule = schedule_for(branch, monday, 7)
    start, _ = local_day_bounds(schedule.zone, monday)
    _, end = local_day_bounds(schedule.zone, monday + timedelta(days=6))
    booked = [a for a in appointments_between(branch.id, start, end) if a.status != "cancelled"]
    services = services_of(branch.id)
    days = [monday + timedelta(days=i) for i in range(7)]
    grid = {}
    for service in services:
        for d in days:
            seats = len(day_slots(schedule, slot_rules(service), d)) * service.capacity
            used = sum(1 for a in booked if a.service_id == service.id
                       and schedule.local_date(a.starts_at) == d)
            grid[(service.id, d)] = (used, seats)
    return {"branch": branch, "day": day, "days": days, "services": services, "grid": grid,
            "closures": schedule.closures}


@dataclass(frozen=True)
class CashNeed:
    currency: str
    booked: Decimal
    limit: Decimal
    appointments: list[Appointment]


def cash_needs(branch_id: int, day: date | None = None) -> dict:
    """Cash promised per currency on a day (tomorrow by default) against the branch's capacity."""
    branch = get_branch(branch_id)
    zone = branch_zone(branch)
    day = day or (utcnow().astimezone(zone).date() + timedelta(days=1))
    start, end = local_day_bounds(zone, day)
    appts = [a for a in appointments_between(branch.id, start, end)
             if a.cash_amount is not None and a.status in ACTIVE_STATUSES + ("completed",)]
    limits = {c.currency: c.daily_limit for c in db.session.scalars(
        select(CashCapacity).where(CashCapacity.branch_id == branch.id))}
    loads = {c.currency: c.booked_amount for c in db.session.scalars(
        select(CashLoad).where(CashLoad.branch_id == branch.id, CashLoad.day == day))}
    needs = [CashNeed(cur, loads.get(cur, Decimal("0.00")), limits[cur],
                      [a for a in appts if a.cash_currency == cur]) for cur in sorted(limits)]
    return {"branch": branch, "day": day, "needs": needs}


def is_branch_staff(staff: Staff, branch) -> bool:
    """The branch's own serving staff: they work its check-in desk and its pages show them
    who is booked; others see the line and the seats taken without names or purposes."""
    return staff.branch_id == branch.id and staff.role in SERVING_ROLES


def show_customers(actor: audit.Actor, staff: Staff, branch, what: str, day: date,
                   appointments: list[Appointment]) -> bool:
    """Whether the page shows who is booked (`is_branch_staff`), and on record when it does
    (one event per page listing the appointments shown)."""
    if not is_branch_staff(staff, branch):
        return False
    if appointments:
        audit.record(actor, f"appointment.{what}_view", object_type="branch",
                     object_id=branch.code, detail={"day": day.isoformat(), "appointments":
                                                    sorted(a.reference for a in appointments)})
        db.session.commit()
    return True


def staff_may_open(staff: Staff, appt: Appointment) -> bool:
    """Staff of the appointment's branch serve it; others need a basis for the customer
    (their portfolio, serving them now, or a reason they stated)."""
    return staff.branch_id == appt.branch_id or access_basis(staff, appt.customer) is not None


def open_appointment(actor: audit.Actor, staff: Staff, appointment_id: int) -> Appointment:
    """One appointment for a staff page; opening it is recorded as customer data access, and
    refused (on record too) to staff who may not open it."""
    appt = db.session.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound("No such appointment.")
    record_opening(actor, "appointment.view", customer_id=appt.customer_id,
                   allowed=staff_may_open(staff, appt), object_type="appointment",
                   object_id=appt.reference)
    return appt


def customer_by_number(number: str) -> Customer:
    """A customer by customer number (as typed at the booking desk)."""
    number = (number or "").strip().upper()[:16]
    customer = db.session.scalar(select(Customer).where(Customer.customer_no == number))
    if customer is None:
        raise NotFound("No customer has that customer number.", code="customer")
    return customer


def upcoming_for_customer(customer_id: int, now: datetime | None = None) -> list[Appointment]:
    """A customer's appointments from today on, and the latest past ones."""
    since = (now or utcnow()) - timedelta(days=30)
    return list(db.session.scalars(
        select(Appointment)
        .where(Appointment.customer_id == customer_id, Appointment.starts_at >= since)
        .order_by(Appointment.starts_at)
    ))


def customer_for_booking(actor: audit.Actor, staff, customer_id: int | None) -> Customer:
    """The customer a staff member books for; refused (and audited) without an access basis."""
    customer = db.session.get(Customer, customer_id) if customer_id else None
    if customer is None:
        raise NotFound("Unknown customer.", code="customer")
    basis = require_basis(actor, staff, customer, "appointment.open_customer")
    audit.record(actor, "appointment.open_customer", customer_id=customer.id,
                 object_type="customer", object_id=customer.customer_no, reason=basis)
    db.session.commit()
    return customer

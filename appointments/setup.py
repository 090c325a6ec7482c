"""Branch calendar set-up: opening hours, closures, services and cash capacity."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from sqlalchemy import delete, select

from appointments.booking import transaction
from appointments.calendar import get_branch
from appointments.models import SERVICE_KINDS, BranchService, CashCapacity, Closure, OpeningHours
from appointments.rules import parse_amount
from workstation import audit
from workstation.errors import Conflict, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.types import whole_number

SERVICE_LIMITS = {
    "slot_minutes": (5, 480),
    "capacity": (1, 500),
    "buffer_minutes": (0, 240),
    "min_notice_minutes": (0, 60 * 24 * 14),
    "horizon_days": (1, 365),
}


def _time(text: str, label: str) -> time:
    try:
        return time.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationFailed(f"{label}: enter a time as HH:MM.", code="time") from None


@transaction
def set_hours(actor: audit.Actor, branch_id: int, weekday: int, intervals: list[tuple[str, str]]):
    """Replace a weekday's opening intervals (an empty list closes the branch that day)."""
    branch = get_branch(branch_id)
    if weekday not in range(7):
        raise ValidationFailed("Choose a weekday.", code="weekday")
    parsed = sorted((_time(a, "Opens"), _time(b, "Closes")) for a, b in intervals if a or b)
    for (opens, closes), following in zip(parsed, parsed[1:] + [None], strict=True):
        if closes <= opens:
            raise ValidationFailed("Closing time must be after opening time.", code="time")
        if following and following[0] < closes:
            raise ValidationFailed("Opening intervals overlap.", code="time")
    db.session.execute(delete(OpeningHours).where(
        OpeningHours.branch_id == branch.id, OpeningHours.weekday == weekday))
    for opens, closes in parsed:
        db.session.add(OpeningHours(branch_id=branch.id, weekday=weekday, opens=opens,
                                    closes=closes))
    audit.record(actor, "appointments.set_hours", object_type="branch", object_id=branch.code,
                 detail={"weekday": weekday, "intervals": [f"{a}-{b}" for a, b in parsed]})
    db.session.commit()


@transaction
def add_closure(actor: audit.Actor, branch_id: int, day_text: str, reason: str) -> Closure:
    """Close a branch for a whole day (holiday or local closure)."""
    branch = get_branch(branch_id)
    try:
        day = date.fromisoformat((day_text or "").strip())
    except ValueError:
        raise ValidationFailed("Enter the date as YYYY-MM-DD.", code="date") from None
    reason = (reason or "").strip()[:120]
    if not reason:
        raise ValidationFailed("Say why the branch is closed.", code="reason")
    if db.session.scalar(select(Closure.id).where(Closure.branch_id == branch.id,
                                                  Closure.day == day)):
        raise Conflict(f"{day.isoformat()} is already a closure.", code="duplicate")
    closure = Closure(branch_id=branch.id, day=day, reason=reason)
    db.session.add(closure)
    audit.record(actor, "appointments.add_closure", object_type="branch",
                 object_id=branch.code, detail={"day": day.isoformat(), "reason": reason})
    db.session.commit()
    return closure


@transaction
def remove_closure(actor: audit.Actor, closure_id: int) -> None:
    """Open a branch again on a closed day."""
    closure = db.session.get(Closure, closure_id)
    if closure is None:
        raise NotFound("No such closure.")
    audit.record(actor, "appointments.remove_closure", object_type="branch",
                 object_id=str(closure.branch_id), detail={"day": closure.day.isoformat()})
    db.session.delete(closure)
    db.session.commit()


def _service_values(form: dict) -> dict:
    values = {}
    for name, (low, high) in SERVICE_LIMITS.items():
        number = whole_number(str(form.get(name, "")).strip(), high)
        if number is None or number < low:
            label = name.replace("_", " ")
            raise ValidationFailed(f"{label.capitalize()} must be a whole number from {low} "
                                   f"to {high}.", code=name)
        values[name] = number
    return values


@transaction
def save_service(actor: audit.Actor, branch_id: int, kind: str, form: dict) -> BranchService:
    """Offer a service at a branch or change its slot rules (affects new bookings only)."""
    branch = get_branch(branch_id)
    if kind not in SERVICE_KINDS:
        raise ValidationFailed("Unknown service kind.", code="kind")
    values = _service_values(form)
    service = db.session.scalar(select(BranchService).where(
        BranchService.branch_id == branch.id, BranchService.kind == kind))
    if service is None:
        service = BranchService(branch_id=branch.id, kind=kind)
        db.session.add(service)
    for name, value in values.items():
        setattr(service, name, value)
    service.active = str(form.get("active", "1")) in ("1", "on", "true")
    audit.record(actor, "appointments.save_service", object_type="branch",
                 object_id=branch.code, detail={"kind": kind, **values,
                                                "active": service.active})
    db.session.commit()
    return service


@transaction
def set_cash_capacity(actor: audit.Actor, branch_id: int, currency: str,
                      amount_text: str) -> CashCapacity:
    """Set how much cash of a currency the branch can pay out by appointment per day."""
    branch = get_branch(branch_id)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationFailed("Enter a three-letter currency code.", code="currency")
    limit: Decimal = parse_amount(amount_text)
    row = db.session.scalar(select(CashCapacity).where(
        CashCapacity.branch_id == branch.id, CashCapacity.currency == currency))
    if row is None:
        row = CashCapacity(branch_id=branch.id, currency=currency, daily_limit=limit)
        db.session.add(row)
    row.daily_limit = limit
    audit.record(actor, "appointments.set_cash_capacity", object_type="branch",
                 object_id=branch.code, detail={"currency": currency, "limit": str(limit)})
    db.session.commit()
    return row


def branch_setup(branch_id: int) -> dict:
    """Everything the set-up page shows for a branch."""
    branch = get_branch(branch_id)
    hours = db.session.scalars(select(OpeningHours).where(OpeningHours.branch_id == branch.id)
                               .order_by(OpeningHours.weekday, OpeningHours.opens))
    by_day: dict[int, list[OpeningHours]] = {d: [] for d in range(7)}
    for row in hours:
        by_day[row.weekday].append(row)
    return {
        "branch": branch,
        "hours": by_day,
        "closures": list(db.session.scalars(select(Closure).where(
            Closure.branch_id == branch.id).order_by(Closure.day))),
        "services": {s.kind: s for s in db.session.scalars(select(BranchService).where(
            BranchService.branch_id == branch.id))},
        "cash": list(db.session.scalars(select(CashCapacity).where(
            CashCapacity.branch_id == branch.id).order_by(CashCapacity.currency))),
    }

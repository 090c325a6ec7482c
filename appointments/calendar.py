"""Reading a branch's calendar: its schedule, free slots and the load of a day or week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from appointments.models import (
    Appointment,
    BranchService,
    Closure,
    OpeningHours,
    SlotLoad,
)
from appointments.rules import Schedule, SlotRules, check_slot, day_slots
from workstation.errors import DomainError, NotFound
from workstation.extensions import db
from workstation.models import Branch
from workstation.types import utcnow


def branch_zone(branch: Branch) -> ZoneInfo:
    """The branch's time zone (a configuration error if the name is unknown)."""
    try:
        return ZoneInfo(branch.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"Branch {branch.code} has an unknown time zone.") from None


def get_branch(branch_id: int | None) -> Branch:
    """An active branch, or a clear 404."""
    branch = db.session.get(Branch, branch_id) if branch_id else None
    if branch is None or not branch.active:
        raise NotFound("Unknown branch: choose one of the listed branches.", code="branch")
    return branch


def get_service(service_id: int | None, branch_id: int | None = None) -> BranchService:
    """An active service (of the given branch when one is named), or a clear 404."""
    service = db.session.get(BranchService, service_id) if service_id else None
    if service is None or not service.active or (branch_id and service.branch_id != branch_id):
        raise NotFound("Unknown service: choose one the branch offers.", code="service")
    return service


def schedule_for(branch: Branch, start: date | None = None, days: int = 400) -> Schedule:
    """The branch's weekly hours and closures (from a date on) as a Schedule."""
    hours: dict[int, list] = {}
    for row in db.session.scalars(select(OpeningHours).where(OpeningHours.branch_id == branch.id)):
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    query = select(Closure).where(Closure.branch_id == branch.id)
    if start is not None:
        query = query.where(Closure.day >= start, Closure.day <= start + timedelta(days=days))
    closures = {c.day: c.reason for c in db.session.scalars(query)}
    return Schedule(zone=branch_zone(branch), hours=hours, closures=closures)


def slot_rules(service: BranchService) -> SlotRules:
    """The slot rules of a service."""
    return SlotRules(
        slot_minutes=service.slot_minutes,
        capacity=service.capacity,
        buffer_minutes=service.buffer_minutes,
        min_notice_minutes=service.min_notice_minutes,
        horizon_days=service.horizon_days,
    )


def branches() -> list[Branch]:
    """Active branches by code."""
    return list(db.session.scalars(select(Branch).where(Branch.active).order_by(Branch.code)))


def services_of(branch_id: int) -> list[BranchService]:
    """The services a branch offers by appointment."""
    return list(
        db.session.scalars(
            select(BranchService)
            .where(BranchService.branch_id == branch_id, BranchService.active)
            .order_by(BranchService.id)
        )
    )


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    local: datetime
    capacity: int
    booked: int
    bookable: bool

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


def _loads(service_ids: list[int], start: datetime, end: datetime) -> dict:
    rows = db.session.execute(
        select(SlotLoad.service_id, SlotLoad.starts_at, SlotLoad.booked).where(
            SlotLoad.service_id.in_(service_ids),
            SlotLoad.starts_at >= start,
            SlotLoad.starts_at < end,
        )
    )
    return {(sid, at): booked for sid, at, booked in rows}


def free_slots(service: BranchService, day: date, now: datetime | None = None) -> list[Slot]:
    """Every slot of a service on a branch-local date, with seats taken and bookability."""
    now = now or utcnow()
    schedule = schedule_for(service.branch, day - timedelta(days=1), 2)
    rules = slot_rules(service)
    starts = day_slots(schedule, rules, day)
    if not starts:
        return []
    loads = _loads([service.id], starts[0], starts[-1] + timedelta(seconds=1))
    slots = []
    for start in starts:
        booked = loads.get((service.id, start), 0)
        try:
            check_slot(schedule, rules, start, now)
            ok = booked < service.capacity
        except DomainError:
            ok = False
        slots.append(Slot(start, start.astimezone(schedule.zone), service.capacity, booked, ok))
    return slots


def local_day_bounds(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """The UTC moments where a branch-local date starts and ends (23 or 25 hours near DST)."""
    start = datetime.combine(day, datetime.min.time()).replace(tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(tzinfo=zone)
    return start, end


def appointments_between(branch_id: int, start: datetime, end: datetime) -> list[Appointment]:
    """A branch's appointments starting in [start, end), earliest first."""
    return list(
        db.session.scalars(
            select(Appointment)
            .where(
                Appointment.branch_id == branch_id,
                Appointment.starts_at >= start,
                Appointment.starts_at < end,
            )
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def first_bookable_day(service: BranchService, start: date, limit: int = 21) -> date:
    """The first branch-local date from `start` with a slot still bookable (else `start`)."""
    for offset in range(limit):
        day = start + timedelta(days=offset)
        if any(slot.bookable for slot in free_slots(service, day)):
            return day
    return start

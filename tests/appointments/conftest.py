"""Fixtures for appointment tests: branches with calendars, and a free day to book on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from appointments.calendar import free_slots, get_branch, schedule_for
from appointments.demo import seed_appointments_demo
from appointments.models import BranchService
from tests import helpers
from workstation.audit import Actor
from workstation.extensions import db
from workstation.models import Staff
from workstation.types import utcnow


@dataclass
class Calendars:
    world: helpers.World
    services: dict[str, int]  # kind -> service id at BJ01
    london: int  # branch id of a branch in Europe/London

    def service(self, kind: str) -> BranchService:
        return db.session.get(BranchService, self.services[kind])


def open_day(branch_id: int, after_days: int = 2, now: datetime | None = None) -> date:
    """The first business day of a branch at least `after_days` ahead (branch-local)."""
    branch = get_branch(branch_id)
    schedule = schedule_for(branch)
    day = schedule.local_date(now or utcnow()) + timedelta(days=after_days)
    while not schedule.is_business_day(day):
        day += timedelta(days=1)
    return day


def first_slot(service: BranchService, day: date, index: int = 0) -> datetime:
    """The start of a bookable slot of a service on a day."""
    return [s for s in free_slots(service, day) if s.bookable][index].starts_at


def staff_actor(staff_id: int) -> tuple[Actor, Staff]:
    staff = db.session.get(Staff, staff_id)
    return Actor(staff_id=staff.id, username=staff.username, role=staff.role,
                 branch_code=staff.branch.code if staff.branch else ""), staff


@pytest.fixture
def calendars(app, world) -> Calendars:
    """The world's branches with demo calendars, plus a London branch."""
    with app.app_context():
        london = helpers.make_branch("LN01", "London Canary Wharf", "Europe/London")
        db.session.commit()
        seed_appointments_demo()
        services = {s.kind: s.id for s in db.session.scalars(
            select(BranchService).where(BranchService.branch_id == world.branches["BJ01"]))}
        return Calendars(world, services, london.id)

"""A London branch across the spring clock change: slots, reminders and calendar files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from appointments import booking
from appointments.calendar import get_branch, schedule_for, slot_rules
from appointments.ics import appointment_ics
from appointments.models import BranchService
from appointments.reminders import pending_reminders
from appointments.rules import day_slots
from workstation.audit import Actor
from workstation.extensions import db

LONDON = ZoneInfo("Europe/London")
BEFORE = datetime(2027, 3, 20, 10, 0, tzinfo=UTC)  # a week before British Summer Time


def london_counter(calendars) -> BranchService:
    return db.session.scalar(select(BranchService).where(
        BranchService.branch_id == calendars.london, BranchService.kind == "counter"))


def book_at(calendars, customer, start):
    booker = booking.Booker(Actor(None, "c", "customer"), customer_id=customer.id)
    service = london_counter(calendars)
    return booking.book(booker, booking.BookingRequest(customer.id, service.id, start),
                        now=BEFORE)


def test_nine_oclock_at_the_london_branch_before_and_after_the_change(app, calendars):
    with app.app_context():
        service = london_counter(calendars)
        schedule = schedule_for(get_branch(calendars.london))
        friday = day_slots(schedule, slot_rules(service), date(2027, 3, 26))[0]
        monday = day_slots(schedule, slot_rules(service), date(2027, 3, 29))[0]
        assert (friday.hour, monday.hour) == (9, 8)  # UTC
        first = book_at(calendars, calendars.world.customers[0], friday)
        second = book_at(calendars, calendars.world.customers[1], monday)
        for appt in (first, second):
            text = appointment_ics(appt).decode()
            local = appt.starts_at.astimezone(LONDON)
            assert local.strftime("%H:%M") == "09:00"
            assert f"DTSTART;TZID=Europe/London:{local:%Y%m%dT%H%M%S}" in text
            assert "BEGIN:VTIMEZONE" in text
        day_before = {r.kind: r.due_at for r in pending_reminders(second.id)}["day_before"]
        assert day_before.astimezone(LONDON).strftime("%a %H:%M") == "Sun 09:00"
        assert day_before == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)

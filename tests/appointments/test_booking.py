"""Booking, moving, cancelling, no-show and check-in through the services, on a real database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from appointments import booking, checkin
from appointments.calendar import free_slots
from appointments.capacity import CashCapacityExceeded, SlotFull
from appointments.models import Appointment
from appointments.reminders import pending_reminders, send_due_reminders
from appointments.rules import BookingRefused, CashRequest
from tests.appointments.conftest import first_slot, open_day, staff_actor
from workstation.customers.access import ReasonRequired
from workstation.errors import Conflict, NotFound
from workstation.extensions import db
from workstation.models import AuditEvent
from workstation.types import utcnow


def count_appointments() -> int:
    return db.session.scalar(select(func.count(Appointment.id)))


def manager_booker(calendars) -> booking.Booker:
    actor, staff = staff_actor(calendars.world.staff["manager"].id)
    return booking.Booker(actor, staff=staff)


def book(calendars, kind="counter", customer=0, start=None, **extra):
    service = calendars.service(kind)
    start = start or first_slot(service, open_day(service.branch_id))
    return booking.book(manager_booker(calendars), booking.BookingRequest(
        customer_id=calendars.world.customers[customer].id, service_id=service.id,
        starts_at=start, **extra))


def test_staff_books_and_the_seat_count_and_audit_follow(app, calendars):
    with app.app_context():
        appt = book(calendars)
        slot = next(s for s in free_slots(appt.service, open_day(appt.branch_id))
                    if s.starts_at == appt.starts_at)
        assert slot.booked == 1 and slot.free == appt.service.capacity - 1
        assert appt.reference.startswith("AP") and len(appt.checkin_code) == 8
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "appointment.book"))
        assert event.customer_id == appt.customer_id
        kinds = {r.kind for r in pending_reminders(appt.id)}
        assert kinds == {"day_before", "hour_before"}


def test_manager_cannot_book_outside_portfolio_without_a_reason(app, calendars):
    with app.app_context(), pytest.raises(ReasonRequired):
        book(calendars, customer=2)  # Zhang Min belongs to manager2
    with app.app_context():
        assert count_appointments() == 0
        refused = db.session.scalar(select(AuditEvent).where(
            AuditEvent.outcome == "reason_required"))
        assert refused.customer_id == calendars.world.customers[2].id
        assert refused.action == "appointment.book"


def test_full_slot_refuses_and_books_nothing(app, calendars):
    with app.app_context():
        service = calendars.service("wealth")  # one seat per slot
        start = first_slot(service, open_day(service.branch_id))
        book(calendars, "wealth", customer=0, start=start)
        with pytest.raises(SlotFull):
            book(calendars, "wealth", customer=1, start=start)
        assert count_appointments() == 1


def test_bad_input_names_the_rule_and_books_nothing(app, calendars):
    with app.app_context():
        service = calendars.service("counter")
        now = utcnow()
        day = open_day(service.branch_id)
        cases = {
            "past": now - timedelta(hours=1),
            "horizon": first_slot(service, day) + timedelta(days=service.horizon_days + 7),
            "hours": first_slot(service, day) - timedelta(hours=3),
        }
        for code, start in cases.items():
            with pytest.raises(BookingRefused) as refused:
                book(calendars, start=start)
            assert refused.value.code == code, code
        with pytest.raises(NotFound):
            booking.book(manager_booker(calendars), booking.BookingRequest(
                customer_id=calendars.world.customers[0].id, service_id=99999,
                starts_at=first_slot(service, day)))
        assert count_appointments() == 0


def test_holiday_is_refused(app, calendars, runner):
    from appointments import setup

    with app.app_context():
        service = calendars.service("counter")
        day = open_day(service.branch_id, after_days=3)
        start = first_slot(service, day)
        actor, _ = staff_actor(calendars.world.staff["supervisor"].id)
        setup.add_closure(actor, service.branch_id, day.isoformat(), "Branch refit")
        with pytest.raises(BookingRefused) as refused:
            book(calendars, start=start)
        assert refused.value.code == "holiday" and "Branch refit" in refused.value.message


def large_cash(amount, currency="CNY"):
    return CashRequest(Decimal(amount), currency, "Car purchase", "Sale of shares")


def test_large_cash_is_held_against_the_daily_capacity(app, calendars):
    with app.app_context():
        service = calendars.service("large_cash")
        day = open_day(service.branch_id, after_days=2)
        book(calendars, "large_cash", customer=0, start=first_slot(service, day, 0),
             cash=large_cash("1500000"))
        with pytest.raises(CashCapacityExceeded) as refused:
            book(calendars, "large_cash", customer=1, start=first_slot(service, day, 1),
                 cash=large_cash("600000"))
        assert "daily cash capacity" in refused.value.message
        assert count_appointments() == 1
        # The seat taken before the cash check was given back with the rollback.
        assert sum(s.booked for s in free_slots(service, day)) == 1
        book(calendars, "large_cash", customer=1, start=first_slot(service, day, 1),
             cash=large_cash("500000"))


def test_large_cash_rules_on_the_booking(app, calendars):
    with app.app_context():
        service = calendars.service("large_cash")
        day = open_day(service.branch_id)
        with pytest.raises(BookingRefused) as refused:
            book(calendars, "large_cash", cash=CashRequest(Decimal("80000"), "CNY", "", "x"),
                 start=first_slot(service, day))
        assert refused.value.code == "purpose"
        with pytest.raises(BookingRefused) as refused:
            book(calendars, "large_cash", cash=large_cash("100", "JPY"),
                 start=first_slot(service, day))
        assert refused.value.code == "currency"
        with pytest.raises(BookingRefused):
            book(calendars, "large_cash", start=first_slot(service, day))
        assert count_appointments() == 0


def test_reschedule_moves_seat_reminders_and_calendar_sequence(app, calendars):
    from appointments.ics import appointment_ics

    with app.app_context():
        appt = book(calendars)
        old_start, old_due = appt.starts_at, {r.kind: r.due_at for r in pending_reminders(appt.id)}
        new_start = first_slot(appt.service, open_day(appt.branch_id, after_days=4))
        moved = booking.reschedule(manager_booker(calendars), appt.id, new_start, "Customer ill")
        assert moved.starts_at == new_start and moved.sequence == 1
        due = {r.kind: r.due_at for r in pending_reminders(appt.id)}
        assert due["hour_before"] == new_start - timedelta(hours=1) != old_due["hour_before"]
        old_day = open_day(appt.branch_id)
        assert all(s.booked == 0 for s in free_slots(appt.service, old_day)
                   if s.starts_at == old_start)
        text = appointment_ics(moved).decode()
        assert "SEQUENCE:1" in text and "TZID=Asia/Shanghai" in text
        assert new_start.astimezone(appt.branch and __import__("zoneinfo").ZoneInfo(
            "Asia/Shanghai")).strftime("%Y%m%dT%H%M%S") in text


def test_cancelled_appointment_cannot_be_rescheduled(app, calendars):
    with app.app_context():
        appt = book(calendars)
        booking.cancel(manager_booker(calendars), appt.id, "Customer changed plans")
        assert pending_reminders(appt.id) == []
        with pytest.raises(Conflict) as refused:
            booking.reschedule(manager_booker(calendars), appt.id,
                               first_slot(appt.service, open_day(appt.branch_id, 4)), "Retry")
        assert "cancelled appointment cannot be rescheduled" in refused.value.message
        assert all(s.booked == 0 for s in free_slots(appt.service, open_day(appt.branch_id)))


def test_customer_can_only_change_their_own_appointment(app, calendars):
    with app.app_context():
        appt = book(calendars)
        stranger = booking.Booker(staff_actor(calendars.world.staff["agent"].id)[0],
                                  customer_id=calendars.world.customers[1].id)
        with pytest.raises(NotFound):
            booking.cancel(stranger, appt.id, "not mine")
        owner = booking.Booker(stranger.actor, customer_id=appt.customer_id)
        assert booking.cancel(owner, appt.id, "Plans changed").cancelled_by == "customer"


def test_check_in_puts_the_appointment_ahead_of_walk_ins(app, calendars):
    with app.app_context():
        appt = book(calendars)
        actor, staff = staff_actor(calendars.world.staff["agent"].id)
        at = appt.starts_at - timedelta(minutes=10)
        walk_in = checkin.add_walk_in(actor, staff, appt.branch_id, "Counter",
                                      now=at - timedelta(minutes=5))
        with pytest.raises(Conflict):
            checkin.check_in(actor, staff, appt.branch_id, appt.checkin_code,
                             now=appt.starts_at - timedelta(hours=3))
        ticket = checkin.check_in(actor, staff, appt.branch_id,
                                  f"COW-CHECKIN:{appt.checkin_code.lower()}", now=at)
        assert ticket.priority == 1 and ticket.display.startswith("A")
        line = checkin.waiting(appt.branch_id, now=at)
        assert [t.id for t in line] == [ticket.id, walk_in.id]
        with pytest.raises(Conflict):
            checkin.check_in(actor, staff, appt.branch_id, appt.checkin_code, now=at)
        called = checkin.call_next(actor, staff, appt.branch_id, now=at)
        assert called.id == ticket.id and db.session.get(Appointment, appt.id).status == "completed"


def test_no_show_only_after_the_start(app, calendars):
    with app.app_context():
        appt = book(calendars)
        with pytest.raises(Conflict):
            booking.mark_no_show(manager_booker(calendars), appt.id)
        done = booking.mark_no_show(manager_booker(calendars), appt.id,
                                    now=appt.starts_at + timedelta(minutes=20))
        assert done.status == "no_show"


def test_due_reminders_reach_the_customer_as_notice_tasks_once(app, calendars):
    from workstation.tasks.models import CustomerTask

    with app.app_context():
        appt = book(calendars)
        day_before = appt.starts_at - timedelta(hours=23)
        assert send_due_reminders(now=day_before) == 1
        assert send_due_reminders(now=day_before) == 0
        tasks = list(db.session.scalars(select(CustomerTask).where(
            CustomerTask.customer_id == appt.customer_id)))
        assert [t.kind for t in tasks] == ["notice"]
        assert appt.checkin_code in tasks[0].payload_json and "tomorrow" in tasks[0].payload_json
        assert send_due_reminders(now=appt.starts_at - timedelta(minutes=59)) == 1
        assert pending_reminders(appt.id) == []


def test_cancelled_appointment_sends_no_reminder(app, calendars):
    with app.app_context():
        appt = book(calendars)
        booking.cancel(manager_booker(calendars), appt.id, "No longer needed")
        assert send_due_reminders(now=appt.starts_at) == 0

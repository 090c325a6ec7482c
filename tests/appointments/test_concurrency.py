"""Many requests for the last seats at once: the counters never pass the capacity."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import func, select

from appointments import booking
from appointments.capacity import CashCapacityExceeded, SlotFull
from appointments.models import Appointment, BranchService
from appointments.rules import CashRequest
from tests import helpers
from tests.appointments.conftest import first_slot, open_day
from workstation.audit import Actor
from workstation.extensions import db


def extra_customers(count: int, branch_id: int) -> list[int]:
    return [helpers.make_customer(100 + i, f"Guest {i}", f"+86 135 0000 {1000 + i}",
                                  branch_id=branch_id).id for i in range(count)]


def race(app, customer_ids, request_for) -> dict[str, int]:
    """Book for every customer at once, each in its own thread, app context and session."""
    barrier = threading.Barrier(len(customer_ids))
    outcome = {"booked": 0, "full": 0, "other": 0}
    lock = threading.Lock()

    def attempt(customer_id):
        with app.app_context():
            booker = booking.Booker(Actor(None, f"customer:{customer_id}", "customer"),
                                    customer_id=customer_id)
            barrier.wait()
            try:
                booking.book(booker, request_for(customer_id))
                key = "booked"
            except (SlotFull, CashCapacityExceeded):
                key = "full"
            except Exception:  # noqa: BLE001  (counted: the test expects none)
                key = "other"
            finally:
                db.session.remove()
            with lock:
                outcome[key] += 1

    threads = [threading.Thread(target=attempt, args=(cid,)) for cid in customer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcome


def test_twenty_requests_for_the_last_seat_one_wins(app, calendars):
    with app.app_context():
        service = calendars.service("counter")  # three seats per slot
        start = first_slot(service, open_day(service.branch_id))
        first_two = [c.id for c in calendars.world.customers[:2]]
        for customer_id in first_two:
            booking.book(booking.Booker(Actor(None, "c", "customer"), customer_id=customer_id),
                         booking.BookingRequest(customer_id, service.id, start))
        racers = extra_customers(20, service.branch_id)
        service_id = service.id
    outcome = race(app, racers, lambda cid: booking.BookingRequest(cid, service_id, start))
    assert outcome == {"booked": 1, "full": 19, "other": 0}
    with app.app_context():
        held = db.session.scalar(select(func.count(Appointment.id)).where(
            Appointment.service_id == service_id, Appointment.starts_at == start))
        assert held == db.session.get(BranchService, service_id).capacity == 3


def test_concurrent_large_withdrawals_stay_within_the_daily_cash(app, calendars):
    with app.app_context():
        service = calendars.service("large_cash")
        service.capacity = 50
        db.session.commit()
        day = open_day(service.branch_id, after_days=2)
        start = first_slot(service, day)
        racers = extra_customers(12, service.branch_id)
        service_id = service.id
    cash = CashRequest(Decimal("300000"), "CNY", "Property deposit", "Savings")
    outcome = race(app, racers,
                   lambda cid: booking.BookingRequest(cid, service_id, start, cash=cash))
    # 2,000,000 CNY per day: six withdrawals of 300,000 fit, the seventh would not.
    assert outcome == {"booked": 6, "full": 6, "other": 0}

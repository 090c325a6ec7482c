"""Appointment booking: throughput, and 500 concurrent requests for 10 seats (SQLite, PostgreSQL).

Each database is a fresh one (a temporary SQLite file; a private PostgreSQL database on
BENCH_DATABASE_URL or TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test).
The baseline of the throughput figure is one audited write (an audit event and a commit), the
least any audited action costs, measured in the same run on the same database.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from datetime import timedelta

from sqlalchemy import func, select

from bench.figures import Figure, median, timings_ms
from tests.helpers import private_postgres_database

BOOKINGS = 300
RACERS = 500
SEATS = 10


def _app(url: str):
    from cryptography.fernet import Fernet

    from workstation import create_app

    pool = {"pool_size": 60, "max_overflow": 0, "pool_timeout": 120}
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **pool},
    })


def _world(app, customers: int):
    """A branch with demo calendars and `customers` customers; returns (service, ids)."""
    from flask_migrate import upgrade

    from appointments.demo import seed_appointments_demo
    from appointments.models import BranchService
    from tests import helpers
    from workstation.extensions import db

    with app.app_context():
        upgrade()
        branch = helpers.make_branch("BN01", "Bench branch", "Europe/London")
        db.session.commit()
        seed_appointments_demo()
        ids = [helpers.make_customer(10 + i, f"Bench {i}", f"+86 135 {i:04d} 0000",
                                     branch_id=branch.id).id for i in range(customers)]
        service = db.session.scalar(select(BranchService).where(
            BranchService.branch_id == branch.id, BranchService.kind == "counter"))
        service.horizon_days = 120
        service.capacity = 1000
        service.min_notice_minutes = 0
        db.session.commit()
        return service.id, ids


def _slots(app, service_id: int, count: int):
    from appointments.calendar import free_slots
    from appointments.models import BranchService
    from workstation.extensions import db
    from workstation.types import utcnow

    with app.app_context():
        service = db.session.get(BranchService, service_id)
        day, starts = utcnow().date() + timedelta(days=1), []
        while len(starts) < count:
            starts += [s.starts_at for s in free_slots(service, day) if s.bookable]
            day += timedelta(days=1)
        return starts[:count]


def _booker(customer_id: int):
    from appointments.booking import Booker
    from workstation.audit import Actor

    return Booker(Actor(None, f"customer:{customer_id}", "customer"), customer_id=customer_id)


def _throughput(app, service_id: int, customers: list[int], label: str) -> list[Figure]:
    from appointments.booking import BookingRequest, book
    from workstation import audit
    from workstation.extensions import db

    starts = iter(_slots(app, service_id, BOOKINGS + 10))
    who = iter(customers * 20)
    with app.app_context():
        def audited_write():
            audit.record(audit.Actor.system("bench"), "bench.write")
            db.session.commit()

        _last = [None, None]

        def next_booking():
            _last[0], _last[1] = next(who), next(starts)
            book(_booker(_last[0]), BookingRequest(_last[0], service_id, _last[1]))

        started = time.perf_counter()
        booking_ms = timings_ms(next_booking, BOOKINGS, warmup=5)
        elapsed = time.perf_counter() - started
        write_ms = timings_ms(audited_write, BOOKINGS, warmup=5)
    return [
        Figure(f"booking.{label}.latency_median", median(booking_ms), "ms",
               median(write_ms), "one audited write + commit"),
        Figure(f"booking.{label}.throughput", BOOKINGS / elapsed, "booking/s",
               note="one thread, a different slot each time"),
    ]


def _race(app, service_id: int, customers: list[int], label: str) -> list[Figure]:
    from appointments.booking import BookingRequest, book
    from appointments.capacity import SlotFull
    from appointments.models import Appointment, BranchService
    from workstation.extensions import db

    with app.app_context():
        db.session.get(BranchService, service_id).capacity = SEATS
        db.session.commit()
    start = _slots(app, service_id, 1)[0]
    barrier = threading.Barrier(RACERS)
    outcome = {"booked": 0, "full": 0, "error": 0}
    lock = threading.Lock()

    def attempt(customer_id: int):
        with app.app_context():
            barrier.wait()
            try:
                book(_booker(customer_id), BookingRequest(customer_id, service_id, start))
                key = "booked"
            except SlotFull:
                key = "full"
            except Exception:  # noqa: BLE001  (reported as errors in the figure)
                key = "error"
            finally:
                db.session.remove()
        with lock:
            outcome[key] += 1

    threads = [threading.Thread(target=attempt, args=(c,)) for c in customers[:RACERS]]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    with app.app_context():
        held = db.session.scalar(select(func.count(Appointment.id)).where(
            Appointment.service_id == service_id, Appointment.starts_at == start))
    note = f"{outcome['booked']} won, {outcome['full']} told full, {outcome['error']} errors"
    return [
        Figure(f"booking.{label}.race_{RACERS}_for_{SEATS}.booked", held, "seats",
               SEATS, "seats offered", note),
        Figure(f"booking.{label}.race_{RACERS}_for_{SEATS}.seconds", seconds, "s"),
    ]


def _run_on(url: str, label: str) -> list[Figure]:
    from workstation.extensions import db

    app = _app(url)
    service_id, customers = _world(app, RACERS)
    figures = _throughput(app, service_id, customers, label)
    figures += _race(app, service_id, customers, label)
    with app.app_context():
        db.engine.dispose()
    return figures


def _postgres_url() -> tuple[str, callable] | None:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        return private_postgres_database(base, "cow_bench")
    except Exception:  # noqa: BLE001  (no PostgreSQL here: SQLite figures only)
        return None


def run() -> list[Figure]:
    """Booking figures on SQLite, then on PostgreSQL when one is reachable."""
    with tempfile.TemporaryDirectory() as folder:
        figures = _run_on(f"sqlite:///{folder}/bench.db", "sqlite")
    postgres = _postgres_url()
    if postgres:
        url, drop = postgres
        try:
            figures += _run_on(url, "postgresql")
        finally:
            drop()
    return figures

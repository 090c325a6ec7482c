"""Real concurrent HTTP requests to the running server for the last seat: exactly one wins."""

from __future__ import annotations

import re
import threading

import requests
from sqlalchemy import create_engine, text

from tests.appointments.conftest import first_slot, open_day
from tests.e2e.conftest import DEMO_PASSWORD
from workstation import create_app
from workstation.config import normalise_database_url

RACERS = 8


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30).text
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _signed_in_manager(live_server) -> requests.Session:
    session = requests.Session()
    base = live_server.base_url
    token = _csrf(session, f"{base}/auth/login")
    session.post(f"{base}/auth/login", timeout=30, data={
        "username": "manager1", "password": DEMO_PASSWORD, "csrf_token": token})
    code = live_server.demo.accounts["manager1"].next_code()
    token = _csrf(session, f"{base}/auth/second-factor")
    home = session.post(f"{base}/auth/second-factor", timeout=30,
                        data={"code": code, "csrf_token": token})
    assert "My portfolio" in home.text
    return session


def _single_seat_slot(live_server):
    """A bookable slot of the one-seat account-opening service at BJ01, and its id."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": live_server.database_url,
                      "DATA_ENCRYPTION_KEYS": live_server.data_key})
    with app.app_context():
        from appointments.models import BranchService
        from workstation.extensions import db
        from workstation.models import Branch

        branch = db.session.query(Branch).filter_by(code="BJ01").one()
        service = db.session.query(BranchService).filter_by(
            branch_id=branch.id, kind="account_opening").one()
        assert service.capacity == 1
        start = first_slot(service, open_day(branch.id, after_days=3))
        result = service.id, start
        db.engine.dispose()
    return result


def test_eight_staff_requests_for_one_seat_book_it_once(live_server):
    session = _signed_in_manager(live_server)
    service_id, start = _single_seat_slot(live_server)
    engine = create_engine(normalise_database_url(live_server.database_url))
    with engine.connect() as conn:
        customers = conn.execute(text(
            "SELECT c.id FROM customers c JOIN staff s ON s.id = c.manager_id "
            "WHERE s.username = 'manager1' ORDER BY c.id LIMIT :n"), {"n": RACERS}).scalars().all()
    token = _csrf(session, f"{live_server.base_url}/")
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def book(customer_id: int) -> None:
        racer = requests.Session()
        racer.cookies.update(session.cookies)
        barrier.wait()
        response = racer.post(
            f"{live_server.base_url}/appointments/new", allow_redirects=False, timeout=60,
            data={"customer_id": customer_id, "service_id": service_id,
                  "starts_at": start.isoformat(), "csrf_token": token})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=book, args=(cid,)) for cid in customers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert sorted(statuses) == [302] + [409] * (RACERS - 1), live_server.log_tail()
    with engine.connect() as conn:
        booked = conn.execute(text(
            "SELECT COUNT(*) FROM appointments WHERE service_id = :s AND status = 'booked'"),
            {"s": service_id}).scalar_one()
    engine.dispose()
    assert booked == 1

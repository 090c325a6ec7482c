"""Staff pages: calendar, booking form, appointment page, check-in desk, cash needs, set-up."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from appointments.models import Appointment, Closure
from tests.appointments.conftest import first_slot, open_day
from workstation.extensions import db


def slot_and_day(app, calendars, kind="counter", index=0):
    with app.app_context():
        service = calendars.service(kind)
        day = open_day(service.branch_id)
        return service.id, day, first_slot(service, day, index)


def book_by_form(client, calendars, app, **extra):
    service_id, day, start = slot_and_day(app, calendars)
    data = {"customer_id": calendars.world.customers[0].id, "branch_id":
            calendars.world.branches["BJ01"], "service_id": service_id,
            "date": day.isoformat(), "starts_at": start.isoformat(), **extra}
    return client.post("/appointments/new", data=data)


def only_appointment(app) -> Appointment:
    with app.app_context():
        appt = db.session.scalar(select(Appointment))
        db.session.expunge(appt)
        return appt


def test_manager_books_from_the_form_and_sees_the_appointment(client, calendars, sign_in, app):
    sign_in(calendars.world.staff["manager"])
    form = client.get(f"/appointments/new?customer_no={calendars.world.customers[0].customer_no}")
    assert form.status_code == 200 and "Wang Fang" in form.get_data(as_text=True)
    response = book_by_form(client, calendars, app, prep_errand="statement")
    assert response.status_code == 302
    appt = only_appointment(app)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert appt.reference in page and appt.checkin_code in page
    assert "statement" in page and "<svg" in page  # prepared request and the QR code
    ics = client.get(f"/appointments/{appt.id}/calendar.ics")
    assert ics.mimetype == "text/calendar" and b"BEGIN:VEVENT" in ics.data


def test_booking_refusals_are_clear_and_book_nothing(client, calendars, sign_in, app):
    sign_in(calendars.world.staff["manager"])
    response = book_by_form(client, calendars, app, starts_at="2020-01-01T01:00:00+00:00")
    assert response.status_code == 422
    assert "in the past" in response.get_data(as_text=True)
    response = book_by_form(client, calendars, app, service_id="987654")
    assert response.status_code == 404 and "Unknown service" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Appointment.id))) == 0


def test_missing_csrf_token_changes_nothing(client, calendars, sign_in, app):
    sign_in(calendars.world.staff["manager"])
    service_id, day, start = slot_and_day(app, calendars)
    response = client.post("/appointments/new", csrf=False, data={
        "customer_id": calendars.world.customers[0].id, "service_id": service_id,
        "starts_at": start.isoformat()})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Appointment.id))) == 0


def test_calendar_day_and_week_with_htmx_fragments(client, calendars, sign_in, app):
    sign_in(calendars.world.staff["manager"])
    book_by_form(client, calendars, app)
    appt = only_appointment(app)
    _, day, _ = slot_and_day(app, calendars)
    page = client.get(f"/appointments/?date={day.isoformat()}")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    fragment = client.get(f"/appointments/?date={day.isoformat()}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Wang Fang" in fragment and "1/3" in fragment
    week = client.get(f"/appointments/?date={day.isoformat()}&view=week",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-testid="week"' in week
    assert client.get(f"/appointments/?date={day.isoformat()}&branch_id={appt.branch_id}"
                      ).status_code == 200


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("auditor", "/appointments/", 200),
        ("auditor", "/appointments/new?customer_id=1", 403),
        ("admin", "/appointments/new?customer_id=1", 403),
        ("auditor", "/appointments/setup", 403),
        ("agent", "/appointments/setup", 403),
        ("supervisor", "/appointments/setup", 200),
        ("admin", "/appointments/setup", 200),
        ("agent", "/appointments/desk", 200),
        ("auditor", "/appointments/cash", 200),
    ],
)
def test_roles(client, calendars, sign_in, role, path, status):
    sign_in(calendars.world.staff[role])
    assert client.get(path).status_code == status


def test_auditor_cannot_change_an_appointment(client, calendars, sign_in, app):
    sign_in(calendars.world.staff["manager"])
    book_by_form(client, calendars, app)
    appt = only_appointment(app)
    client.post("/auth/logout")
    sign_in(calendars.world.staff["auditor"])
    assert client.get(f"/appointments/{appt.id}").status_code == 200
    assert client.post(f"/appointments/{appt.id}/cancel", data={"reason": "x" * 10}
                       ).status_code == 403


def test_out_of_portfolio_booking_asks_for_a_reason(client, calendars, sign_in):
    sign_in(calendars.world.staff["manager"])
    response = client.get(f"/appointments/new?customer_id={calendars.world.customers[2].id}")
    assert response.status_code == 302 and "/reason" in response.headers["Location"]


def test_move_then_cancel_from_the_appointment_page(client, calendars, sign_in, app):
    sign_in(calendars.world.staff["manager"])
    book_by_form(client, calendars, app)
    appt = only_appointment(app)
    _, _, later = slot_and_day(app, calendars, index=3)
    moved = client.post(f"/appointments/{appt.id}/reschedule",
                        data={"starts_at": later.isoformat(), "reason": "Customer asked"})
    assert moved.status_code == 302
    assert only_appointment(app).starts_at == later
    refused = client.post(f"/appointments/{appt.id}/cancel", data={"reason": ""})
    assert refused.status_code == 422 and "reason" in refused.get_data(as_text=True)
    assert client.post(f"/appointments/{appt.id}/cancel",
                       data={"reason": "Customer asked"}).status_code == 302
    again = client.post(f"/appointments/{appt.id}/reschedule",
                        data={"starts_at": later.isoformat(), "reason": "Try again"})
    assert again.status_code == 409
    assert "cancelled appointment cannot be rescheduled" in again.get_data(as_text=True)


def test_desk_check_in_refuses_unknown_codes(client, calendars, sign_in):
    sign_in(calendars.world.staff["agent"])
    response = client.post("/appointments/desk/check-in", data={"code": "ZZZZZZZZ"})
    assert response.status_code == 404 and "No appointment" in response.get_data(as_text=True)
    response = client.post("/appointments/desk/check-in", data={"code": "?"})
    assert response.status_code == 422
    ticket = client.post("/appointments/desk/walk-in", data={"label": "Coins"},
                         follow_redirects=True)
    assert "W001" in ticket.get_data(as_text=True)


def test_supervisor_sets_up_a_closure_and_bad_values_are_refused(client, calendars, sign_in, app):
    sign_in(calendars.world.staff["supervisor"])
    branch_id = calendars.world.branches["BJ01"]
    ok = client.post("/appointments/setup/closures", data={
        "branch_id": branch_id, "day": "2027-05-01", "reason": "Labour Day"})
    assert ok.status_code == 302
    bad = client.post("/appointments/setup/services", data={
        "branch_id": branch_id, "kind": "counter", "slot_minutes": "0", "capacity": "1",
        "buffer_minutes": "0", "min_notice_minutes": "0", "horizon_days": "5"})
    assert bad.status_code == 422 and "Slot minutes" in bad.get_data(as_text=True)
    hours = client.post("/appointments/setup/hours", data={
        "branch_id": branch_id, "weekday": "6", "opens": ["12:00"], "closes": ["10:00"]})
    assert hours.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Closure.reason).where(
            Closure.day == __import__("datetime").date(2027, 5, 1))) == "Labour Day"


def test_staff_of_another_branch_state_a_reason_before_an_appointment_opens(
        client, calendars, sign_in, app):
    from workstation.models import AuditEvent

    sign_in(calendars.world.staff["manager"])
    book_by_form(client, calendars, app, prep_errand="statement")  # at BJ01, for Wang Fang
    appt = only_appointment(app)
    client.post("/auth/logout")
    sign_in(calendars.world.staff["manager2"])  # SH01, not Wang Fang's manager
    customer_id = calendars.world.customers[0].id
    refused = client.get(f"/appointments/{appt.id}")
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith(f"/customers/{customer_id}/reason")
    ics = client.get(f"/appointments/{appt.id}/calendar.ics")
    assert ics.status_code == 302 and ics.headers["Location"] == refused.headers["Location"]
    with app.app_context():
        outcomes = db.session.scalars(select(AuditEvent.outcome).where(
            AuditEvent.action == "appointment.view", AuditEvent.object_id == appt.reference)
            .order_by(AuditEvent.id)).all()
    assert outcomes == ["reason_required", "reason_required"]  # refusals are on record too
    cancel = client.post(f"/appointments/{appt.id}/cancel", data={"reason": "Not needed"})
    assert cancel.status_code == 302 and cancel.headers["Location"] == refused.headers["Location"]
    assert "State why you open this customer" in client.get(  # the refusal says why
        cancel.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert only_appointment(app).status == "booked"
        change = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "appointment.change"))
        assert (change.outcome, change.object_id) == ("reason_required", appt.reference)
    client.post(f"/customers/{customer_id}/reason", data={
        "reason_code": "colleague_cover", "reason_text": "Covering manager1 this week"})
    page = client.get(f"/appointments/{appt.id}")
    assert page.status_code == 200 and appt.checkin_code in page.get_data(as_text=True)


def test_who_is_booked_shows_to_the_branch_and_is_on_record(client, calendars, sign_in, app):
    from workstation.models import AuditEvent

    sign_in(calendars.world.staff["manager"])
    book_by_form(client, calendars, app)  # Wang Fang at BJ01
    appt = only_appointment(app)
    bj = calendars.world.branches["BJ01"]
    day = appt.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date()
    calendar_url = f"/appointments/?branch_id={bj}&date={day.isoformat()}"
    client.post("/auth/logout")
    sign_in(calendars.world.staff["agent"])  # BJ01: serves the branch's appointments
    assert "Wang Fang" in client.get(calendar_url).get_data(as_text=True)
    client.post("/auth/logout")
    for outsider in ("manager2", "auditor"):  # another branch; a role that serves nobody
        sign_in(calendars.world.staff[outsider])
        page = client.get(calendar_url).get_data(as_text=True)
        assert "Wang Fang" not in page and ">Booked</a>" in page
        client.post("/auth/logout")
    with app.app_context():
        views = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "appointment.day_view")).all()
    assert [(v.actor_username, appt.reference in v.detail) for v in views] == [("agent1", True)]


def test_the_desk_names_checked_in_customers_only_to_the_branch(client, calendars, sign_in,
                                                                 app):
    from datetime import timedelta

    from appointments import checkin
    from appointments.models import QueueTicket
    from tests.appointments.conftest import staff_actor
    from workstation.models import AuditEvent
    from workstation.types import utcnow

    sign_in(calendars.world.staff["manager"])
    book_by_form(client, calendars, app)  # Wang Fang at BJ01
    client.post("/auth/logout")
    appt = only_appointment(app)
    with app.app_context():
        actor, staff = staff_actor(calendars.world.staff["agent"].id)
        ticket = checkin.check_in(actor, staff, appt.branch_id, appt.checkin_code,
                                  now=appt.starts_at - timedelta(minutes=10))
        today = utcnow().astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date()
        db.session.get(QueueTicket, ticket.id).day = today  # in today's line
        db.session.commit()
    desk = f"/appointments/desk?branch_id={calendars.world.branches['BJ01']}"
    sign_in(calendars.world.staff["agent"])
    assert "Wang Fang" in client.get(desk).get_data(as_text=True)
    refresh = client.get(desk, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Wang Fang" in refresh
    client.post("/auth/logout")
    sign_in(calendars.world.staff["manager2"])  # SH01
    other = client.get(desk).get_data(as_text=True)
    assert "Wang Fang" not in other and "appointment</span>" in other
    with app.app_context():
        views = db.session.scalars(select(AuditEvent.actor_username).where(
            AuditEvent.action == "appointment.desk_view")).all()
    assert views == ["agent1"]  # the page, not its refreshes


def test_only_the_branch_s_own_staff_work_its_desk(client, calendars, sign_in, app):
    from appointments.models import QueueTicket

    bj01 = calendars.world.branches["BJ01"]
    sign_in(calendars.world.staff["manager"])  # BJ01
    book_by_form(client, calendars, app)
    appt = only_appointment(app)
    own = client.get(f"/appointments/desk?branch_id={bj01}").get_data(as_text=True)
    assert 'data-testid="checkin-form"' in own and "Give a ticket" in own
    client.post("/auth/logout")
    sign_in(calendars.world.staff["manager2"])  # SH01
    page = client.get(f"/appointments/desk?branch_id={bj01}").get_data(as_text=True)
    assert "Waiting line" in page and 'data-testid="checkin-form"' not in page
    assert "Beijing Xidan's own staff check customers in" in page
    assert "Give a ticket" not in page
    refused = [
        client.post("/appointments/desk/check-in",
                    data={"branch_id": bj01, "code": appt.checkin_code}),
        client.post("/appointments/desk/walk-in", data={"branch_id": bj01, "label": "Coins"}),
        client.post("/appointments/desk/call-next", data={"branch_id": bj01}),
    ]
    for response in refused:
        assert response.status_code == 403
        assert "Only staff of Beijing Xidan work its check-in desk" in \
            response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(QueueTicket.id))) == 0
        assert db.session.get(Appointment, appt.id).status == "booked"
    at_home = client.post("/appointments/desk/walk-in", data={"label": "Coins"},
                          follow_redirects=True)  # their own branch's desk
    assert at_home.status_code == 200 and "Walk-in ticket W001" in at_home.get_data(as_text=True)

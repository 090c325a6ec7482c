"""The customer books, moves and cancels in the mobile web client and through the JSON API."""

from __future__ import annotations

from sqlalchemy import func, select

from appointments.models import Appointment
from tests.appointments.conftest import first_slot, open_day
from tests.channel.builders import api_sign_in, web_sign_in
from workstation.extensions import db


def slot(app, calendars, kind="counter", index=0, after_days=2):
    with app.app_context():
        service = calendars.service(kind)
        return service.id, first_slot(service, open_day(service.branch_id, after_days), index)


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Appointment.id)))


def test_mobile_web_booking_move_and_cancel(client, app, calendars):
    customer = calendars.world.customers[0]
    home = web_sign_in(client, app, customer.phone).get_data(as_text=True)
    assert "Branch appointments" in home
    form = client.get("/m/appointments/new")
    assert form.status_code == 200 and "slot-picker" in form.get_data(as_text=True)
    service_id, start = slot(app, calendars)
    booked = client.post("/m/appointments/new", data={
        "branch_id": calendars.world.branches["BJ01"], "service_id": service_id,
        "starts_at": start.isoformat(), "prep_errand": "statement"})
    assert booked.status_code == 302
    page = client.get(booked.headers["Location"]).get_data(as_text=True)
    assert "Check-in code" in page and "<svg" in page and "Asia/Shanghai" in page
    appt_url = booked.headers["Location"]
    _, later = slot(app, calendars, index=2)
    refused = client.post(f"{appt_url}/reschedule", data={"starts_at": later.isoformat(),
                                                          "reason": ""})
    assert refused.status_code == 422 and "reason" in refused.get_data(as_text=True)
    assert client.post(f"{appt_url}/reschedule", data={
        "starts_at": later.isoformat(), "reason": "Train delayed"}).status_code == 302
    ics = client.get(f"{appt_url}/calendar.ics").data.decode()
    assert "SEQUENCE:1" in ics
    assert client.post(f"{appt_url}/cancel", data={"reason": "Not needed"}).status_code == 302
    again = client.post(f"{appt_url}/reschedule", data={"starts_at": start.isoformat(),
                                                        "reason": "Back on"})
    assert again.status_code == 409


def test_mobile_booking_refused_with_the_rule_named(client, app, calendars):
    web_sign_in(client, app, calendars.world.customers[0].phone)
    service_id, _ = slot(app, calendars, "large_cash")
    with app.app_context():
        start = first_slot(calendars.service("large_cash"), open_day(
            calendars.world.branches["BJ01"], 2))
    response = client.post("/m/appointments/new", data={
        "branch_id": calendars.world.branches["BJ01"], "service_id": service_id,
        "starts_at": start.isoformat(), "cash_amount": "99999999", "cash_currency": "CNY",
        "purpose": "Buying a flat", "source_of_funds": "Savings"})
    assert response.status_code == 409
    assert "daily cash capacity" in response.get_data(as_text=True)
    assert count(app) == 0


def test_another_customer_cannot_see_or_change_the_appointment(client, app, calendars):
    token = api_sign_in(client, app, calendars.world.customers[0].phone)["token"]
    service_id, start = slot(app, calendars)
    created = client.post("/api/v1/appointments", json={
        "service_id": service_id, "starts_at": start.isoformat()},
        headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201
    other = api_sign_in(app.test_client(), app, calendars.world.customers[1].phone)["token"]
    headers = {"Authorization": f"Bearer {other}"}
    appt_id = created.json["id"]
    assert client.get(f"/api/v1/appointments/{appt_id}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/appointments/{appt_id}/cancel", json={"reason": "mine now"},
                       headers=headers).status_code == 404


def test_api_booking_flow(client, app, calendars):
    token = api_sign_in(client, app, calendars.world.customers[0].phone)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    listing = client.get("/api/v1/appointments/branches", headers=headers).json
    bj = next(b for b in listing["branches"] if b["code"] == "BJ01")
    cash_service = next(s for s in bj["services"] if s["kind"] == "large_cash")
    _, start = slot(app, calendars, "large_cash")
    slots = client.get(f"/api/v1/appointments/slots?service_id={cash_service['id']}"
                       f"&date={start.date().isoformat()}", headers=headers).json
    assert slots["slots"]
    refused = client.post("/api/v1/appointments", headers=headers, json={
        "service_id": cash_service["id"], "starts_at": start.isoformat(),
        "cash": {"amount": "80000", "currency": "CNY"}})
    assert refused.status_code == 422 and "purpose" in refused.json["detail"]
    created = client.post("/api/v1/appointments", headers=headers, json={
        "service_id": cash_service["id"], "starts_at": start.isoformat(),
        "cash": {"amount": "80000.00", "currency": "CNY", "purpose": "Wedding",
                 "source_of_funds": "Salary"},
        "prepared": {"denominations": "mixed notes", "account_last4": "1234"}})
    assert created.status_code == 201, created.json
    body = created.json
    assert body["cash"] == {"amount": "80000.00", "currency": "CNY"}
    assert body["checkin_qr_payload"].endswith(body["checkin_code"])
    assert body["prepared_request"]["Denominations wanted"] == "mixed notes"
    assert client.get("/api/v1/appointments", headers=headers).json["appointments"][0]["id"] \
        == body["id"]
    bad = client.post("/api/v1/appointments", headers=headers, json={"service_id": "x"})
    assert bad.status_code == 422
    nobody = client.get("/api/v1/appointments")
    assert nobody.status_code == 401
    cancelled = client.post(f"/api/v1/appointments/{body['id']}/cancel", headers=headers,
                            json={"reason": "Plans changed"})
    assert cancelled.json["status"] == "cancelled"


def test_every_api_route_is_documented(app):
    from appointments.openapi import OPENAPI_PATHS

    routes = {r.rule.replace("<int:appointment_id>", "{appointment_id}")
              for r in app.url_map.iter_rules() if r.endpoint.startswith("appointments_api.")}
    assert routes == set(OPENAPI_PATHS)


def test_odd_values_from_a_client_are_refused_with_the_reason(client, app, calendars):
    token = api_sign_in(client, app, calendars.world.customers[0].phone)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    service_id, start = slot(app, calendars)
    cash_id, cash_start = slot(app, calendars, "large_cash")
    for day in ("9999-12-31", "0001-01-01"):
        far = client.get(f"/api/v1/appointments/slots?service_id={service_id}&date={day}",
                         headers=headers)
        assert far.status_code == 422 and "Choose a date from" in far.json["detail"]
    huge = "9" * 30
    for body, words in (
        ({"service_id": service_id, "starts_at": "9999-12-31T23:59:00+00:00"}, "offered slots"),
        ({"service_id": int(huge), "starts_at": start.isoformat()}, "whole number"),
        ({"service_id": cash_id, "starts_at": cash_start.isoformat(),
          "cash": {"amount": [1], "currency": "CNY"}}, "cash amount"),
        ({"service_id": service_id, "starts_at": start.isoformat(),
          "prepared": {"errand": {"a": 1}}}, "must be text"),
    ):
        refused = client.post("/api/v1/appointments", headers=headers, json=body)
        assert refused.status_code == 422 and words in refused.json["detail"], refused.json
    web_sign_in(client, app, calendars.world.customers[0].phone)
    assert client.get("/m/appointments/new?date=9999-12-31").status_code == 422
    assert count(app) == 0

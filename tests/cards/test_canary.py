"""A recognisable canary PIN and password pushed through the whole reset flow must not show
up anywhere: pages, fragments, JSON, log lines, audit rows, socket frames, database columns."""

from __future__ import annotations

import base64
import json
import logging

from flask import request_finished
from sqlalchemy import select

from tests.cards.builders import card_id_of, phone_of, reset_code
from workstation.core import core_banking
from workstation.extensions import db, socketio
from workstation.models import AuditEvent

CANARY_PIN = "739162"
CANARY_PASSWORD = "Canary-Pw-Zq8!xK"
REFUSED_PASSWORD = "WangCanary-77x"  # holds the customer's name: refused, must not leak
CANARIES = (CANARY_PIN, CANARY_PASSWORD, REFUSED_PASSWORD)


def encodings(value: str) -> list[str]:
    """The clear value and the obvious ways of writing it that are not a hash."""
    raw = value.encode()
    return [value, raw.hex(), base64.b64encode(raw).decode(),
            base64.urlsafe_b64encode(raw).decode().rstrip("=")]


def leaks(where: str, text: str) -> list[str]:
    """Which canaries (in which form) appear in a text."""
    return [f"{form!r} in {where}" for canary in CANARIES for form in encodings(canary)
            if form in text]


def every_database_value() -> list[tuple[str, str]]:
    """(table.column, value) of every non-empty cell of every table."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            found += [(f"{table.name}.{column}", str(value)) for column, value in row.items()
                      if value not in (None, "")]
    return found


def run_reset(app, client, phone, customer, kind, secrets_to_type, card_id=""):
    client.post(f"/customers/{customer.id}/credentials/resets",
                data={"kind": kind, "card_id": card_id, "reason": "Forgot it",
                      "request_key": f"canary-{kind}"})
    phone.answer(phone.latest("code"), data={"code": reset_code(app, customer.phone)})
    phone.confirm_latest()
    for secret in secrets_to_type:
        answered = phone.answer(phone.latest("set_secret"),
                                data={"secret": secret, "repeat": secret})
        assert answered.status_code == 200, answered.get_data(as_text=True)
        client.get(f"/customers/{customer.id}/cards", headers={"HX-Request": "true"})


def test_canary_secrets_appear_nowhere(client, app, world, sign_in, caplog):
    caplog.set_level(logging.DEBUG)
    bodies: dict[str, str] = {}

    def keep(sender, response, **_):
        from flask import request

        bodies[f"{request.method} {request.full_path} #{len(bodies)}"] = \
            response.get_data(as_text=True)

    request_finished.connect(keep, app)
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    staff_tab = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    staff_tab.emit("tasks:watch", {"customer_id": wang.id}, namespace="/staff", callback=True)
    phone = phone_of(app, wang)
    device = socketio.test_client(app, namespace="/customer", auth={"token": phone.token})
    card = card_id_of(app, wang)
    run_reset(app, client, phone, wang, "pin", [CANARY_PIN], card)
    run_reset(app, client, phone, wang, "password", [REFUSED_PASSWORD, CANARY_PASSWORD])
    with app.app_context():
        assert core_banking().verify_pin(card, CANARY_PIN)  # the flow really carried them
    for page in (f"/customers/{wang.id}/cards", f"/customers/{wang.id}",
                 f"/customers/{wang.id}/tasks", "/audit/"):
        client.get(page)
        client.get(page, headers={"HX-Request": "true"})
    for task in phone.tasks():
        phone.client.get(f"/m/tasks/{task['id']}", headers=phone.headers)
    phone.client.get("/m/cards/", headers=phone.headers)
    request_finished.disconnect(keep, app)

    staff_frames = staff_tab.get_received("/staff")
    device_frames = device.get_received("/customer")
    assert any(f["name"] == "cards:changed" for f in staff_frames)
    assert any(f["name"] == "task" for f in device_frames)
    found = []
    for where, body in bodies.items():
        found += leaks(f"response {where}", body)
    found += leaks("log records", "\n".join(r.getMessage() + repr(r.args) + repr(r.__dict__)
                                            for r in caplog.records))
    found += leaks("staff socket frames", json.dumps(staff_frames))
    found += leaks("customer socket frames", json.dumps(device_frames))
    with app.app_context():
        audit_rows = db.session.scalars(select(AuditEvent)).all()
        assert len(audit_rows) > 20
        for event in audit_rows:
            found += leaks(f"audit {event.action}", json.dumps(
                {c.name: str(getattr(event, c.name)) for c in AuditEvent.__table__.columns}))
        for column, value in every_database_value():
            found += leaks(f"column {column}", value)
    assert len(bodies) > 20
    assert found == []

"""Builders for live-session tests: signed-in staff tabs and customer devices."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests import helpers
from workstation.customer_auth.models import SmsOutboxMessage
from workstation.customers.registry import normalise_phone
from workstation.extensions import db, socketio
from workstation.models import Staff

CODE = re.compile(r"\b(\d{6})\b")


def staff_client(app, staff: helpers.StaffRef):
    """A separate browser (cookie jar) signed in as this staff member."""
    client = app.test_client()
    helpers.sign_in(client, staff)
    return client


def staff_socket(app, client):
    """A /staff Socket.IO connection carrying the client's session cookie."""
    tab = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    assert tab.is_connected("/staff")
    return tab


def sms_code(app, phone: str) -> str:
    """The code in the newest text message sent to a phone."""
    with app.app_context():
        body = db.session.scalar(
            select(SmsOutboxMessage.body).where(SmsOutboxMessage.phone == normalise_phone(phone))
            .order_by(SmsOutboxMessage.id.desc()))
    return CODE.search(body).group(1)


def customer_token(app, phone: str) -> str:
    """Sign a native app in by phone and one-time code; the device's bearer token."""
    client = app.test_client()
    started = client.post("/api/v1/customer/auth/code", json={"phone": phone})
    assert started.status_code == 202, started.get_data(as_text=True)
    answer = client.post("/api/v1/customer/auth/verify", json={
        "challenge_id": started.json["challenge_id"], "code": sms_code(app, phone),
        "device_name": "Test phone"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json["token"]


def customer_web(app, phone: str):
    """A mobile web browser signed in by phone and code."""
    client = app.test_client()
    client.post("/m/sign-in", data={"phone": phone})
    client.post("/m/sign-in/code", data={"code": sms_code(app, phone)})
    return client


def customer_socket(app, token: str):
    """A /customer Socket.IO connection of a native app."""
    device = socketio.test_client(app, namespace="/customer", auth={"token": token})
    assert device.is_connected("/customer")
    return device


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def set_staff(app, staff_id: int, *, skills: str | None = None, capacity: int | None = None):
    """Change an agent's skills or capacity, as an administrator would."""
    with app.app_context():
        staff = db.session.get(Staff, staff_id)
        if skills is not None:
            staff.skills = skills
        if capacity is not None:
            staff.capacity = capacity
        db.session.commit()


def frames(tab, namespace: str, name: str | None = None) -> list[dict]:
    """Payloads received on a namespace (optionally of one event), in order."""
    return [r["args"][0] if r["args"] else None for r in tab.get_received(namespace)
            if name is None or r["name"] == name]


def emit(tab, event: str, payload, namespace: str):
    """Emit with an ack and return the ack."""
    return tab.emit(event, payload, namespace=namespace, callback=True)

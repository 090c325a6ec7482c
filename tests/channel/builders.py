"""Builders for the customer channel tests: codes from the SMS outbox, signed-in devices."""

from __future__ import annotations

import re

from sqlalchemy import select

from workstation.customer_auth.models import SmsOutboxMessage
from workstation.customers.registry import normalise_phone
from workstation.extensions import db

CODE = re.compile(r"code is (\d{6})")


def latest_code(app, phone: str) -> str:
    """The code in the newest text message sent to this phone."""
    with app.app_context():
        body = db.session.scalar(
            select(SmsOutboxMessage.body)
            .where(SmsOutboxMessage.phone == normalise_phone(phone))
            .order_by(SmsOutboxMessage.id.desc())
        )
    assert body, f"no text message was sent to {phone}"
    return CODE.search(body).group(1)


def api_sign_in(client, app, phone: str, device_name: str = "Test phone") -> dict:
    """Sign a native app in through the JSON API; returns the /verify answer."""
    started = client.post("/api/v1/customer/auth/code", json={"phone": phone})
    assert started.status_code == 202, started.get_data(as_text=True)
    answer = client.post(
        "/api/v1/customer/auth/verify",
        json={"challenge_id": started.json["challenge_id"], "code": latest_code(app, phone),
              "device_name": device_name},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json


def web_sign_in(client, app, phone: str):
    """Sign the mobile web client in (phone, then the code); returns the home page response."""
    response = client.post("/m/sign-in", data={"phone": phone})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.post("/m/sign-in/code", data={"code": latest_code(app, phone)},
                       follow_redirects=True)


def push(app, customer_id: int, kind: str = "confirm", payload: dict | None = None, **options):
    """Create a task as a staff system actor and commit; returns its wire form."""
    from workstation.audit import Actor
    from workstation.tasks.delivery import task_wire
    from workstation.tasks.service import create_task

    payload = payload or {"summary": "Lock card ending 1234 temporarily",
                          "details": [{"label": "Card", "value": "6222 0000 1111 1234"}]}
    with app.app_context():
        task = create_task(Actor.system("test"), customer_id, kind, payload, **options)
        db.session.commit()
        return task_wire(task)


def events_named(device, name: str, namespace: str = "/customer") -> list:
    """The payloads of one event a Socket.IO test client received."""
    return [r["args"][0] for r in device.get_received(namespace) if r["name"] == name]


def device_token(app, phone: str, name: str = "Test phone") -> str:
    """A signed-in app's bearer token, made in-process (no HTTP rate limits involved)."""
    from workstation.customer_auth import service

    with app.app_context():
        challenge = service.request_code(phone)
        public_id = challenge.public_id
    code = latest_code(app, phone)
    with app.app_context():
        return service.verify_code(public_id, code, kind="app", device_name=name).token

"""Builders for card-service tests: a customer's phone on the JSON API, tasks and codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from tests.channel.builders import api_sign_in
from workstation.customer_auth.models import SmsOutboxMessage
from workstation.customers.registry import normalise_phone
from workstation.extensions import db
from workstation.models import Card

RESET_CODE = re.compile(r"confirm the .+ is (\d{6})")


@dataclass
class Phone:
    """A customer's signed-in native app, answering tasks over the JSON API."""

    app: object
    client: object
    token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def tasks(self) -> list[dict]:
        """The open tasks, oldest first."""
        response = self.client.get("/api/v1/customer/tasks", headers=self.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json["tasks"]

    def latest(self, kind: str | None = None) -> dict:
        """The newest open task (of a kind)."""
        tasks = [t for t in self.tasks() if kind is None or t["kind"] == kind]
        assert tasks, f"no open {kind or ''} task on the phone"
        return tasks[-1]

    def answer(self, task: dict, decision: str = "accept", data: dict | None = None):
        """Answer a task, echoing the hash of what was shown."""
        return self.client.post(f"/api/v1/customer/tasks/{task['id']}/answer",
                                headers=self.headers,
                                json={"payload_hash": task["payload_hash"], "decision": decision,
                                      "data": data or {}})

    def confirm_latest(self, decision: str = "accept") -> dict:
        """Answer the newest confirm task; returns it."""
        task = self.latest("confirm")
        response = self.answer(task, decision)
        assert response.status_code == 200, response.get_data(as_text=True)
        return task


def phone_of(app, customer) -> Phone:
    """Sign the customer's phone in (its own test client, as a separate device)."""
    client = app.test_client()
    token = api_sign_in(client, app, customer.phone)["token"]
    return Phone(app, client, token)


def reset_code(app, phone: str) -> str:
    """The code of the newest reset text message sent to the phone."""
    with app.app_context():
        bodies = db.session.scalars(
            select(SmsOutboxMessage.body)
            .where(SmsOutboxMessage.phone == normalise_phone(phone))
            .order_by(SmsOutboxMessage.id.desc())).all()
    for body in bodies:
        found = RESET_CODE.search(body)
        if found:
            return found.group(1)
    raise AssertionError(f"no reset code was texted to {phone}")


def card_status(app, card_id: int) -> str:
    """The card's status now."""
    with app.app_context():
        return db.session.get(Card, card_id).status


def card_id_of(app, customer) -> int:
    """The id of the customer's first card."""
    with app.app_context():
        return db.session.scalar(select(Card.id).where(Card.customer_id == customer.id)
                                 .order_by(Card.id))


def post_form(client, url: str, **fields):
    """Post a staff form with a fresh one-time key unless one is given."""
    fields.setdefault("request_key", f"k-{id(fields)}-{len(url)}-{sorted(fields)}"[:60])
    fields.setdefault("reason", "Customer asked on the phone")
    return client.post(url, data=fields)

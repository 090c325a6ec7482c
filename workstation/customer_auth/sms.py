"""SMS gateway adapter: the boundary where a bank plugs in its text-message carrier."""

from __future__ import annotations

from typing import Protocol

from flask import current_app
from sqlalchemy import select

from workstation.customer_auth.models import SmsOutboxMessage
from workstation.extensions import db


class SmsGateway(Protocol):
    """Sends one text message; called inside the caller's transaction."""

    def send(self, phone: str, text: str) -> None: ...


class OutboxSmsGateway:
    """The shipped gateway: messages go to a table shown at /demo/sms-outbox (demo mode)."""

    def send(self, phone: str, text: str) -> None:
        """Store the message in the outbox (the caller commits)."""
        db.session.add(SmsOutboxMessage(phone=phone, body=text))


def sms_gateway() -> SmsGateway:
    """The configured gateway: app.config["SMS_GATEWAY"] or the outbox."""
    gateway = current_app.extensions.get("sms_gateway")
    if gateway is None:
        gateway = current_app.config.get("SMS_GATEWAY") or OutboxSmsGateway()
        current_app.extensions["sms_gateway"] = gateway
    return gateway


def recent_messages(phone: str | None = None, limit: int = 50) -> list[SmsOutboxMessage]:
    """The newest outbox messages, optionally for one phone number."""
    query = select(SmsOutboxMessage).order_by(SmsOutboxMessage.id.desc()).limit(limit)
    if phone:
        query = query.where(SmsOutboxMessage.phone == phone)
    return list(db.session.scalars(query))

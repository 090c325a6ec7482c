"""Chat lines of a session: persisted as typed, escaped wherever they are shown."""

from __future__ import annotations

from sqlalchemy import select

from workstation.errors import ValidationFailed
from workstation.extensions import db
from workstation.live import notify
from workstation.live.catalog import CHAT_MAX_CHARS
from workstation.live.models import ChatMessage, LiveSession


def message_json(message: ChatMessage) -> dict:
    """A chat line as both sides receive it (the text is escaped by the receiver)."""
    return {"id": message.id, "sender": message.sender, "name": message.sender_name,
            "body": message.body, "sent_at": message.sent_at.isoformat()}


def clean_body(body: object) -> str:
    """Validate a chat text: a non-empty string of at most 2,000 characters."""
    if not isinstance(body, str) or not body.strip():
        raise ValidationFailed("Type a message first.", code="empty_message")
    if len(body) > CHAT_MAX_CHARS:
        raise ValidationFailed(f"A message can have at most {CHAT_MAX_CHARS} characters.",
                               code="message_too_long")
    return body.strip()


def add_message(session: LiveSession, sender: str, body: str, *, staff_id: int | None = None,
                name: str = "") -> ChatMessage:
    """Add a line in the caller's transaction."""
    message = ChatMessage(session_id=session.id, sender=sender, staff_id=staff_id,
                          sender_name=name, body=body)
    db.session.add(message)
    db.session.flush()
    return message


def broadcast(session_id: int, message: ChatMessage) -> None:
    """Send a committed line to both sides of the session."""
    data = {"session_id": session_id, "message": message_json(message)}
    notify.to_session_staff(session_id, "live:chat", data)
    notify.to_session_customer(session_id, "live:chat", data)


def post_message(session: LiveSession, sender: str, body: object, *,
                 staff_id: int | None = None, name: str = "") -> ChatMessage:
    """Validate, store and deliver a chat line from the customer or a staff member."""
    text = clean_body(body)
    message = add_message(session, sender, text, staff_id=staff_id, name=name)
    db.session.commit()
    broadcast(session.id, message)
    return message


def system_message(session: LiveSession, text: str) -> ChatMessage:
    """A notice in the chat from the workstation itself (caller commits, then broadcasts)."""
    return add_message(session, "system", text, name="")


def history(session_id: int, limit: int = 500) -> list[ChatMessage]:
    """The session's chat, oldest first."""
    rows = db.session.scalars(select(ChatMessage).where(ChatMessage.session_id == session_id)
                              .order_by(ChatMessage.id.desc()).limit(limit)).all()
    return list(reversed(rows))

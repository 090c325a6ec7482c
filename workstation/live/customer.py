"""What the customer answers in a session: consent (kept as audit evidence), the state of
their camera, and the rating after the end."""

from __future__ import annotations

from sqlalchemy import select

from workstation import audit
from workstation.errors import Conflict, ValidationFailed
from workstation.extensions import db
from workstation.live import chat, notify
from workstation.live.catalog import COMMENT_MAX_CHARS, CONSENT_VERSION, CONSENT_WORDING
from workstation.live.models import ConsentRecord, LiveSession, SessionRating
from workstation.live.service import require_active, session_for_customer
from workstation.types import whole_number

MEDIA_STATES = {
    "ready": "",
    "connected": "",
    "no-camera": "No camera or microphone on the customer's phone: the session continues in chat.",
    "failed": "The video connection failed: the session continues in chat.",
    "declined": "Video was declined: the session continues in chat.",
}


def latest_consent(session_id: int, kind: str) -> ConsentRecord | None:
    """The customer's most recent answer to one consent screen in this session."""
    return db.session.scalar(select(ConsentRecord).where(
        ConsentRecord.session_id == session_id, ConsentRecord.kind == kind)
        .order_by(ConsentRecord.id.desc()).limit(1))


def record_consent(actor: audit.Actor, customer_id: int, session_id: object, kind: object,
                   granted: object, device: str = "") -> ConsentRecord:
    """Store the customer's answer with the wording shown, and an audit event pointing to it."""
    session = require_active(session_for_customer(customer_id, session_id))
    if kind not in CONSENT_WORDING:
        raise ValidationFailed("Unknown consent.", code="bad_consent_kind")
    if not isinstance(granted, bool):
        raise ValidationFailed("Answer yes or no.", code="bad_consent_answer")
    record = ConsentRecord(session_id=session.id, customer_id=customer_id, kind=kind,
                           granted=granted, wording=CONSENT_WORDING[kind],
                           wording_version=CONSENT_VERSION, device=(device or "")[:255],
                           ip=actor.ip)
    db.session.add(record)
    db.session.flush()
    event = audit.record(actor, f"live.consent.{kind}", customer_id=customer_id,
                         object_type="live_consent", object_id=record.id,
                         outcome="granted" if granted else "refused",
                         detail={"session_id": session.id, "version": CONSENT_VERSION})
    record.audit_event_id = event.id
    if kind == "media" and not granted:
        session.media_state = "declined"
        message = chat.system_message(session, MEDIA_STATES["declined"])
    else:
        message = None
    db.session.commit()
    data = {"session_id": session.id, "kind": kind, "granted": granted}
    notify.to_session_staff(session.id, "live:consent", data)
    notify.to_session_customer(session.id, "live:consent", data)
    if message is not None:
        chat.broadcast(session.id, message)
    return record


def set_media_state(session: LiveSession, state: object, side: str) -> LiveSession:
    """Record how video is going; a failure leaves a visible notice in the chat."""
    require_active(session)
    if state not in MEDIA_STATES:
        raise ValidationFailed("Unknown media state.", code="bad_media_state")
    notice = MEDIA_STATES[state]
    if side == "customer" and state == "ready":
        session.media_state = "ready"
    elif state == "connected":
        session.media_state = "connected"
    elif notice and session.media_state != "connected":
        session.media_state = state
    message = chat.system_message(session, notice) if notice else None
    db.session.commit()
    data = {"session_id": session.id, "state": state, "side": side}
    notify.to_session_staff(session.id, "live:media", data)
    notify.to_session_customer(session.id, "live:media", data)
    if message is not None:
        chat.broadcast(session.id, message)
    return session


def rate_session(actor: audit.Actor, customer_id: int, session_id: object, score: object,
                 comment: object = "") -> SessionRating:
    """The customer's 1-5 rating of an ended session, once."""
    session = session_for_customer(customer_id, session_id)
    if session.status != "ended":
        raise Conflict("You can rate the session once it has ended.", code="session_active")
    if isinstance(score, str):
        score = whole_number(score.strip(), 5)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValidationFailed("Choose from 1 to 5 stars.", code="bad_score")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise ValidationFailed("A comment is text.", code="bad_comment")
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationFailed(f"A comment can have at most {COMMENT_MAX_CHARS} characters.")
    if db.session.scalar(select(SessionRating.id).where(SessionRating.session_id == session.id)):
        raise Conflict("You have already rated this session.", code="already_rated")
    rating = SessionRating(session_id=session.id, customer_id=customer_id, score=score,
                           comment=comment.strip())
    db.session.add(rating)
    audit.record(actor, "live.session.rate", customer_id=customer_id,
                 object_type="live_session", object_id=session.id, detail={"score": score})
    db.session.commit()
    notify.board_changed()
    return rating


def rating_of(session_id: int) -> SessionRating | None:
    """The customer's rating of a session, if given."""
    return db.session.scalar(select(SessionRating).where(SessionRating.session_id == session_id))

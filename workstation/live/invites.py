"""Invites: an account manager asks one of their customers into a live session by link,
QR code or 6-digit code; each works once and expires."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import segno
from flask import current_app
from sqlalchemy import func, select

from workstation import audit
from workstation.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.live import notify
from workstation.live.catalog import (
    INVITE_FAILURE_LIMIT,
    INVITE_FAILURE_WINDOW,
    INVITE_LIFETIMES,
    TOPICS,
    valid_id,
)
from workstation.live.models import Invite, InviteAttempt, LiveSession, SessionParticipant
from workstation.models import Customer, Role, Staff
from workstation.types import is_digits, utcnow


class InviteRefused(DomainError):
    """The invite is unknown, used, cancelled, expired or meant for someone else."""

    status_code = 404


class TooManyInviteAttempts(DomainError):
    status_code = 429


@dataclass(frozen=True)
class IssuedInvite:
    invite: Invite
    token: str
    code: str


def _digest(kind: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"live-invite:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def create_invite(actor: audit.Actor, manager: Staff, customer_id: int, topic: str,
                  lifetime_key: str, message: str = "") -> IssuedInvite:
    """Issue an invite for one of the manager's own customers."""
    customer = db.session.get(Customer, customer_id) if valid_id(customer_id) else None
    if customer is None:
        raise NotFound("No such customer.")
    if manager.role != Role.MANAGER or customer.manager_id != manager.id:
        raise Forbidden("You can invite only customers of your own portfolio.")
    if topic not in TOPICS:
        raise ValidationFailed("Choose one of the listed topics.")
    if lifetime_key not in INVITE_LIFETIMES:
        raise ValidationFailed("Choose how long the invite stays valid.")
    token = secrets.token_urlsafe(24)
    code = _unused_code()
    invite = Invite(customer_id=customer.id, staff_id=manager.id, topic=topic,
                    message=(message or "").strip()[:255], token_hash=_digest("t", token),
                    code_hash=_digest("c", code),
                    expires_at=utcnow() + INVITE_LIFETIMES[lifetime_key])
    db.session.add(invite)
    db.session.flush()
    audit.record(actor, "live.invite.create", customer_id=customer.id, object_type="live_invite",
                 object_id=invite.id, detail={"topic": topic, "expires_at": invite.expires_at})
    db.session.commit()
    return IssuedInvite(invite, token, code)


def _unused_code() -> str:
    # A code must be unambiguous among the invites still open.
    for _ in range(20):
        code = f"{secrets.randbelow(1_000_000):06d}"
        taken = db.session.scalar(select(Invite.id).where(
            Invite.code_hash == _digest("c", code), Invite.used_at.is_(None),
            Invite.expires_at > utcnow()))
        if taken is None:
            return code
    raise Conflict("Could not issue a code; try again.")


def cancel_invite(actor: audit.Actor, manager: Staff, invite_id: int) -> Invite:
    """Withdraw an invite that has not been used."""
    invite = db.session.get(Invite, invite_id) if valid_id(invite_id) else None
    if invite is None or invite.staff_id != manager.id:
        raise NotFound("No such invite.")
    if invite.used_at or invite.cancelled_at:
        raise Conflict("This invite was already used or cancelled.")
    invite.cancelled_at = utcnow()
    audit.record(actor, "live.invite.cancel", customer_id=invite.customer_id,
                 object_type="live_invite", object_id=invite.id)
    db.session.commit()
    return invite


def invite_qr_svg(url: str) -> str:
    """The invite link as an SVG QR code (data URI for an <img>)."""
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def _recent_failures(customer_id: int) -> int:
    return db.session.scalar(select(func.count(InviteAttempt.id)).where(
        InviteAttempt.customer_id == customer_id,
        InviteAttempt.attempted_at > utcnow() - INVITE_FAILURE_WINDOW)) or 0


def _refuse(customer: Customer, reason: str, message: str) -> InviteRefused:
    db.session.rollback()
    db.session.add(InviteAttempt(customer_id=customer.id, reason=reason))
    db.session.commit()
    return InviteRefused(message, code=f"invite_{reason}")


def redeem_invite(actor: audit.Actor, customer: Customer, *, token: str = "",
                  code: str = "") -> LiveSession:
    """Open the session an invite promises; failures count towards a limit."""
    if _recent_failures(customer.id) >= INVITE_FAILURE_LIMIT:
        raise TooManyInviteAttempts(
            "Too many wrong invite codes. Wait 15 minutes or ask your adviser for a new invite.",
            code="too_many_attempts")
    code = (code or "").strip().replace(" ", "")
    if token:
        invite = db.session.scalar(select(Invite).where(Invite.token_hash == _digest("t", token)))
    elif len(code) == 6 and is_digits(code):
        invite = db.session.scalar(select(Invite).where(
            Invite.code_hash == _digest("c", code)).order_by(Invite.id.desc()))
    else:
        invite = None
    if invite is None or invite.customer_id != customer.id:
        raise _refuse(customer, "unknown", "This invite code is not valid.")
    if invite.used_at or invite.cancelled_at:
        raise _refuse(customer, "used", "This invite was already used or withdrawn.")
    if invite.expires_at <= utcnow():
        raise _refuse(customer, "expired",
                      "This invite has expired. Ask your adviser for a new one.")
    return _open_invited_session(actor, invite)


def _open_invited_session(actor: audit.Actor, invite: Invite) -> LiveSession:
    if db.session.scalar(select(LiveSession.id).where(
            LiveSession.customer_id == invite.customer_id, LiveSession.status == "active")):
        raise Conflict("You are already in a live session.", code="already_in_session")
    now = utcnow()
    session = LiveSession(customer_id=invite.customer_id, agent_id=invite.staff_id,
                          topic=invite.topic, origin="invite", created_at=now, started_at=now,
                          form_values={})
    db.session.add(session)
    db.session.flush()
    db.session.add(SessionParticipant(session_id=session.id, staff_id=invite.staff_id,
                                      role="agent"))
    invite.used_at, invite.session_id = now, session.id
    audit.record(actor, "live.invite.redeem", customer_id=invite.customer_id,
                 object_type="live_session", object_id=session.id,
                 detail={"invite_id": invite.id})
    db.session.commit()
    notify.to_staff(invite.staff_id, "live:invite:accepted", {
        "session_id": session.id, "customer_name": invite.customer.full_name})
    notify.board_changed()
    return session


def invite_for_link(customer: Customer, token: str) -> Invite | None:
    """The open invite behind a link, if it is this customer's: what the page before joining
    tells them (nothing is counted or changed)."""
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == _digest("t", token)))
    if invite is None or invite.customer_id != customer.id or invite.used_at \
            or invite.cancelled_at or invite.expires_at <= utcnow():
        return None
    return invite


def invite_of_session(session_id: int) -> Invite | None:
    """The invite a session was opened by, if any."""
    return db.session.scalar(select(Invite).where(Invite.session_id == session_id))


def open_invites(manager_id: int) -> list[Invite]:
    """The manager's invites that can still be used, newest first."""
    return list(db.session.scalars(select(Invite).where(
        Invite.staff_id == manager_id, Invite.used_at.is_(None), Invite.cancelled_at.is_(None),
        Invite.expires_at > utcnow()).order_by(Invite.id.desc())))

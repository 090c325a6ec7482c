"""Session access and lifecycle: who may see a session, notes, silent monitoring, transfer
and the end with an outcome (which lands in the customer's service history)."""

from __future__ import annotations

from sqlalchemy import select

from workstation import audit
from workstation.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.live import chat, notify
from workstation.live.catalog import (
    NOTE_MAX_CHARS,
    OUTCOMES,
    TOPICS,
    TRANSFER_NOTE_MIN,
    valid_id,
)
from workstation.live.models import LiveSession, SessionNote, SessionParticipant, SessionTransfer
from workstation.live.queue import active_session_count
from workstation.models import Role, ServiceRecord, Staff
from workstation.types import utcnow

SUPERVISOR_NOTICE = "A supervisor has joined the session to help and to check service quality."
TRANSFER_TARGET_ROLES = {Role.AGENT.value, Role.SUPERVISOR.value, Role.MANAGER.value}


def has_active_session(staff_id: int, customer_id: int) -> bool:
    """Whether this staff member serves this customer in an active session right now."""
    return db.session.scalar(select(LiveSession.id).where(
        LiveSession.agent_id == staff_id, LiveSession.customer_id == customer_id,
        LiveSession.status == "active").limit(1)) is not None


def _participant(session: LiveSession, staff_id: int) -> SessionParticipant | None:
    return next((p for p in session.participants
                 if p.staff_id == staff_id and p.left_at is None), None)


def _get(session_id: object) -> LiveSession:
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        raise ValidationFailed("A session id is a number.", code="bad_session_id")
    session = db.session.get(LiveSession, session_id) if valid_id(session_id) else None
    if session is None:
        raise NotFound("No such session.", code="no_such_session")
    return session


def session_for_staff(staff: Staff, session_id: object) -> LiveSession:
    """The session if this staff member serves it or sits in it (else NotFound/Forbidden)."""
    session = _get(session_id)
    if session.agent_id != staff.id and _participant(session, staff.id) is None:
        raise Forbidden("You are not part of this session.", code="not_a_participant")
    return session


def session_for_agent(staff: Staff, session_id: object) -> LiveSession:
    """The session if this staff member is its serving agent."""
    session = session_for_staff(staff, session_id)
    if session.agent_id != staff.id:
        raise Forbidden("Only the serving agent can do this.", code="not_the_agent")
    return session


def session_for_customer(customer_id: int, session_id: object) -> LiveSession:
    """The session if it belongs to this customer."""
    session = _get(session_id)
    if session.customer_id != customer_id:
        raise Forbidden("This is not your session.", code="not_your_session")
    return session


def require_active(session: LiveSession) -> LiveSession:
    """Refuse actions on a session that has ended."""
    if session.status != "active":
        raise Conflict("This session has ended.", code="session_ended")
    return session


def active_session_of(customer_id: int) -> LiveSession | None:
    """The customer's session in progress, if any."""
    return db.session.scalar(select(LiveSession).where(
        LiveSession.customer_id == customer_id, LiveSession.status == "active"))


def session_to_rate(customer_id: int) -> LiveSession | None:
    """The customer's last session if it has ended and they have not rated it (offered, never
    required: asking for help again does not wait for it)."""
    from workstation.live.models import SessionRating

    last = db.session.scalar(select(LiveSession).where(
        LiveSession.customer_id == customer_id).order_by(LiveSession.id.desc()).limit(1))
    if last is None or last.status == "active" or db.session.scalar(
            select(SessionRating.id).where(SessionRating.session_id == last.id)):
        return None
    return last


def current_session_of(customer_id: int) -> LiveSession | None:
    """The customer's active session, or the last ended one still waiting for a rating."""
    return active_session_of(customer_id) or session_to_rate(customer_id)


def open_room(actor: audit.Actor, staff: Staff, session_id: int) -> LiveSession:
    """Open the session room: the customer summary shown there is an audited access."""
    session = session_for_staff(staff, session_id)
    audit.record(actor, "live.session.open", customer_id=session.customer_id,
                 object_type="live_session", object_id=session.id)
    db.session.commit()
    return session


def staff_sessions(staff_id: int) -> list[LiveSession]:
    """Sessions this staff member is serving or monitoring now."""
    present = select(SessionParticipant.session_id).where(
        SessionParticipant.staff_id == staff_id, SessionParticipant.left_at.is_(None))
    return list(db.session.scalars(select(LiveSession).where(
        LiveSession.status == "active", LiveSession.id.in_(present)).order_by(LiveSession.id)))


def add_note(actor: audit.Actor, staff: Staff, session_id: int, body: str) -> SessionNote:
    """Write a staff-only note on the session."""
    session = session_for_staff(staff, session_id)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("Write the note first.")
    if len(body) > NOTE_MAX_CHARS:
        raise ValidationFailed(f"A note can have at most {NOTE_MAX_CHARS} characters.")
    note = SessionNote(session_id=session.id, staff_id=staff.id, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "live.session.note", customer_id=session.customer_id,
                 object_type="live_session", object_id=session.id)
    db.session.commit()
    notify.to_session_staff(session.id, "live:notes", {"session_id": session.id})
    return note


def notes_of(session_id: int) -> list[SessionNote]:
    """The session's notes, oldest first."""
    return list(db.session.scalars(select(SessionNote).where(
        SessionNote.session_id == session_id).order_by(SessionNote.id)))


def monitor(actor: audit.Actor, supervisor: Staff, session_id: int) -> LiveSession:
    """A supervisor joins silently; the customer is told a supervisor is present."""
    if supervisor.role != Role.SUPERVISOR:
        raise Forbidden("Only supervisors can join a session silently.")
    session = require_active(_get(session_id))
    if _participant(session, supervisor.id) is None:
        db.session.add(SessionParticipant(session_id=session.id, staff_id=supervisor.id,
                                          role="supervisor", silent=True))
        message = chat.system_message(session, SUPERVISOR_NOTICE)
        audit.record(actor, "live.session.monitor", customer_id=session.customer_id,
                     object_type="live_session", object_id=session.id)
        db.session.commit()
        chat.broadcast(session.id, message)
        _participants_changed(session)
    return session


def participants_json(session: LiveSession) -> list[dict]:
    """Who is in the session, as the customer may see it (names and roles)."""
    return [{"name": p.staff.full_name, "role": p.role, "silent": p.silent}
            for p in session.participants if p.left_at is None]


def _participants_changed(session: LiveSession) -> None:
    db.session.refresh(session)
    data = {"session_id": session.id, "participants": participants_json(session)}
    notify.to_session_staff(session.id, "live:participants", data)
    notify.to_session_customer(session.id, "live:participants", data)
    notify.board_changed()


def transfer(actor: audit.Actor, staff: Staff, session_id: int, to_staff_id: object,
             note: str) -> SessionTransfer:
    """Hand the session to another agent or a supervisor, with a note for them."""
    session = require_active(session_for_agent(staff, session_id))
    target = db.session.get(Staff, to_staff_id) if valid_id(to_staff_id) else None
    if target is None or not target.active or target.role not in TRANSFER_TARGET_ROLES:
        raise ValidationFailed("Choose an active agent or supervisor to transfer to.")
    if target.id == staff.id:
        raise ValidationFailed("You are already serving this session.")
    note = (note or "").strip()
    if len(note) < TRANSFER_NOTE_MIN or len(note) > NOTE_MAX_CHARS:
        raise ValidationFailed("Write a short note for your colleague (5 to 4,000 characters).")
    if target.role == Role.AGENT and active_session_count(target.id) >= target.capacity:
        raise Conflict(f"{target.full_name} has no free capacity right now.")
    _hand_over(session, staff, target)
    move = SessionTransfer(session_id=session.id, from_staff_id=staff.id, to_staff_id=target.id,
                           note=note)
    db.session.add(move)
    message = chat.system_message(session, f"You are now talking to {target.full_name}.")
    audit.record(actor, "live.session.transfer", customer_id=session.customer_id,
                 object_type="live_session", object_id=session.id,
                 detail={"to_staff_id": target.id})
    db.session.commit()
    chat.broadcast(session.id, message)
    notify.to_staff(target.id, "live:transfer", {
        "session_id": session.id, "from_name": staff.full_name, "note": note})
    notify.to_session_staff(session.id, "live:transferred", {
        "session_id": session.id, "to_staff_id": target.id, "to_name": target.full_name})
    notify.close_staff_rooms(session.id)  # the previous agent's page hears nothing more
    _participants_changed(session)
    return move


def _hand_over(session: LiveSession, old: Staff, new: Staff) -> None:
    now = utcnow()
    current = _participant(session, old.id)
    if current is not None:
        current.left_at = now
    existing = _participant(session, new.id)
    if existing is not None:
        existing.role, existing.silent = "agent", False
    else:
        db.session.add(SessionParticipant(session_id=session.id, staff_id=new.id, role="agent"))
    session.agent_id = new.id


def end_session(actor: audit.Actor, staff: Staff, session_id: int, outcome: str,
                note: str = "") -> LiveSession:
    """End the session (or complete one the customer left) with an outcome code."""
    session = session_for_agent(staff, session_id)
    if outcome not in OUTCOMES:
        raise ValidationFailed("Choose an outcome.")
    if session.status != "active" and session.outcome_code:
        raise Conflict("This session has already been ended.", code="session_ended")
    was_active = session.status == "active"
    _close(session, "staff" if was_active else session.ended_by)
    session.outcome_code, session.outcome_note = outcome, (note or "").strip()[:NOTE_MAX_CHARS]
    _write_service_record(session, outcome)
    audit.record(actor, "live.session.end", customer_id=session.customer_id,
                 object_type="live_session", object_id=session.id, detail={"outcome": outcome})
    db.session.commit()
    if was_active:
        _announce_end(session)
    return session


def customer_end(actor: audit.Actor, customer_id: int, session_id: object) -> LiveSession:
    """The customer hangs up; the agent still records the outcome afterwards."""
    session = require_active(session_for_customer(customer_id, session_id))
    _close(session, "customer")
    _write_service_record(session, "customer_left")
    audit.record(actor, "live.session.end", customer_id=customer_id,
                 object_type="live_session", object_id=session.id, detail={"by": "customer"})
    db.session.commit()
    _announce_end(session)
    return session


def _close(session: LiveSession, by: str) -> None:
    if session.status == "active":
        session.status, session.ended_at, session.ended_by = "ended", utcnow(), by
        for participant in session.participants:
            participant.left_at = participant.left_at or session.ended_at


def _write_service_record(session: LiveSession, outcome: str) -> None:
    record = (db.session.get(ServiceRecord, session.service_record_id)
              if session.service_record_id else None)
    if record is None:
        record = ServiceRecord(customer_id=session.customer_id, started_at=session.started_at)
        db.session.add(record)
    record.staff_id = session.agent_id
    record.channel = "video" if session.media_state == "connected" else "live chat"
    record.topic = TOPICS.get(session.topic, session.topic)
    record.outcome = outcome
    record.summary = session.outcome_note
    record.ended_at = session.ended_at
    db.session.flush()
    session.service_record_id = record.id


def _announce_end(session: LiveSession) -> None:
    data = {"session_id": session.id, "ended_by": session.ended_by}
    notify.to_session_staff(session.id, "live:ended", data)
    notify.to_session_customer(session.id, "live:ended", data)
    notify.board_changed()

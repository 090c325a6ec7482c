"""Socket.IO handlers of live sessions on `/staff` and `/customer`.

Every handler answers with an ack: `{"ok": true, ...}` or
`{"ok": false, "error": {"code": ..., "message": ...}}`; bad input never raises out of here.
"""

from __future__ import annotations

import logging
from functools import wraps

from flask import request
from flask_login import current_user
from flask_socketio import join_room

from workstation.customer_auth.service import customer_actor
from workstation.errors import DomainError, Forbidden, ValidationFailed
from workstation.extensions import db, socketio
from workstation.live import chat, cobrowse, customer, notify, queue, service, signaling
from workstation.live.state import session_json
from workstation.models import Customer, Role
from workstation.realtime.events import customer_connection, customer_still_signed_in

STAFF_NS = notify.STAFF_NS
CUSTOMER_NS = notify.CUSTOMER_NS
log = logging.getLogger(__name__)
HANDLERS: list[tuple[str, str, object]] = []


def register_events() -> None:
    """Bind the handlers to the Socket.IO server of the app being created (one per app)."""
    for event, namespace, handler in HANDLERS:
        socketio.on(event, namespace=namespace)(handler)


def _error(code: str, message: str) -> dict:
    return {"ok": False, "error": {"code": code, "message": message}}


def live_event(event: str, namespace: str):
    """Register a handler that takes one JSON object and always acks."""

    def decorator(handler):
        @wraps(handler)
        def wrapped(payload=None, *_extra):
            try:
                if payload is None:
                    payload = {}
                if not isinstance(payload, dict):
                    raise ValidationFailed("Send one JSON object.", code="bad_payload")
                return {"ok": True, **(handler(payload) or {})}
            except DomainError as error:
                db.session.rollback()
                return _error(error.code, error.message)
            except Exception:
                db.session.rollback()
                log.exception("live event %s failed", event)
                return _error("internal", "Something went wrong; please try again.")

        HANDLERS.append((event, namespace, wrapped))
        return wrapped

    return decorator


def _staff():
    if not current_user.is_authenticated:
        raise Forbidden("Sign in again.", code="unauthorized")
    return current_user._get_current_object()


def _customer_id() -> int:
    connection = customer_connection()
    if connection is None or not customer_still_signed_in(connection):
        raise Forbidden("Sign in again.", code="unauthorized")
    return connection.customer_id


def _customer_actor(customer_id: int):
    return customer_actor(db.session.get(Customer, customer_id), ip=request.remote_addr or "")


# ----- staff ---------------------------------------------------------------------------------

@live_event("live:queue:watch", STAFF_NS)
def staff_watch_queue(payload: dict):
    """Agents and supervisors follow the queue live."""
    if _staff().role not in queue.QUEUE_ROLES:
        raise Forbidden("Only agents and supervisors follow the queue.")
    join_room("live:queue", namespace=STAFF_NS)
    return {"waiting": len(queue.waiting_entries())}


@live_event("live:board:watch", STAFF_NS)
def staff_watch_board(payload: dict):
    """Supervisors follow the live board."""
    if _staff().role != Role.SUPERVISOR:
        raise Forbidden("Only supervisors see the live board.")
    join_room("live:board", namespace=STAFF_NS)
    return {}


@live_event("live:join", STAFF_NS)
def staff_join(payload: dict):
    """Enter a session's rooms and receive its current state."""
    staff = _staff()
    session = service.session_for_staff(staff, payload.get("session_id"))
    join_room(notify.staff_room(session.id), namespace=STAFF_NS)
    if session.agent_id == staff.id:
        join_room(notify.agent_room(session.id), namespace=STAFF_NS)
    return {"session": session_json(session), "is_agent": session.agent_id == staff.id}


@live_event("live:chat", STAFF_NS)
def staff_chat(payload: dict):
    """A chat line from staff (a silent supervisor may write too: the customer knows)."""
    staff = _staff()
    session = service.require_active(service.session_for_staff(staff, payload.get("session_id")))
    message = chat.post_message(session, "staff", payload.get("body"), staff_id=staff.id,
                                name=staff.full_name)
    return {"message": chat.message_json(message)}


@live_event("live:form:open", STAFF_NS)
def staff_open_form(payload: dict):
    """The serving agent shares a form with the customer."""
    staff = _staff()
    session = service.session_for_agent(staff, payload.get("session_id"))
    return {"form": cobrowse.open_form(session, payload.get("form"), staff.full_name)}


@live_event("live:form", STAFF_NS)
def staff_form_change(payload: dict):
    """The serving agent types into a (non-private) field of the shared form."""
    session = service.session_for_agent(_staff(), payload.get("session_id"))
    cobrowse.change_field(session, "staff", payload)
    return {}


@live_event("live:signal", STAFF_NS)
def staff_signal(payload: dict):
    """WebRTC offer/answer/candidate from the serving agent to the customer."""
    session = service.session_for_agent(_staff(), payload.get("session_id"))
    signaling.relay(session, "staff", payload)
    return {}


# ----- customer ------------------------------------------------------------------------------

@live_event("live:queue:status", CUSTOMER_NS)
def customer_queue_status(payload: dict):
    """The customer's place in the queue (also a check-in), or the session opened for them."""
    customer_id = _customer_id()
    current = service.active_session_of(customer_id)
    if current is not None:
        return {"session_id": current.id, "status": current.status}
    entry = queue.check_in(customer_id)
    return {"queue": queue.queue_place(entry).as_json() if entry else None}


@live_event("live:join", CUSTOMER_NS)
def customer_join(payload: dict):
    """The customer's device enters its session (also after a reload or reconnect)."""
    session = service.session_for_customer(_customer_id(), payload.get("session_id"))
    join_room(notify.customer_room(session.id), namespace=CUSTOMER_NS)
    return {"session": session_json(session)}


@live_event("live:chat", CUSTOMER_NS)
def customer_chat(payload: dict):
    """A chat line from the customer."""
    customer_id = _customer_id()
    session = service.require_active(
        service.session_for_customer(customer_id, payload.get("session_id")))
    message = chat.post_message(session, "customer", payload.get("body"),
                                name=session.customer.full_name)
    return {"message": chat.message_json(message)}


@live_event("live:consent", CUSTOMER_NS)
def customer_consent(payload: dict):
    """The customer's answer on a consent screen (media or cobrowse)."""
    customer_id = _customer_id()
    record = customer.record_consent(
        _customer_actor(customer_id), customer_id, payload.get("session_id"),
        payload.get("kind"), payload.get("granted"), request.headers.get("User-Agent", ""))
    return {"consent_id": record.id}


@live_event("live:form", CUSTOMER_NS)
def customer_form_change(payload: dict):
    """The customer types into the shared form (a private field sends only its length)."""
    session = service.session_for_customer(_customer_id(), payload.get("session_id"))
    cobrowse.change_field(session, "customer", payload)
    return {}


@live_event("live:form:send", CUSTOMER_NS)
def customer_form_send(payload: dict):
    """The customer sends the shared form, with its private fields (checked, never kept)."""
    customer_id = _customer_id()
    session = service.session_for_customer(customer_id, payload.get("session_id"))
    return cobrowse.send_form(_customer_actor(customer_id), session, payload.get("private"))


@live_event("live:signal", CUSTOMER_NS)
def customer_signal(payload: dict):
    """WebRTC answer/candidate from the customer to the serving agent."""
    session = service.session_for_customer(_customer_id(), payload.get("session_id"))
    signaling.relay(session, "customer", payload)
    return {}


@live_event("live:media", CUSTOMER_NS)
def customer_media(payload: dict):
    """The customer's camera is ready, connected, failed or missing."""
    session = service.session_for_customer(_customer_id(), payload.get("session_id"))
    customer.set_media_state(session, payload.get("state"), "customer")
    return {}


@live_event("live:end", CUSTOMER_NS)
def customer_end(payload: dict):
    """The customer ends the session."""
    customer_id = _customer_id()
    service.customer_end(_customer_actor(customer_id), customer_id, payload.get("session_id"))
    return {}

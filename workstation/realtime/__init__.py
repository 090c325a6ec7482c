"""Realtime channel: Socket.IO namespaces for customers and staff, and emit helpers.

The helpers work in the web process, in another worker (through the Redis message
queue when REDIS_URL is set) and in a separate process such as a CLI command or a
scheduled job: `use_message_queue(url)` makes a process without a server emit through
the queue (create_app already does this when REDIS_URL is set).
"""

from __future__ import annotations

import logging

from flask_socketio import SocketIO

from workstation.extensions import socketio

CUSTOMER_NAMESPACE = "/customer"
STAFF_NAMESPACE = "/staff"
log = logging.getLogger(__name__)
_external: SocketIO | None = None


def customer_room(customer_id: int) -> str:
    """The room every connected device of one customer is in."""
    return f"customer:{customer_id}"


def staff_room(staff_id: int) -> str:
    """The room every open workstation tab of one staff member is in."""
    return f"staff:{staff_id}"


def use_message_queue(url: str) -> None:
    """Emit through this message queue from a process that serves no sockets."""
    global _external
    _external = SocketIO(message_queue=url)


def _emitter() -> SocketIO | None:
    if socketio.server is not None:
        return socketio
    return _external


def emit_to_room(room: str, event: str, data, namespace: str) -> bool:
    """Emit an event to a room of a namespace; False when no Socket.IO server is set up."""
    emitter = _emitter()
    if emitter is None:
        log.warning("no Socket.IO server or message queue: %s to %s not sent", event, room)
        return False
    try:
        emitter.emit(event, data, to=room, namespace=namespace)
    except Exception:  # a broken queue must not undo the caller's committed work
        log.exception("emit of %s to %s failed", event, room)
        return False
    return True


def emit_to_customer(customer_id: int, event: str, data) -> bool:
    """Emit to every connected device of a customer (namespace /customer)."""
    return emit_to_room(customer_room(customer_id), event, data, CUSTOMER_NAMESPACE)


def emit_to_staff(staff_id: int, event: str, data) -> bool:
    """Emit to every open workstation tab of a staff member (namespace /staff)."""
    return emit_to_room(staff_room(staff_id), event, data, STAFF_NAMESPACE)


__all__ = [
    "CUSTOMER_NAMESPACE",
    "STAFF_NAMESPACE",
    "customer_room",
    "emit_to_customer",
    "emit_to_room",
    "emit_to_staff",
    "staff_room",
    "use_message_queue",
]

"""Socket.IO messages of live sessions, sent after the service has committed.

Rooms: on `/staff`, `live:queue` (agents watching the queue), `live:board` (supervisors),
`live:<id>:staff` (every staff member in a session) and `live:<id>:agent` (the serving
agent, for video signaling); on `/customer`, `live:<id>:customer` and `customer:<id>`.
"""

from __future__ import annotations

from flask import current_app

STAFF_NS = "/staff"
CUSTOMER_NS = "/customer"


def _emit(room: str, event: str, data: dict, namespace: str) -> None:
    from workstation.realtime import emit_to_room

    try:
        emit_to_room(room, event, data, namespace)
    except Exception:  # a lost notification must not undo a committed change
        current_app.logger.exception("live: emit %s to %s failed", event, room)


def staff_room(session_id: int) -> str:
    return f"live:{session_id}:staff"


def agent_room(session_id: int) -> str:
    return f"live:{session_id}:agent"


def customer_room(session_id: int) -> str:
    return f"live:{session_id}:customer"


def to_session_staff(session_id: int, event: str, data: dict) -> None:
    """Every staff member in the session (serving agent and supervisors)."""
    _emit(staff_room(session_id), event, data, STAFF_NS)


def to_session_agent(session_id: int, event: str, data: dict) -> None:
    """The serving agent's pages for this session."""
    _emit(agent_room(session_id), event, data, STAFF_NS)


def to_session_customer(session_id: int, event: str, data: dict) -> None:
    """The customer's devices in this session."""
    _emit(customer_room(session_id), event, data, CUSTOMER_NS)


def to_customer(customer_id: int, event: str, data: dict) -> None:
    """Every connected device of the customer."""
    _emit(f"customer:{customer_id}", event, data, CUSTOMER_NS)


def to_staff(staff_id: int, event: str, data: dict) -> None:
    """Every page of one staff member."""
    _emit(f"staff:{staff_id}", event, data, STAFF_NS)


def close_staff_rooms(session_id: int) -> None:
    """Empty the session's staff rooms (after a transfer); pages still entitled join again."""
    from workstation.extensions import socketio

    for room in (staff_room(session_id), agent_room(session_id)):
        try:
            socketio.close_room(room, namespace=STAFF_NS)
        except Exception:  # a lost clean-up must not undo a committed change
            current_app.logger.exception("live: closing %s failed", room)


def board_changed() -> None:
    """Tell supervisors' boards to refresh."""
    _emit("live:board", "live:board", {}, STAFF_NS)


def queue_changed() -> None:
    """Refresh agents' queue lists and tell each waiting customer their new place."""
    from workstation.live import queue

    entries = queue.waiting_entries()
    _emit("live:queue", "live:queue", {"waiting": len(entries)}, STAFF_NS)
    board_changed()
    for entry, place in queue.all_places(entries):
        to_customer(entry.customer_id, "live:queue:position", place.as_json())


def session_assigned(session) -> None:
    """Tell the customer an agent has taken them, and refresh boards."""
    to_customer(session.customer_id, "live:session:assigned", {
        "session_id": session.id,
        "agent_name": session.agent.full_name,
        "topic": session.topic,
    })
    board_changed()

"""Socket.IO connection handlers: who is on the /customer and /staff namespaces."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from workstation.customer_auth import service as customer_auth
from workstation.customer_auth.decorators import SESSION_DEVICE_KEY
from workstation.extensions import socketio
from workstation.realtime import CUSTOMER_NAMESPACE, STAFF_NAMESPACE, customer_room, staff_room
from workstation.security import session_expiry_reason


@dataclass(frozen=True)
class CustomerConnection:
    customer_id: int
    device_id: int


# Who is behind each /customer socket of this process (sid -> connection).
_connections: dict[str, CustomerConnection] = {}


def device_room(device_id: int) -> str:
    """The room of one signed-in device (all its open sockets)."""
    return f"device:{device_id}"


def _device_from_auth(auth):
    if isinstance(auth, dict) and auth.get("token") is not None:
        token = auth.get("token")
        return customer_auth.device_for_token(token if isinstance(token, str) else None)
    return customer_auth.active_device(session.get(SESSION_DEVICE_KEY))


def customer_connect(auth=None):
    """A device connects with {"token": ...} (apps) or the mobile web session cookie."""
    device = _device_from_auth(auth)
    if device is None:
        raise ConnectionRefusedError({"reason": "unauthorized",
                                      "message": "Sign in again: the device token is not valid."})
    _connections[request.sid] = CustomerConnection(device.customer_id, device.id)
    join_room(customer_room(device.customer_id))
    join_room(device_room(device.id))
    return True


def customer_connection(sid: str | None = None) -> CustomerConnection | None:
    """Who is behind a /customer socket (the current one by default)."""
    return _connections.get(sid or request.sid)


def customer_disconnect(reason=None):
    """Forget who was behind a closed /customer socket."""
    _connections.pop(request.sid, None)


def customer_still_signed_in(connection: CustomerConnection) -> bool:
    """Whether the socket's device has not been signed out since it connected."""
    device = customer_auth.active_device(connection.device_id)
    return device is not None


def staff_connect(auth=None):
    """A workstation tab connects with the staff member's Flask-Login session."""
    if not current_user.is_authenticated:
        raise ConnectionRefusedError({"reason": "unauthorized", "message": "Sign in first."})
    expired = session_expiry_reason(current_app)
    if expired:
        raise ConnectionRefusedError({"reason": "session_expired", "message": expired})
    join_room(staff_room(current_user.id))
    return True


def register_socket_handlers() -> None:
    """Attach the connection handlers to the server of the app being created.

    Called from create_app for each app: the Socket.IO server object is new for every
    app, so handlers registered once at import time would reach only the first one.
    """
    socketio.on("connect", namespace=CUSTOMER_NAMESPACE)(customer_connect)
    socketio.on("disconnect", namespace=CUSTOMER_NAMESPACE)(customer_disconnect)
    socketio.on("connect", namespace=STAFF_NAMESPACE)(staff_connect)

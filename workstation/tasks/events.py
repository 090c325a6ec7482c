"""Socket.IO events of the task channel (thin: check the sender, call the service, ack)."""

from __future__ import annotations

import logging
from functools import wraps

from flask import current_app
from flask_login import current_user
from flask_socketio import join_room, leave_room

from workstation.customers.access import access_basis
from workstation.errors import DomainError
from workstation.extensions import db, socketio
from workstation.jobs import start_jobs
from workstation.models import Customer
from workstation.realtime import CUSTOMER_NAMESPACE, STAFF_NAMESPACE
from workstation.realtime.events import customer_connection, customer_still_signed_in
from workstation.tasks import service
from workstation.tasks.delivery import customer_tasks_room, task_wire
from workstation.types import DB_INT_MAX

log = logging.getLogger(__name__)


def error_ack(code: str, message: str) -> dict:
    """The shape of every refused event."""
    return {"ok": False, "error": code, "message": message}


def customer_event(handler):
    """Run a /customer event for a still signed-in device; every failure becomes an error ack."""

    @wraps(handler)
    def wrapped(data=None, *_extra):
        connection = customer_connection()
        if connection is None or not customer_still_signed_in(connection):
            return error_ack("unauthorized", "Sign in again.")
        if not isinstance(data, dict):
            return error_ack("invalid", "Send a JSON object.")
        try:
            return handler(connection, data)
        except DomainError as error:
            db.session.rollback()
            return error_ack(getattr(error, "code", "invalid"), error.message)
        except Exception:
            db.session.rollback()
            log.exception("task event %s failed", handler.__name__)
            return error_ack("server_error", "Something went wrong; try again.")

    return wrapped


def _task_id(data: dict) -> str:
    task_id = data.get("id")
    if not isinstance(task_id, str) or not task_id:
        raise service.TaskRefused("Say which task ('id').", code="invalid")
    return task_id


@customer_event
def sync(connection, data):
    """Replay: every open task after the sequence number the device saw last."""
    start_jobs(current_app._get_current_object())  # a process that serves only sockets
    after = data.get("after_seq", 0)
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= DB_INT_MAX:
        return error_ack("invalid", "'after_seq' must be a whole number, 0 or more.")
    tasks = [task_wire(t) for t in service.tasks_after(connection.customer_id, after)]
    return {"ok": True, "tasks": tasks}


@customer_event
def ack(connection, data):
    """The device got a task."""
    task = service.acknowledge(connection.customer_id, connection.device_id, _task_id(data))
    return {"ok": True, "id": task.public_id, "status": task.status}


@customer_event
def answer(connection, data):
    """The customer's answer, echoing the payload hash of what was shown."""
    if "data" in data and not isinstance(data["data"], dict):
        return error_ack("invalid", "'data' must be a JSON object.")
    task = service.answer_task(connection.customer_id, connection.device_id, _task_id(data),
                               data.get("payload_hash"), data.get("decision"),
                               data.get("data") or {})
    return {"ok": True, "id": task.public_id, "status": task.status}


def watch_customer(data=None):
    """A staff page follows one customer's task statuses (access rules as for the profile)."""
    if not current_user.is_authenticated:
        return error_ack("unauthorized", "Sign in first.")
    customer_id = data.get("customer_id") if isinstance(data, dict) else None
    if isinstance(customer_id, bool) or not isinstance(customer_id, int):
        return error_ack("invalid", "'customer_id' must be a number.")
    customer = db.session.get(Customer, customer_id)
    if customer is None or access_basis(current_user, customer) is None:
        return error_ack("forbidden", "You have no access to this customer's record.")
    join_room(customer_tasks_room(customer_id))
    # A page compares this with the time its panel was rendered from: a change that happened
    # before the socket joined the room is caught up with one refresh, and only then.
    return {"ok": True,
            "changed_at": service.last_status_change(service.latest_tasks(customer_id))}


def unwatch_customer(data=None):
    """Stop following a customer's task statuses."""
    customer_id = data.get("customer_id") if isinstance(data, dict) else None
    if isinstance(customer_id, int):
        leave_room(customer_tasks_room(customer_id))
    return {"ok": True}


def register_task_events() -> None:
    """Attach the task events to the Socket.IO server of the app being created."""
    socketio.on("task:sync", namespace=CUSTOMER_NAMESPACE)(sync)
    socketio.on("task:ack", namespace=CUSTOMER_NAMESPACE)(ack)
    socketio.on("task:answer", namespace=CUSTOMER_NAMESPACE)(answer)
    socketio.on("tasks:watch", namespace=STAFF_NAMESPACE)(watch_customer)
    socketio.on("tasks:unwatch", namespace=STAFF_NAMESPACE)(unwatch_customer)

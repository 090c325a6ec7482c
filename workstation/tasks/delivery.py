"""What goes over the wire for a task, and to which rooms."""

from __future__ import annotations

import hashlib
import json

from workstation.realtime import CUSTOMER_NAMESPACE, STAFF_NAMESPACE, customer_room, staff_room
from workstation.realtime.after_commit import emit_after_commit
from workstation.tasks.models import CustomerTask

TASK_EVENT = "task"
STATUS_EVENT = "task:status"


def canonical_json(value) -> str:
    """The one JSON text of a value that its hash is taken over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_hash(public_id: str, kind: str, title: str, payload: dict, expires_at: str) -> str:
    """SHA-256 over exactly what the device shows: the answer must echo it."""
    shown = {"id": public_id, "kind": kind, "title": title, "payload": payload,
             "expires_at": expires_at}
    return hashlib.sha256(canonical_json(shown).encode()).hexdigest()


def task_wire(task: CustomerTask) -> dict:
    """The task as a device receives it (event `task`, replays, HTTP)."""
    return {
        "id": task.public_id,
        "seq": task.seq,
        "kind": task.kind,
        "title": task.title,
        "payload": json.loads(task.payload_json),
        "payload_hash": task.payload_hash,
        "status": task.status,
        "created_at": task.created_at.isoformat(),
        "expires_at": task.expires_at.isoformat(),
    }


def status_wire(task: CustomerTask) -> dict:
    """A status change as staff and devices see it (never the answer's private part)."""
    return {
        "id": task.public_id,
        "customer_id": task.customer_id,
        "seq": task.seq,
        "kind": task.kind,
        "title": task.title,
        "status": task.status,
        "subject": {"type": task.subject_type, "id": task.subject_id} if task.subject_type
        else None,
        "reason": task.close_reason,
    }


def customer_tasks_room(customer_id: int) -> str:
    """Staff room of everyone watching one customer's task panel."""
    return f"customer-tasks:{customer_id}"


def subject_room(subject_type: str, subject_id: str) -> str:
    """Staff room of the thing a task belongs to (e.g. a live session)."""
    return f"subject:{subject_type}:{subject_id}"


def _staff_rooms(task: CustomerTask) -> list[str]:
    rooms = [customer_tasks_room(task.customer_id)]
    if task.created_by_staff_id:
        rooms.append(staff_room(task.created_by_staff_id))
    if task.subject_type:
        rooms.append(subject_room(task.subject_type, task.subject_id))
    return rooms


def queue_new_task(task: CustomerTask) -> None:
    """After commit: the task to the customer's devices, its status to staff."""
    emit_after_commit(customer_room(task.customer_id), TASK_EVENT, task_wire(task),
                      CUSTOMER_NAMESPACE)
    queue_status(task, to_customer=False)


def queue_status(task: CustomerTask, *, to_customer: bool = True) -> None:
    """After commit: a status change to staff rooms (and to the customer's other devices)."""
    data = status_wire(task)
    for room in _staff_rooms(task):
        emit_after_commit(room, STATUS_EVENT, data, STAFF_NAMESPACE)
    if to_customer:
        device_view = {k: data[k] for k in ("id", "seq", "status", "reason")}
        emit_after_commit(customer_room(task.customer_id), STATUS_EVENT, device_view,
                          CUSTOMER_NAMESPACE)

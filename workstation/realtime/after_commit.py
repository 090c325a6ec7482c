"""Emit Socket.IO events only once the database transaction that caused them commits."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from workstation.extensions import db, socketio
from workstation.realtime import CUSTOMER_NAMESPACE, emit_to_room

INFO_KEY = "realtime_after_commit"
# Fault injection for the restart tests: the process exits right after a commit that
# queued this event and before emitting it (the outbox row is written, nothing is sent).
FAULT_ENV = "WORKSTATION_FAULT_EXIT_BEFORE_EMIT"


@dataclass(frozen=True)
class QueuedEmit:
    room: str
    event: str
    data: object
    namespace: str


def emit_after_commit(room: str, event_name: str, data, namespace: str) -> None:
    """Queue an emit on the current session; it goes out after COMMIT, never on rollback."""
    db.session.info.setdefault(INFO_KEY, []).append(
        QueuedEmit(room, event_name, data, namespace)
    )


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    queued = session.info.pop(INFO_KEY, None)
    if not queued:
        return
    fault = os.environ.get(FAULT_ENV)
    if fault and any(item.event == fault for item in queued):
        os._exit(70)
    # Under gevent an emit only queues the frame; yield so it leaves now, not after the rest
    # of the request (rendering the page) has run. The customer's devices first: staff tabs
    # get their status updates right after.
    for group in _devices_first(queued):
        for item in group:
            emit_to_room(item.room, item.event, item.data, item.namespace)
        socketio.sleep(0)


def _devices_first(queued: list[QueuedEmit]) -> list[list[QueuedEmit]]:
    devices = [item for item in queued if item.namespace == CUSTOMER_NAMESPACE]
    others = [item for item in queued if item.namespace != CUSTOMER_NAMESPACE]
    return [group for group in (devices, others) if group]


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(INFO_KEY, None)

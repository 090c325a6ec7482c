"""What card services send to the customer's device and to the staff pages watching them.

Confirmations and notices travel as customer tasks (the persisted push channel); the staff
pages that follow a customer hear `cards:changed` on the customer's task room and reload
their fragments over HTTP, so rendering and access rules stay in the views.
"""

from __future__ import annotations

from datetime import timedelta

from workstation import audit
from workstation.realtime import CUSTOMER_NAMESPACE, STAFF_NAMESPACE, customer_room
from workstation.realtime.after_commit import emit_after_commit
from workstation.tasks.delivery import customer_tasks_room
from workstation.tasks.models import CustomerTask
from workstation.tasks.service import create_task

CHANGED_EVENT = "cards:changed"
NOTICE_LIFETIME = timedelta(days=7)


def ask_to_confirm(actor: audit.Actor, customer_id: int, title: str, summary: str,
                   details: list[tuple[str, str]], subject: tuple[str, int],
                   expires_in: timedelta) -> CustomerTask:
    """Push a confirm task (what, which card masked, fee...) in the caller's transaction."""
    payload = {"title": title, "summary": summary,
               "details": [{"label": label, "value": value} for label, value in details]}
    return create_task(actor, customer_id, "confirm", payload, expires_in=expires_in,
                       subject=subject)


def notify_customer(actor: audit.Actor, customer_id: int, title: str, message: str,
                    subject: tuple[str, int] | None = None) -> CustomerTask:
    """Push an informational notice to the customer's devices (kept until read)."""
    return create_task(actor, customer_id, "notice", {"title": title, "message": message},
                       expires_in=NOTICE_LIFETIME, subject=subject)


def announce_change(customer_id: int, what: str) -> None:
    """After commit: staff pages and the customer's screens reload their card views."""
    data = {"customer_id": customer_id, "what": what}
    emit_after_commit(customer_tasks_room(customer_id), CHANGED_EVENT, data, STAFF_NAMESPACE)
    emit_after_commit(customer_room(customer_id), CHANGED_EVENT, {"what": what},
                      CUSTOMER_NAMESPACE)

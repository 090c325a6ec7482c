"""Staff side of customer tasks: the live task panel of a customer, cancel, answer files."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, Response, request
from flask_login import current_user

from workstation import audit
from workstation.customers.access import customer_with_basis
from workstation.errors import NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import SERVING_ROLES, Customer, Role, Staff
from workstation.tasks import service
from workstation.tasks.kinds import KINDS
from workstation.tasks.models import CustomerTask, CustomerTaskFile
from workstation.web import current_actor, render_page_or_fragment, roles_required

bp = Blueprint("tasks", __name__, url_prefix="/customers")
# Staff who serve customers send and withdraw tasks; auditors read the panel as it stands.
READERS = (*SERVING_ROLES, Role.AUDITOR)


@dataclass(frozen=True)
class TaskRow:
    task: CustomerTask
    label: str
    headline: str  # the main line the phone shows (the message, the question, the summary)
    answer: dict


@dataclass(frozen=True)
class TaskPanel:
    """What the staff task panel shows: the customer's latest tasks, and when any of their
    tasks last changed (a page compares it with what its socket reports on joining)."""

    customer: Customer
    rows: list[TaskRow]
    changed_at: str


def _customer_with_access(actor: audit.Actor, staff: Staff, customer_id: int,
                          action: str) -> Customer:
    customer, basis = customer_with_basis(actor, staff, customer_id, action)
    audit.record(actor, action, customer_id=customer.id, object_type="customer",
                 object_id=customer.customer_no, reason=basis)
    return customer


def _panel_of(customer: Customer) -> TaskPanel:
    tasks = service.latest_tasks(customer.id)
    return TaskPanel(customer, [_row(task) for task in tasks], service.last_status_change(tasks))


def _row(task: CustomerTask) -> TaskRow:
    kind = KINDS[task.kind]
    return TaskRow(task, kind.label, kind.headline(json.loads(task.payload_json)),
                   json.loads(task.answer_json or "{}"))


def task_panel(actor: audit.Actor, staff: Staff, customer_id: int) -> TaskPanel:
    """The customer and their latest tasks, for a staff member with access (audited)."""
    customer = _customer_with_access(actor, staff, customer_id, "customer.tasks_view")
    db.session.commit()  # the view is on record before anything is read (and read once)
    return _panel_of(customer)


STAFF_KINDS = {"notice": "message", "rating": "question"}


def push_from_staff(actor: audit.Actor, staff: Staff, customer_id: int, kind: str,
                    text: str) -> TaskPanel:
    """A staff member sends a message or a rating request to the customer's phone; their
    task panel comes back. The task's own audit row (task.created, with the access basis as
    its reason) is the record of this access and of that view: one row per push."""
    if kind not in STAFF_KINDS:
        raise ValidationFailed("Choose a message or a rating request.")
    customer, basis = customer_with_basis(actor, staff, customer_id, "customer.task_push")
    service.create_task(actor, customer.id, kind, {STAFF_KINDS[kind]: text}, basis=basis)
    db.session.commit()
    return _panel_of(customer)


def cancel_for_staff(actor: audit.Actor, staff: Staff, customer_id: int, task_id: str,
                     reason: str) -> TaskPanel:
    """Withdraw an open task of a customer the staff member may serve; their task panel
    comes back (the withdrawal's audit row covers that view)."""
    customer = _customer_with_access(actor, staff, customer_id, "customer.task_cancel")
    service.cancel_task(actor, customer_id, task_id, reason.strip()[:255] or "Withdrawn by staff.")
    db.session.commit()
    return _panel_of(customer)


def answer_file(actor: audit.Actor, staff: Staff, customer_id: int, task_id: str,
                file_id: int) -> CustomerTaskFile:
    """A file the customer sent in answer to a task (audited download)."""
    _customer_with_access(actor, staff, customer_id, "customer.task_file_view")
    task = service.customer_task(customer_id, task_id)
    stored = db.session.get(CustomerTaskFile, file_id)
    if stored is None or stored.task_id != task.id:
        raise NotFound("No such file.")
    db.session.commit()
    return stored


def _panel_response(panel: TaskPanel, error: str = ""):
    return render_page_or_fragment("tasks/panel.html", "tasks/_panel.html", panel=panel,
                                   error=error, can_act=current_user.role in SERVING_ROLES)


def _render_panel(customer_id: int, error: str = ""):
    return _panel_response(task_panel(current_actor(), current_user, customer_id), error)


@bp.get("/<int:customer_id>/tasks")
@roles_required(*READERS)
def panel(customer_id: int):
    """The customer's tasks with live status; htmx gets the panel fragment alone."""
    return _render_panel(customer_id)


@bp.post("/<int:customer_id>/tasks")
@roles_required(*SERVING_ROLES)
def send(customer_id: int):
    """Send a message or a rating request; the panel comes back with the new task."""
    try:
        panel = push_from_staff(current_actor(), current_user, customer_id,
                                request.form.get("kind", ""), request.form.get("text", ""))
    except ValidationFailed as error:
        db.session.rollback()
        return _render_panel(customer_id, error.message), 422
    return _panel_response(panel)


@bp.post("/<int:customer_id>/tasks/<task_id>/cancel")
@roles_required(*SERVING_ROLES)
def cancel(customer_id: int, task_id: str):
    """Withdraw an open task; the panel comes back with the new status."""
    try:
        panel = cancel_for_staff(current_actor(), current_user, customer_id, task_id,
                                 request.form.get("reason", ""))
    except service.TaskRefused as error:
        db.session.rollback()
        return _render_panel(customer_id, error.message), 409
    return _panel_response(panel)


@bp.get("/<int:customer_id>/tasks/<task_id>/files/<int:file_id>")
@roles_required(*READERS)
def file(customer_id: int, task_id: str, file_id: int):
    """Download an uploaded document or a drawn signature."""
    stored = answer_file(current_actor(), current_user, customer_id, task_id, file_id)
    return Response(stored.content, mimetype=stored.content_type, headers={
        "Content-Disposition": f'attachment; filename="{stored.filename}"',
        "Cache-Control": "no-store"})

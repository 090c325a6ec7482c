"""The task screens of the mobile web client (`/m/tasks/<id>`); answers go through the API."""

from __future__ import annotations

import json

from flask import Blueprint, g, render_template

from workstation.customer_auth.decorators import customer_required
from workstation.tasks import service
from workstation.tasks.kinds import KINDS
from workstation.types import utcnow

bp = Blueprint("tasks_mobile", __name__, url_prefix="/m/tasks")


@bp.get("/<task_id>")
@customer_required
def show(task_id: str):
    """One task's screen: what to check, and the controls to answer it."""
    try:
        task = service.customer_task(g.customer.id, task_id)
    except service.TaskRefused:
        return render_template("mobile/tasks/missing.html"), 404
    return render_template("mobile/tasks/task.html", task=task, spec=KINDS[task.kind],
                           payload=json.loads(task.payload_json),
                           answer=json.loads(task.answer_json or "{}"), now=utcnow())

"""JSON API of the task channel for native apps and the mobile web client."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from workstation.customer_auth.decorators import customer_required
from workstation.customer_auth.service import customer_actor
from workstation.errors import ValidationFailed
from workstation.tasks import service
from workstation.tasks.delivery import task_wire
from workstation.tasks.kinds import MAX_UPLOAD_BYTES, FileIn
from workstation.types import whole_number
from workstation.web import client_ip

bp = Blueprint("tasks_api", __name__, url_prefix="/api/v1/customer/tasks")


def _problem(error: service.TaskRefused):
    body = {"type": "about:blank", "title": "Answer refused", "status": error.status_code,
            "detail": error.message, "code": error.code}
    if error.code == "not_found":
        body["status"] = 404
    elif error.code == "rate_limited":
        body["status"] = 429
    response = jsonify(body)
    response.status_code = body["status"]
    response.mimetype = "application/problem+json"
    return response


@bp.errorhandler(service.TaskRefused)
def _refused(error: service.TaskRefused):
    return _problem(error)


@bp.get("")
@customer_required
def list_tasks():
    """Open tasks, oldest first; ?after_seq=N gives only those after N (the replay)."""
    after = whole_number(request.args.get("after_seq", "0"))
    if after is None:
        raise ValidationFailed("'after_seq' must be a whole number, 0 or more.")
    tasks = service.tasks_after(g.customer.id, after)
    return jsonify(tasks=[task_wire(t) for t in tasks])


@bp.get("/<task_id>")
@customer_required
def show(task_id: str):
    """One task in any status."""
    return jsonify(task=task_wire(service.customer_task(g.customer.id, task_id)))


@bp.post("/<task_id>/ack")
@customer_required
def ack(task_id: str):
    """The device received the task."""
    task = service.acknowledge(g.customer.id, g.customer_device.id, task_id)
    return jsonify(id=task.public_id, status=task.status)


def _answer_from_request() -> tuple[str, str, dict, FileIn | None]:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed("Attach the file as 'file'.")
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        file_in = FileIn(upload.filename or "upload", upload.mimetype or "", content)
        return (request.form.get("payload_hash", ""), request.form.get("decision", "accept"),
                {}, file_in)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("Send a JSON object with Content-Type: application/json.")
    data = body.get("data", {})
    if not isinstance(data, dict):
        raise ValidationFailed("'data' must be a JSON object.")
    return body.get("payload_hash", ""), body.get("decision", ""), data, None


@bp.post("/<task_id>/answer")
@customer_required
def answer(task_id: str):
    """Answer a task: JSON {payload_hash, decision, data}, or multipart for an upload."""
    payload_hash, decision, data, upload = _answer_from_request()
    task = service.answer_task(
        g.customer.id, g.customer_device.id, task_id, payload_hash, decision, data,
        upload=upload, actor=customer_actor(g.customer, client_ip(), g.request_id))
    return jsonify(id=task.public_id, status=task.status)

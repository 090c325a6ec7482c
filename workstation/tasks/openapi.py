"""OpenAPI paths of customer tasks (`/api/v1/customer/tasks/...`)."""

from __future__ import annotations

from workstation.customer_auth.openapi import PROBLEM, _json
from workstation.tasks.kinds import KINDS

SECURITY = [{"bearerAuth": []}]
_TASK = {"$ref": "#/components/schemas/Task"}
_ID = [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}]
_STATUS = {"type": "object", "properties": {"id": {"type": "string"},
                                            "status": {"type": "string"}}}
_REFUSED = {**PROBLEM, "description": "Refused; `code` is one of not_found, changed, expired, "
                                      "cancelled, answered, invalid, wrong_answer, refused, "
                                      "rate_limited"}

OPENAPI_SCHEMAS = {"Task": {"type": "object", "properties": {
    "id": {"type": "string"}, "seq": {"type": "integer", "description": "Per customer, from 1"},
    "kind": {"enum": sorted(KINDS)}, "title": {"type": "string"},
    "payload": {"type": "object", "description": "Per kind: see docs/customer-protocol.md"},
    "payload_hash": {"type": "string", "description": "Echo it in the answer"},
    "status": {"enum": ["pending", "delivered", "completed", "declined", "expired",
                        "cancelled"]},
    "created_at": {"type": "string", "format": "date-time"},
    "expires_at": {"type": "string", "format": "date-time"}}}}


def _op(summary: str, responses: dict, **extra) -> dict:
    return {"tags": ["customer tasks"], "summary": summary, "security": SECURITY,
            "responses": {**responses, "401": PROBLEM}, **extra}


_ANSWER_JSON = {"type": "object", "required": ["payload_hash", "decision"], "properties": {
    "payload_hash": {"type": "string"}, "decision": {"enum": ["accept", "decline"]},
    "data": {"type": "object", "description": "Per kind: see docs/customer-protocol.md"}}}
_ANSWER_FILE = {"type": "object", "required": ["payload_hash", "file"], "properties": {
    "payload_hash": {"type": "string"}, "decision": {"enum": ["accept", "decline"]},
    "file": {"type": "string", "format": "binary"}}}

OPENAPI_PATHS: dict = {
    "/api/v1/customer/tasks": {"get": _op(
        "Open tasks, oldest first; after_seq gives only later ones (the replay)",
        {"200": {"description": "Tasks", **_json({"type": "object", "properties": {
            "tasks": {"type": "array", "items": _TASK}}})}, "422": PROBLEM},
        parameters=[{"name": "after_seq", "in": "query", "schema": {"type": "integer",
                                                                     "minimum": 0}}])},
    "/api/v1/customer/tasks/{task_id}": {"get": _op(
        "One task in any status", {"200": {"description": "Task", **_json({
            "type": "object", "properties": {"task": _TASK}})}, "404": _REFUSED},
        parameters=_ID)},
    "/api/v1/customer/tasks/{task_id}/ack": {"post": _op(
        "The device received the task (pending -> delivered)",
        {"200": {"description": "Status", **_json(_STATUS)}, "404": _REFUSED},
        parameters=_ID)},
    "/api/v1/customer/tasks/{task_id}/answer": {"post": _op(
        "Answer a task (uploads as multipart/form-data)",
        {"200": {"description": "Answered", **_json(_STATUS)}, "404": _REFUSED,
         "409": _REFUSED, "422": PROBLEM, "429": _REFUSED},
        parameters=_ID, requestBody={"required": True, "content": {
            "application/json": {"schema": _ANSWER_JSON},
            "multipart/form-data": {"schema": _ANSWER_FILE}}})},
}

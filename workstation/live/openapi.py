"""OpenAPI description of the live-session JSON endpoints (merged into /api/v1/openapi.json)."""

from __future__ import annotations

_PROBLEM = {
    "description": "Problem (RFC 9457): type, title, status, detail",
    "content": {"application/problem+json": {"schema": {"type": "object", "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"}}}}},
}
_SECURITY = [{"bearerAuth": []}]
_SESSION_ID = {"name": "session_id", "in": "path", "required": True,
               "schema": {"type": "integer"}}

QUEUE_PLACE = {"type": "object", "required": ["entry_id", "topic", "position",
                                              "estimated_wait_seconds"],
               "properties": {"entry_id": {"type": "integer"}, "topic": {"type": "string"},
                              "position": {"type": "integer", "minimum": 1},
                              "estimated_wait_seconds": {"type": "integer"}}}
CHAT_MESSAGE = {"type": "object", "properties": {
    "id": {"type": "integer"}, "sender": {"enum": ["customer", "staff", "system"]},
    "name": {"type": "string"}, "body": {"type": "string", "maxLength": 2000,
                                         "description": "Plain text: escape before display"},
    "sent_at": {"type": "string", "format": "date-time"}}}
SHARED_FORM = {"type": ["object", "null"], "properties": {
    "name": {"type": "string"}, "title": {"type": "string"},
    "fields": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "label": {"type": "string"}, "private": {"type": "boolean"},
        "kind": {"enum": ["text", "email", "tel", "password"]}}}},
    "values": {"type": "object", "additionalProperties": {"type": "string"},
               "description": "Private fields hold only dots, one per typed character"},
    "consent": {"type": ["boolean", "null"]}}}
SESSION = {"type": "object", "properties": {
    "id": {"type": "integer"}, "status": {"enum": ["active", "ended"]},
    "topic": {"type": "string"}, "topic_label": {"type": "string"},
    "agent_name": {"type": "string"},
    "invite_message": {"type": "string", "description": "what the adviser wrote in the invite "
                       "that opened the session (empty otherwise)"},
    "participants": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "role": {"enum": ["agent", "supervisor"]},
        "silent": {"type": "boolean"}}}},
    "media_state": {"type": "string"},
    "consent": {"type": "object", "properties": {"media": {"type": ["boolean", "null"]},
                                                 "cobrowse": {"type": ["boolean", "null"]}}},
    "form": SHARED_FORM, "chat": {"type": "array", "items": CHAT_MESSAGE},
    "ended_by": {"type": "string"}, "outcome": {"type": "string"},
    "ice_servers": {"type": "array", "items": {"type": "object"}}}}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary: str, responses: dict, *, body: dict | None = None,
        params: list | None = None) -> dict:
    operation = {"tags": ["live"], "summary": summary, "security": _SECURITY,
                 "responses": {**responses, "401": _PROBLEM}}
    if body is not None:
        operation["requestBody"] = {"required": True, **_json(body)}
    if params:
        operation["parameters"] = params
    return operation


OPENAPI_PATHS: dict = {
    "/api/v1/live/config": {"get": _op("Topics, consent wording and STUN/TURN servers", {
        "200": {"description": "Configuration", **_json({"type": "object", "properties": {
            "topics": {"type": "object", "additionalProperties": {"type": "string"}},
            "ice_servers": {"type": "array", "items": {"type": "object"}},
            "consent": {"type": "object"}}})}})},
    "/api/v1/live/queue": {
        "get": _op("Place in the queue, or the current session", {"200": {
            "description": "Status", **_json({"type": "object", "properties": {
                "session_id": {"type": ["integer", "null"]},
                "queue": {"oneOf": [QUEUE_PLACE, {"type": "null"}]}}})}}),
        "post": _op("Join the queue for a topic", {
            "201": {"description": "Place in the queue", **_json(QUEUE_PLACE)},
            "409": _PROBLEM, "422": _PROBLEM},
            body={"type": "object", "required": ["topic"],
                  "properties": {"topic": {"type": "string"}}}),
        "delete": _op("Leave the queue", {"204": {"description": "Left (or was not waiting)"}}),
    },
    "/api/v1/live/invites/redeem": {"post": _op(
        "Join an adviser's session with a 6-digit code or an invite link token",
        {"201": {"description": "The session", **_json(SESSION)},
         "404": _PROBLEM, "409": _PROBLEM, "422": _PROBLEM, "429": _PROBLEM},
        body={"type": "object", "properties": {"code": {"type": "string", "pattern": "^\\d{6}$"},
                                               "token": {"type": "string"}}})},
    "/api/v1/live/sessions/current": {"get": _op(
        "The active session, or the last one waiting for a rating",
        {"200": {"description": "The session", **_json(SESSION)}, "404": _PROBLEM})},
    "/api/v1/live/sessions/{session_id}": {"get": _op(
        "One of the customer's sessions", {"200": {"description": "The session",
                                                   **_json(SESSION)},
                                           "403": _PROBLEM, "404": _PROBLEM},
        params=[_SESSION_ID])},
    "/api/v1/live/sessions/{session_id}/consent": {"post": _op(
        "Answer a consent screen (stored as audit evidence)",
        {"201": {"description": "Recorded", **_json({"type": "object", "properties": {
            "consent_id": {"type": "integer"}, "kind": {"type": "string"},
            "granted": {"type": "boolean"}}})}, "403": _PROBLEM, "409": _PROBLEM,
         "422": _PROBLEM},
        body={"type": "object", "required": ["kind", "granted"], "properties": {
            "kind": {"enum": ["media", "cobrowse"]}, "granted": {"type": "boolean"}}},
        params=[_SESSION_ID])},
    "/api/v1/live/sessions/{session_id}/end": {"post": _op(
        "End the session", {"204": {"description": "Ended"}, "403": _PROBLEM, "409": _PROBLEM},
        params=[_SESSION_ID])},
    "/api/v1/live/sessions/{session_id}/rating": {"post": _op(
        "Rate an ended session from 1 to 5",
        {"201": {"description": "Rated", **_json({"type": "object", "properties": {
            "score": {"type": "integer"}, "comment": {"type": "string"}}})},
         "403": _PROBLEM, "409": _PROBLEM, "422": _PROBLEM},
        body={"type": "object", "required": ["score"], "properties": {
            "score": {"type": "integer", "minimum": 1, "maximum": 5},
            "comment": {"type": "string", "maxLength": 1000}}},
        params=[_SESSION_ID])},
}

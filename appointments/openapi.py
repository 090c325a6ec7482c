"""OpenAPI paths of the appointments API, for `/api/v1/openapi.json`."""

from __future__ import annotations

_PROBLEM = {"description": "Refused: a problem naming the rule",
            "content": {"application/problem+json": {"schema": {"type": "object", "properties": {
                "type": {"type": "string"}, "title": {"type": "string"},
                "status": {"type": "integer"}, "detail": {"type": "string"}}}}}}
_SECURITY = [{"deviceToken": []}]


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary: str, responses: dict, *, body: dict | None = None, params=None) -> dict:
    operation = {"summary": summary, "security": _SECURITY,
                 "responses": {**responses, "401": _PROBLEM}, "tags": ["appointments"]}
    if body:
        operation["requestBody"] = {"required": True, **_json(body)}
    if params:
        operation["parameters"] = params
    return operation


_ID = [{"name": "appointment_id", "in": "path", "required": True,
        "schema": {"type": "integer"}}]
APPOINTMENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "reference": {"type": "string"},
    "status": {"enum": ["booked", "checked_in", "completed", "cancelled", "no_show"]},
    "branch": {"type": "object"}, "service": {"type": "object"},
    "starts_at": {"type": "string", "format": "date-time"},
    "ends_at": {"type": "string", "format": "date-time"},
    "local_start": {"type": "string", "format": "date-time"},
    "checkin_code": {"type": "string"}, "checkin_qr_payload": {"type": "string"},
    "cash": {"type": ["object", "null"]}, "prepared_request": {"type": "object"},
    "sequence": {"type": "integer"}, "cancel_reason": {"type": "string"}}}
_REASON = {"type": "object", "required": ["reason"], "properties": {
    "reason": {"type": "string", "minLength": 3, "maxLength": 500}}}
_ONE = {"200": {"description": "The appointment", **_json(APPOINTMENT)}}

OPENAPI_PATHS: dict = {
    "/api/v1/appointments/branches": {"get": _op(
        "Branches and the services they offer by appointment",
        {"200": {"description": "Branches", **_json({"type": "object"})}})},
    "/api/v1/appointments/slots": {"get": _op(
        "Slots of a service on a branch-local date", {
            "200": {"description": "Slots", **_json({"type": "object"})}, "404": _PROBLEM,
            "422": _PROBLEM},
        params=[{"name": "service_id", "in": "query", "required": True,
                 "schema": {"type": "integer"}},
                {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}}])},
    "/api/v1/appointments": {
        "get": _op("The customer's appointments", {"200": {
            "description": "Appointments", **_json({"type": "object", "properties": {
                "appointments": {"type": "array", "items": APPOINTMENT}}})}}),
        "post": _op("Book a slot", {
            "201": {"description": "Booked", **_json(APPOINTMENT)},
            "404": _PROBLEM, "409": _PROBLEM, "422": _PROBLEM},
            body={"type": "object", "required": ["service_id", "starts_at"], "properties": {
                "service_id": {"type": "integer"},
                "starts_at": {"type": "string", "format": "date-time"},
                "cash": {"type": "object", "properties": {
                    "amount": {"type": "string"}, "currency": {"type": "string"},
                    "purpose": {"type": "string"}, "source_of_funds": {"type": "string"}}},
                "prepared": {"type": "object"}, "note": {"type": "string"}}}),
    },
    "/api/v1/appointments/{appointment_id}": {"get": _op(
        "One of the customer's appointments", {**_ONE, "404": _PROBLEM}, params=_ID)},
    "/api/v1/appointments/{appointment_id}/reschedule": {"post": _op(
        "Move to another slot of the same service", {**_ONE, "404": _PROBLEM,
                                                    "409": _PROBLEM, "422": _PROBLEM},
        params=_ID, body={**_REASON, "required": ["starts_at", "reason"], "properties": {
            **_REASON["properties"], "starts_at": {"type": "string", "format": "date-time"}}})},
    "/api/v1/appointments/{appointment_id}/cancel": {"post": _op(
        "Cancel with a reason", {**_ONE, "404": _PROBLEM, "409": _PROBLEM, "422": _PROBLEM},
        params=_ID, body=_REASON)},
    "/api/v1/appointments/{appointment_id}/calendar.ics": {"get": _op(
        "The appointment as an iCalendar file (branch time zone, SEQUENCE grows on each move)",
        {"200": {"description": "text/calendar"}, "404": _PROBLEM}, params=_ID)},
}

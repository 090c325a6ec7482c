"""OpenAPI description of the card application endpoints (merged into /api/v1/openapi.json)."""

from __future__ import annotations

_PROBLEM = {
    "description": "Problem (RFC 9457): type, title, status, detail",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
_SECURITY = [{"bearerAuth": []}]
_REF = {"name": "reference", "in": "path", "required": True,
        "schema": {"type": "string", "pattern": "^CA[A-Z2-9]{10}$"}}
_STEP = {"name": "step", "in": "path", "required": True,
         "schema": {"enum": ["personal", "address", "occupation", "account"]}}
_SLOT = {"name": "slot", "in": "path", "required": True,
         "schema": {"enum": ["id_front", "id_back", "selfie"]}}

APPLICATION = {"type": "object", "properties": {
    "reference": {"type": "string"},
    "status": {"enum": ["draft", "review", "approved", "card_issued", "completed", "rejected",
                        "withdrawn"]},
    "status_label": {"type": "string"},
    "steps": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "done": {"type": "boolean"}}}},
    "next_step": {"type": ["string", "null"]},
    "documents": {"type": "array", "items": {"type": "string"}},
    "account_class": {"enum": ["", "II", "III"]},
    "outcome_reason_category": {"type": "string",
                                "description": "Why it waits or was refused, as a category"},
    "card_last4": {"type": "string"}, "pin_set": {"type": "boolean"},
    "pin_request_open": {"type": "boolean", "description": "the request to set the PIN waits "
                         "on the phone now; the card details are shown only then"},
    "physical_card": {"type": "boolean"},
    "card_order_status": {"enum": ["", "ordered", "ready", "collected"]},
    "created_at": {"type": "string", "format": "date-time"}}}
STEP_FIELDS = {"type": "object", "description": "Fields of the step (see docs/protocol/"
               "onboarding.md)", "additionalProperties": {"type": ["string", "boolean"]}}
CARD = {"type": "object", "properties": {
    "card_number": {"type": "string"}, "card_holder": {"type": "string"},
    "expiry": {"type": "string", "description": "MM/YY"}, "card_last4": {"type": "string"}}}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary: str, responses: dict, *, body: dict | None = None,
        params: list | None = None) -> dict:
    operation = {"tags": ["onboarding"], "summary": summary, "security": _SECURITY,
                 "responses": {**responses, "401": _PROBLEM, "404": _PROBLEM}}
    if body is not None:
        operation["requestBody"] = {"required": True, **body}
    if params:
        operation["parameters"] = params
    return operation


_OK = {"200": {"description": "The application", **_json(APPLICATION)}}
_BASE = "/api/v1/onboarding/applications"

OPENAPI_PATHS: dict = {
    _BASE: {
        "get": _op("The customer's card applications", {"200": {
            "description": "Newest first", **_json({"type": "object", "properties": {
                "applications": {"type": "array", "items": APPLICATION}}})}}),
        "post": _op("Start an application on this device", {
            "201": {"description": "Started", **_json(APPLICATION)}, "409": _PROBLEM}),
    },
    _BASE + "/{reference}": {"get": _op("Where an application stands", _OK, params=[_REF])},
    _BASE + "/{reference}/steps/{step}": {"post": _op(
        "Save one step", {**_OK, "409": _PROBLEM, "422": _PROBLEM},
        body=_json(STEP_FIELDS), params=[_REF, _STEP])},
    _BASE + "/{reference}/documents/{slot}": {"post": _op(
        "Send an ID photo or the selfie (JPEG or PNG)", {**_OK, "409": _PROBLEM,
                                                         "422": _PROBLEM},
        body={"content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "photo": {"type": "string", "format": "binary"}}}},
            "application/json": {"schema": {"type": "object", "properties": {
                "content": {"type": "string", "contentEncoding": "base64"}}}}}},
        params=[_REF, _SLOT])},
    _BASE + "/{reference}/submit": {"post": _op(
        "Submit for screening; the answer carries the decision",
        {**_OK, "409": _PROBLEM, "422": _PROBLEM}, params=[_REF])},
    _BASE + "/{reference}/withdraw": {"post": _op(
        "Withdraw an undecided application", {**_OK, "409": _PROBLEM}, params=[_REF])},
    _BASE + "/{reference}/card": {"get": _op(
        "The new card's details, until the PIN is set (Cache-Control: no-store)",
        {"200": {"description": "Card details", **_json(CARD)}, "409": _PROBLEM},
        params=[_REF])},
}

"""OpenAPI paths of customer sign-in (`/api/v1/customer/auth/...`)."""

from __future__ import annotations

PROBLEM = {"description": "Problem (RFC 9457)",
           "content": {"application/problem+json": {"schema": {"$ref":
                                                               "#/components/schemas/Problem"}}}}
SECURITY = [{"bearerAuth": []}]


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary: str, responses: dict, *, body: dict | None = None, secured=True,
        params=None) -> dict:
    operation = {"tags": ["customer auth"], "summary": summary, "responses": responses}
    if secured:
        operation["security"] = SECURITY
        operation["responses"] = {**responses, "401": PROBLEM}
    else:
        operation["security"] = []
    if body is not None:
        operation["requestBody"] = {"required": True, **_json(body)}
    if params:
        operation["parameters"] = params
    return operation


OPENAPI_SCHEMAS = {
    "Customer": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "phone": {"type": "string", "description": "Masked"},
        "language": {"type": "string"}}},
    "Device": {"type": "object", "properties": {
        "id": {"type": "integer"}, "kind": {"enum": ["web", "app"]}, "name": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "last_seen_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": "string", "format": "date-time"}}},
}
_CUSTOMER = {"$ref": "#/components/schemas/Customer"}
_DEVICE = {"$ref": "#/components/schemas/Device"}

OPENAPI_PATHS: dict = {
    "/api/v1/customer/auth/code": {"post": _op(
        "Text a 6-digit sign-in code to the phone (same answer for unknown numbers)",
        {"202": {"description": "Code sent", **_json({"type": "object", "properties": {
            "challenge_id": {"type": "string"}, "expires_in": {"type": "integer"},
            "max_attempts": {"type": "integer"}}})},
         "422": PROBLEM, "429": PROBLEM},
        body={"type": "object", "required": ["phone"],
              "properties": {"phone": {"type": "string", "maxLength": 32}}}, secured=False)},
    "/api/v1/customer/auth/verify": {"post": _op(
        "Exchange the code for a device token (single use, 5 minutes, 5 attempts)",
        {"200": {"description": "Signed in", **_json({"type": "object", "properties": {
            "token": {"type": "string", "description": "Send as Authorization: Bearer"},
            "device": _DEVICE, "customer": _CUSTOMER}})},
         "401": PROBLEM, "404": PROBLEM, "422": PROBLEM, "429": PROBLEM},
        body={"type": "object", "required": ["challenge_id", "code"], "properties": {
            "challenge_id": {"type": "string"}, "code": {"type": "string"},
            "device_name": {"type": "string", "maxLength": 120}}}, secured=False)},
    "/api/v1/customer/auth/me": {"get": _op("The signed-in customer and this device", {
        "200": {"description": "Who", **_json({"type": "object", "properties": {
            "customer": _CUSTOMER, "device": _DEVICE}})}})},
    "/api/v1/customer/auth/devices": {"get": _op("Devices signed in for this customer", {
        "200": {"description": "Devices", **_json({"type": "object", "properties": {
            "devices": {"type": "array", "items": _DEVICE},
            "current_device_id": {"type": "integer"}}})}})},
    "/api/v1/customer/auth/devices/{device_id}": {"delete": _op(
        "Sign one of the customer's devices out", {"204": {"description": "Revoked"},
                                                   "404": PROBLEM},
        params=[{"name": "device_id", "in": "path", "required": True,
                 "schema": {"type": "integer"}}])},
    "/api/v1/customer/auth/sign-out": {"post": _op(
        "Revoke this device's token", {"204": {"description": "Signed out"}})},
}

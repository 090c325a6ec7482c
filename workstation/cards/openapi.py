"""OpenAPI paths of the card-service calls the bank's app makes."""

from __future__ import annotations

_PROBLEM = {"description": "Problem", "content": {"application/problem+json": {
    "schema": {"$ref": "#/components/schemas/Problem"}}}}
CARD = {"type": "object", "properties": {
    "id": {"type": "integer"}, "number": {"type": "string", "description": "masked"},
    "product": {"type": "string"}, "expiry": {"type": "string"},
    "status": {"enum": ["active", "locked", "verbal_loss", "not_activated", "lost", "stolen",
                        "damaged", "retained"]},
    "status_label": {"type": "string"}, "waiting_for_you": {"type": "boolean"},
    "verbal_report_until": {"type": ["string", "null"], "format": "date-time"}}}
REPLACEMENT = {"type": "object", "properties": {
    "id": {"type": "integer"},
    "status": {"enum": ["awaiting_customer", "ordered", "in_production", "dispatched",
                        "ready_for_pickup", "delivered", "activated", "declined", "expired",
                        "cancelled"]},
    "status_label": {"type": "string"}, "replaces": {"type": "string"},
    "new_card": {"type": ["string", "null"]}, "delivery": {"enum": ["branch", "address"]},
    "branch": {"type": ["string", "null"]}, "fee": {"type": "string"},
    "currency": {"type": "string"}, "fee_waived": {"type": "boolean"},
    "steps": {"type": "array", "items": {"type": "object", "properties": {
        "label": {"type": "string"}, "at": {"type": ["string", "null"], "format": "date-time"}}}}}}

OPENAPI_PATHS: dict = {
    "/api/v1/customer/cards": {"get": {
        "summary": "The customer's cards, replacement progress and loss report confirmations",
        "security": [{"deviceToken": []}],
        "responses": {
            "200": {"description": "Cards", "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "cards": {"type": "array", "items": CARD},
                    "replacements": {"type": "array", "items": REPLACEMENT},
                    "loss_reports": {"type": "array", "items": {"type": "object"}}}}}}},
            "401": _PROBLEM}}},
}

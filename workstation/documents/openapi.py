"""OpenAPI paths of the documents API, for `/api/v1/openapi.json`."""

from __future__ import annotations

_PROBLEM = {"description": "Refused: a problem naming the rule",
            "content": {"application/problem+json": {"schema": {"type": "object"}}}}
_SECURITY = [{"deviceToken": []}]
DOCUMENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "number": {"type": "string"},
    "type": {"type": "string", "examples": ["balance_certificate", "deposit_certificate",
                                             "statement", "fee_invoice",
                                             "appointment_confirmation"]},
    "title": {"type": "string"}, "language": {"enum": ["en", "es", "zh"]},
    "status": {"enum": ["issued", "expired", "revoked"]},
    "issued_at": {"type": ["string", "null"], "format": "date-time"},
    "valid_until": {"type": ["string", "null"], "format": "date-time"},
    "sha256": {"type": "string"}, "pdf_url": {"type": "string"}}}

OPENAPI_PATHS = {
    "/api/v1/documents": {"get": {
        "summary": "The customer's certificates, statements, confirmations and invoices",
        "tags": ["documents"], "security": _SECURITY,
        "responses": {"200": {"description": "Newest first", "content": {"application/json": {
            "schema": {"type": "object", "properties": {
                "documents": {"type": "array", "items": DOCUMENT}}}}}},
            "401": _PROBLEM}}},
    "/api/v1/documents/{document_id}/pdf": {"get": {
        "summary": "The signed PDF/A-3b exactly as issued (PAdES signature inside)",
        "tags": ["documents"], "security": _SECURITY,
        "parameters": [{"name": "document_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "The PDF; X-Content-SHA256 holds its hash",
                              "content": {"application/pdf": {}}},
                      "401": _PROBLEM, "404": _PROBLEM}}},
}

"""`/api/v1/openapi.json`: one OpenAPI 3.1 document merged from the areas' OPENAPI_PATHS.

Each module named in OPENAPI_SOURCES exposes `OPENAPI_PATHS: dict` (path -> operations)
and may expose `OPENAPI_SCHEMAS: dict` (component schemas). Areas append their module.
"""

from __future__ import annotations

import importlib
import importlib.util

from flask import Blueprint, current_app, jsonify

OPENAPI_SOURCES: list[str] = [
    "workstation.customer_auth.openapi",
    "workstation.tasks.openapi",
    "workstation.live.openapi",
    "appointments.openapi",
    "workstation.cards.openapi",
    "workstation.onboarding.openapi",
    "workstation.documents.openapi",
]

PROBLEM_SCHEMA = {"type": "object", "required": ["title", "status"], "properties": {
    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
    "detail": {"type": "string"}, "code": {"type": "string"}}}
_BEARER = {"type": "http", "scheme": "bearer",
           "description": "Device token from POST /api/v1/customer/auth/verify"}

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _modules():
    for name in OPENAPI_SOURCES:
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is not None:
            yield importlib.import_module(name)


def build_document(bank_name: str = "Cloud Outlet Bank") -> dict:
    """The merged OpenAPI document (paths of every installed source module)."""
    paths: dict = {}
    schemas: dict = {"Problem": PROBLEM_SCHEMA}
    for module in _modules():
        for path, operations in getattr(module, "OPENAPI_PATHS", {}).items():
            paths.setdefault(path, {}).update(operations)
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{bank_name} customer API", "version": "1",
                 "description": "JSON endpoints used by the bank's mobile app. Realtime events "
                                "(Socket.IO) are described in docs/customer-protocol.md."},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas, "securitySchemes": {
            "bearerAuth": _BEARER, "deviceToken": _BEARER}},
    }


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document of the customer API."""
    return jsonify(build_document(current_app.config.get("BANK_NAME", "Cloud Outlet Bank")))

"""JSON API for native apps: `/api/v1/customer/auth/...` (bearer tokens, no cookies)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from workstation.customer_auth import service
from workstation.customer_auth.decorators import customer_required
from workstation.errors import ValidationFailed
from workstation.extensions import limiter
from workstation.masking import mask_phone
from workstation.web import client_ip

bp = Blueprint("customer_auth_api", __name__, url_prefix="/api/v1/customer/auth")

CODE_REQUEST_LIMIT = "5 per minute;30 per hour"
VERIFY_LIMIT = "20 per minute"


def json_body() -> dict:
    """The request's JSON object; a clear 422 when it is missing or not an object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("Send a JSON object with Content-Type: application/json.")
    return body


def text_field(body: dict, name: str, *, required: bool = True, limit: int = 200) -> str:
    """A string field of a JSON body, trimmed; 422 when missing or of the wrong type."""
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ValidationFailed(f"'{name}' must be a string.")
    value = value.strip()
    if required and not value:
        raise ValidationFailed(f"'{name}' is required.")
    if len(value) > limit:
        raise ValidationFailed(f"'{name}' is longer than {limit} characters.")
    return value


def device_json(device) -> dict:
    """The public description of a signed-in device."""
    return {"id": device.id, "kind": device.kind, "name": device.name,
            "created_at": device.created_at.isoformat(),
            "last_seen_at": device.last_seen_at.isoformat(),
            "expires_at": device.expires_at.isoformat()}


def customer_json(customer) -> dict:
    """What the app may show about the signed-in customer."""
    return {"id": customer.id, "name": customer.full_name, "phone": mask_phone(customer.phone),
            "language": customer.preferred_language}


@bp.post("/code")
@limiter.limit(CODE_REQUEST_LIMIT)
def request_code():
    """Send a one-time code by SMS; 202 with the challenge id (same answer for any number)."""
    phone = text_field(json_body(), "phone", limit=32)
    challenge = service.request_code(phone, ip=client_ip(), request_id=g.request_id)
    return jsonify(challenge_id=challenge.public_id,
                   expires_in=int(service.CODE_LIFETIME.total_seconds()),
                   max_attempts=service.MAX_ATTEMPTS), 202


@bp.post("/verify")
@limiter.limit(VERIFY_LIMIT)
def verify():
    """Exchange challenge id + code for a device bearer token."""
    body = json_body()
    signed_in = service.verify_code(
        text_field(body, "challenge_id", limit=64), text_field(body, "code", limit=12),
        kind="app", device_name=text_field(body, "device_name", required=False, limit=120),
        ip=client_ip(), request_id=g.request_id,
    )
    return jsonify(token=signed_in.token, device=device_json(signed_in.device),
                   customer=customer_json(signed_in.customer))


@bp.get("/me")
@customer_required
def me():
    """The signed-in customer and the device the token belongs to."""
    return jsonify(customer=customer_json(g.customer), device=device_json(g.customer_device))


@bp.get("/devices")
@customer_required
def devices():
    """Every device the customer is signed in on."""
    return jsonify(devices=[device_json(d) for d in service.devices_of(g.customer.id)],
                   current_device_id=g.customer_device.id)


@bp.delete("/devices/<int:device_id>")
@customer_required
def revoke(device_id: int):
    """Sign one of the customer's devices out (its token stops working)."""
    actor = service.customer_actor(g.customer, client_ip(), g.request_id)
    service.revoke_device(actor, g.customer.id, device_id, reason="revoked_by_customer")
    return "", 204


@bp.post("/sign-out")
@customer_required
def sign_out():
    """Revoke the calling device's own token."""
    actor = service.customer_actor(g.customer, client_ip(), g.request_id)
    service.revoke_device(actor, g.customer.id, g.customer_device.id)
    return "", 204

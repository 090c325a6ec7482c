"""`customer_required`: the guard for every view a signed-in customer uses."""

from __future__ import annotations

from functools import wraps

from flask import g, jsonify, redirect, request, session, url_for

from workstation.customer_auth import service
from workstation.extensions import csrf

SESSION_DEVICE_KEY = "customer_device_id"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _refuse():
    if _wants_json():
        body = {"type": "about:blank", "title": "Sign-in required", "status": 401,
                "detail": "Sign in with your phone number and a one-time code."}
        response = jsonify(body)
        response.status_code = 401
        response.mimetype = "application/problem+json"
        response.headers["WWW-Authenticate"] = 'Bearer realm="customer"'
        return response
    if request.headers.get("HX-Request") == "true":
        return "", 204, {"HX-Redirect": url_for("mobile.sign_in")}
    return redirect(url_for("mobile.sign_in", next=request.full_path if request.method == "GET"
                            else None))


def resolve_customer() -> bool:
    """Set g.customer and g.customer_device from a bearer token or the mobile web session."""
    token = bearer_token()
    if token is not None:
        device = service.device_for_token(token)
        g.customer_auth_via = "bearer"
    else:
        device = service.active_device(session.get(SESSION_DEVICE_KEY))
        g.customer_auth_via = "session"
        if device is None:
            session.pop(SESSION_DEVICE_KEY, None)
    if device is None:
        return False
    service.touch(device)
    g.customer_device = device
    g.customer = device.customer
    return True


def customer_required(view):
    """Only a signed-in customer may use the view; sets g.customer and g.customer_device."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not resolve_customer():
            return _refuse()
        if g.customer_auth_via == "session" and request.method not in SAFE_METHODS:
            # The JSON API is exempt from the global CSRF check for bearer clients;
            # a cookie-authenticated browser must still carry the token.
            csrf.protect()
        return view(*args, **kwargs)

    guarded.customer_required = True
    return guarded

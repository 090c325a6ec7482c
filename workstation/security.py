"""Request ids, security headers and session time-outs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# Pages send this header on requests nobody asked for (a poll, a refresh after a socket
# event, a panel loading itself): they must not keep an unattended session alive.
BACKGROUND_HEADER = "X-Background-Refresh"


def _now_ts() -> float:
    return datetime.now(UTC).timestamp()


def mark_signed_in() -> None:
    """Start the session clocks; called right after a successful second factor."""
    session.permanent = True
    session["signed_in_at"] = session["last_seen"] = _now_ts()


def session_expiry_reason(app: Flask) -> str | None:
    """Why the signed-in session is over (idle or absolute time-out), or None."""
    now = _now_ts()
    signed_in_at = session.get("signed_in_at", 0)
    last_seen = session.get("last_seen", 0)
    if now - signed_in_at > app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds():
        return "Your session reached its 12-hour limit. Please sign in again."
    if now - last_seen > app.config["SESSION_IDLE_TIMEOUT"].total_seconds():
        return "You were signed out after 15 minutes without activity."
    return None


def register_security(app: Flask) -> None:
    """Hook request ids, time-outs and headers into every request."""

    @app.before_request
    def _request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming[:64] if incoming.isascii() and incoming else uuid.uuid4().hex

    @app.before_request
    def _enforce_session_timeouts():
        if request.endpoint in (None, "static") or not current_user.is_authenticated:
            return None
        why = session_expiry_reason(app)
        if why:
            logout_user()
            session.clear()
            flash(why, "warning")
            target = url_for("auth.login")
            if request.headers.get("HX-Request") == "true":
                return "", 204, {"HX-Redirect": target}
            return redirect(target)
        if request.headers.get(BACKGROUND_HEADER) != "1":
            session["last_seen"] = _now_ts()
        if current_user.must_change_password and request.endpoint not in (
            "auth.change_password",
            "auth.logout",
        ):
            return redirect(url_for("auth.change_password"))
        return None

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.vary.add("HX-Request")
        if current_user and getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

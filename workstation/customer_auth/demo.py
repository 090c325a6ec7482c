"""`/demo/sms-outbox`: the text messages the shipped SMS gateway "sent" (demo mode, staff)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_login import login_required

from workstation.customer_auth.sms import recent_messages
from workstation.customers.registry import normalise_phone
from workstation.errors import ValidationFailed

bp = Blueprint("sms_demo", __name__, url_prefix="/demo")


@bp.get("/sms-outbox")
@login_required
def sms_outbox():
    """Newest messages first; ?phone= narrows to one number, ?format=json for tools."""
    if not current_app.config.get("DEMO_MODE"):
        abort(404)
    phone = request.args.get("phone", "").strip()
    try:
        normalised = normalise_phone(phone) if phone else None
    except ValidationFailed:
        normalised = "invalid"
    messages = recent_messages(normalised)
    if request.args.get("format") == "json":
        return jsonify(messages=[{"id": m.id, "phone": m.phone, "body": m.body,
                                  "created_at": m.created_at.isoformat()} for m in messages])
    return render_template("customer_auth/sms_outbox.html", messages=messages, phone=phone)

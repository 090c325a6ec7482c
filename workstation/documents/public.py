"""The public verify page that a document's QR code and printed code lead to."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from workstation.documents.lifecycle import verify_code
from workstation.documents.printing import format_code, normalise_code
from workstation.documents.texts import format_money
from workstation.errors import NotFound
from workstation.extensions import limiter
from workstation.web import current_actor

bp = Blueprint("verify", __name__, url_prefix="/verify")
VERIFY_LIMIT = "30 per minute;300 per hour"
ESSENTIAL_LABELS = {
    "holder": "Holder", "id_masked": "ID", "account": "Account", "amount": "Amount",
    "as_of": "Balance date", "period": "Period", "transactions": "Transactions",
    "reference": "Reference", "card": "Card", "branch": "Branch", "appointment": "Appointment",
}


@bp.get("/")
@limiter.limit(VERIFY_LIMIT)
def form():
    """Type a verification code (the page a printed copy points to)."""
    code = request.args.get("code", "")
    if code.strip():
        return redirect(url_for("verify.check", code=format_code(normalise_code(code))))
    return render_template("documents/verify.html", result=None, code="")


@bp.get("/<code>")
@limiter.limit(VERIFY_LIMIT)
def check(code: str):
    """Whether the document with this code is valid, revoked or expired."""
    try:
        result = verify_code(current_actor(), code)
    except NotFound as error:
        return render_template("documents/verify.html", result=None, code=code,
                               error=error.message), 404
    return render_template("documents/verify.html", result=result, code=code,
                           essential_labels=ESSENTIAL_LABELS, money=format_money)

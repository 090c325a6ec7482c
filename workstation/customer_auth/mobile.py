"""The mobile web client's shell: sign-in by phone and code, home, sign-out (under /m/)."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from workstation.customer_auth import service
from workstation.customer_auth.decorators import SESSION_DEVICE_KEY, customer_required
from workstation.errors import DomainError
from workstation.extensions import limiter
from workstation.masking import mask_phone
from workstation.web import client_ip

bp = Blueprint("mobile", __name__, url_prefix="/m")

CHALLENGE_KEY = "customer_challenge"
# Other areas add entries to the customer's home screen: (label, endpoint, description).
MOBILE_HOME_LINKS: list[tuple[str, str, str]] = []
# Other areas add sections to the home screen: templates included with g.customer set.
MOBILE_HOME_SECTIONS: list[str] = []


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/m/") and "//" not in target and "\\" not in target:
        return target
    return url_for("mobile.home")


@bp.get("/")
@customer_required
def home():
    """The customer's home screen: pending tasks and what they can do."""
    from workstation.customer_auth.home import home_context

    return render_template("mobile/home.html", links=MOBILE_HOME_LINKS,
                           sections=MOBILE_HOME_SECTIONS, **home_context(g.customer.id))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def sign_in():
    """Step one: the phone number the code is sent to."""
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("mobile/sign_in.html", next_url=next_url)
    phone = request.form.get("phone", "")
    try:
        challenge = service.request_code(phone, ip=client_ip(), request_id=g.request_id)
    except DomainError as error:
        return render_template("mobile/sign_in.html", error=error.message, phone=phone,
                               next_url=next_url), error.status_code
    session[CHALLENGE_KEY] = {"id": challenge.public_id, "phone": mask_phone(challenge.phone)}
    return redirect(url_for("mobile.enter_code", next=next_url))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def enter_code():
    """Step two: the 6-digit code from the text message."""
    pending = session.get(CHALLENGE_KEY)
    next_url = _safe_next(request.values.get("next"))
    if not pending:
        return redirect(url_for("mobile.sign_in"))
    if request.method == "GET":
        return render_template("mobile/code.html", phone=pending["phone"], next_url=next_url)
    try:
        signed_in = service.verify_code(
            pending["id"], request.form.get("code", "")[:12], kind="web",
            device_name=request.user_agent.string[:120], ip=client_ip(),
            request_id=g.request_id)
    except DomainError as error:
        return render_template("mobile/code.html", phone=pending["phone"], error=error.message,
                               next_url=next_url), error.status_code
    session.pop(CHALLENGE_KEY, None)
    session[SESSION_DEVICE_KEY] = signed_in.device.id
    return redirect(next_url)


@bp.post("/sign-out")
@customer_required
def sign_out():
    """End the mobile web session; the device record is revoked."""
    actor = service.customer_actor(g.customer, client_ip(), g.request_id)
    service.revoke_device(actor, g.customer.id, g.customer_device.id)
    session.pop(SESSION_DEVICE_KEY, None)
    return redirect(url_for("mobile.sign_in"))

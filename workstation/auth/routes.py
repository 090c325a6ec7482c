"""Sign-in pages: password, second factor, enrolment, password change, sign-out."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from workstation.auth import service, totp
from workstation.errors import DomainError
from workstation.extensions import limiter, login_manager
from workstation.security import mark_signed_in
from workstation.web import current_actor

bp = Blueprint("auth", __name__, url_prefix="/auth")

PENDING_KEY = "pending_staff_id"


def _policy() -> service.LockoutPolicy:
    return service.LockoutPolicy(
        threshold=current_app.config["LOCKOUT_THRESHOLD"],
        duration=current_app.config["LOCKOUT_DURATION"],
    )


@login_manager.user_loader
def _load_user(cookie_id: str):
    return service.load_signed_in_staff(cookie_id)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def login():
    """Username and password: the first factor."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    if request.method == "GET":
        return render_template("auth/login.html")
    username = request.form.get("username", "")
    try:
        staff = service.check_password(
            current_actor(), username, request.form.get("password", ""), _policy()
        )
    except DomainError as error:
        return render_template("auth/login.html", error=error.message, username=username), 401
    session.clear()
    session[PENDING_KEY] = staff.id
    if staff.has_second_factor:
        return redirect(url_for("auth.second_factor"))
    return redirect(url_for("auth.enrol"))


def _pending_staff_id() -> int | None:
    return session.get(PENDING_KEY)


def _complete_sign_in(staff) -> str:
    session.pop(PENDING_KEY, None)
    login_user(staff)
    mark_signed_in()
    return redirect(url_for("home.index"))


@bp.route("/second-factor", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def second_factor():
    """The 6-digit code from the staff member's authenticator app."""
    staff_id = _pending_staff_id()
    if staff_id is None:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("auth/second_factor.html")
    try:
        staff = service.check_second_factor(
            current_actor(), staff_id, request.form.get("code", ""), _policy()
        )
    except DomainError as error:
        return render_template("auth/second_factor.html", error=error.message), 401
    return _complete_sign_in(staff)


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def enrol():
    """First sign-in: show the QR code for an authenticator app, then confirm a code."""
    staff_id = _pending_staff_id()
    if staff_id is None:
        return redirect(url_for("auth.login"))
    try:
        secret, username = service.start_enrolment(staff_id)
    except DomainError:
        return redirect(url_for("auth.second_factor"))
    uri = totp.provisioning_uri(secret, username)
    context = {"qr": totp.qr_data_uri(uri), "secret": secret}
    if request.method == "GET":
        return render_template("auth/enrol.html", **context)
    try:
        staff = service.check_second_factor(
            current_actor(), staff_id, request.form.get("code", ""), _policy()
        )
    except DomainError as error:
        return render_template("auth/enrol.html", error=error.message, **context), 401
    flash("Your authenticator is set up.", "success")
    return _complete_sign_in(staff)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (required after an administrator set it)."""
    if request.method == "GET":
        return render_template("auth/password.html")
    try:
        service.change_password(
            current_actor(),
            current_user,
            request.form.get("current", ""),
            request.form.get("new", ""),
            request.form.get("repeat", ""),
            current_app.config["PASSWORD_MIN_LENGTH"],
        )
    except DomainError as error:
        return render_template("auth/password.html", error=error.message), error.status_code
    flash("Password changed.", "success")
    return redirect(url_for("home.index"))


@bp.post("/logout")
@login_required
def logout():
    """Sign out and forget the session."""
    service.record_sign_out(current_actor())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))

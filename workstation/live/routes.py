"""Staff pages of live sessions: the queue, the session room, invites and the live board."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from workstation.errors import DomainError
from workstation.extensions import db
from workstation.live import board, chat, invites, queue, service
from workstation.live.catalog import INVITE_LIFETIMES, OUTCOMES, SHARED_FORMS, TOPICS
from workstation.models import Customer, Role, Staff
from workstation.types import whole_number
from workstation.web import current_actor, render_page_or_fragment, roles_required

bp = Blueprint("live", __name__, url_prefix="/live")
SERVING = (Role.AGENT, Role.SUPERVISOR, Role.MANAGER)


@bp.get("/")
@login_required
def index():
    """Each role's starting point in live sessions."""
    if current_user.role == Role.MANAGER:
        return redirect(url_for("live.invite_list"))
    if current_user.role == Role.SUPERVISOR:
        return redirect(url_for("live.live_board"))
    return redirect(url_for("live.queue_page"))


@bp.get("/queue")
@roles_required(Role.AGENT, Role.SUPERVISOR)
def queue_page():
    """The waiting queue (refreshed live) and the agent's own sessions."""
    return render_page_or_fragment(
        "live/queue.html", "live/_queue.html", entries=queue.waiting_entries(),
        mine=service.staff_sessions(current_user.id), topics=TOPICS,
        active=queue.active_session_count(current_user.id))


@bp.post("/queue/take")
@roles_required(Role.AGENT, Role.SUPERVISOR)
def take_next():
    """Take the longest-waiting customer this agent can serve."""
    try:
        session = queue.take_next(current_actor(), current_user)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("live.queue_page"))
    return redirect(url_for("live.room", session_id=session.id))


@bp.get("/sessions/<int:session_id>")
@roles_required(*SERVING)
def room(session_id: int):
    """The session room: customer summary, video, chat, shared form, notes, transfer, end."""
    session = service.open_room(current_actor(), current_user, session_id)
    colleagues = db.session.scalars(select(Staff).where(
        Staff.active.is_(True), Staff.id != current_user.id,
        Staff.role.in_([Role.AGENT.value, Role.SUPERVISOR.value]))
        .order_by(Staff.role, Staff.full_name)).all()
    return render_template(
        "live/room.html", session=session, customer=session.customer,
        is_agent=session.agent_id == current_user.id, notes=service.notes_of(session.id),
        colleagues=colleagues, outcomes=OUTCOMES, forms=SHARED_FORMS, topics=TOPICS,
        messages=chat.history(session.id))


@bp.post("/sessions/<int:session_id>/notes")
@roles_required(*SERVING)
def add_note(session_id: int):
    """Add a staff-only note; htmx gets the refreshed note list."""
    session = service.session_for_staff(current_user, session_id)
    error = None
    try:
        service.add_note(current_actor(), current_user, session.id, request.form.get("body", ""))
    except DomainError as exc:
        error = exc.message
    return render_template("live/_notes.html", session=session, error=error,
                           notes=service.notes_of(session.id)), (422 if error else 200)


@bp.post("/sessions/<int:session_id>/transfer")
@roles_required(*SERVING)
def transfer(session_id: int):
    """Hand the session to a colleague with a note."""
    raw = request.form.get("to_staff_id", "")
    try:
        move = service.transfer(current_actor(), current_user, session_id,
                                whole_number(raw), request.form.get("note", ""))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("live.room", session_id=session_id))
    flash(f"Session handed over to {move.to_staff.full_name}.", "success")
    return redirect(url_for("live.index"))


@bp.post("/sessions/<int:session_id>/end")
@roles_required(*SERVING)
def end(session_id: int):
    """End the session with an outcome code."""
    try:
        service.end_session(current_actor(), current_user, session_id,
                            request.form.get("outcome", ""), request.form.get("note", ""))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("live.room", session_id=session_id))
    flash("Session ended; it is in the customer's service history.", "success")
    return redirect(url_for("live.index"))


@bp.post("/sessions/<int:session_id>/monitor")
@roles_required(Role.SUPERVISOR)
def monitor(session_id: int):
    """Join a session silently (the customer is told a supervisor is present)."""
    service.monitor(current_actor(), current_user, session_id)
    return redirect(url_for("live.room", session_id=session_id))


@bp.get("/board")
@roles_required(Role.SUPERVISOR)
def live_board():
    """Queue length, longest wait, sessions per agent, average handle time today."""
    return render_page_or_fragment("live/board.html", "live/_board.html",
                                   board=board.live_board(), topics=TOPICS)


@bp.get("/invites")
@roles_required(Role.MANAGER)
def invite_list():
    """Invite a customer of the portfolio; the open invites."""
    return _invite_page()


def _invite_page(issued=None, error=None, status=200):
    customers = db.session.scalars(select(Customer).where(
        Customer.manager_id == current_user.id).order_by(Customer.full_name)).all()
    return render_template(
        "live/invites.html", customers=customers, topics=TOPICS, lifetimes=INVITE_LIFETIMES,
        open_invites=invites.open_invites(current_user.id),
        mine=service.staff_sessions(current_user.id), issued=issued, error=error,
        form=request.form), status


@bp.post("/invites")
@roles_required(Role.MANAGER)
def create_invite():
    """Issue an invite: link, QR code and 6-digit code, shown once."""
    raw = request.form.get("customer_id", "")
    try:
        issued = invites.create_invite(
            current_actor(), current_user, whole_number(raw) or 0,
            request.form.get("topic", ""), request.form.get("lifetime", ""),
            request.form.get("message", ""))
    except DomainError as error:
        return _invite_page(error=error.message, status=error.status_code)
    link = url_for("live_mobile.invite_link", token=issued.token, _external=True)
    return _invite_page(issued={"invite": issued.invite, "code": issued.code, "link": link,
                                "qr": invites.invite_qr_svg(link)})


@bp.post("/invites/<int:invite_id>/cancel")
@roles_required(Role.MANAGER)
def cancel_invite(invite_id: int):
    """Withdraw an unused invite."""
    invites.cancel_invite(current_actor(), current_user, invite_id)
    flash("Invite withdrawn.", "success")
    return redirect(url_for("live.invite_list"))

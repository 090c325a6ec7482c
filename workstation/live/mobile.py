"""The customer's live-session screens in the mobile web client (under /m/live/)."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from workstation.customer_auth.decorators import customer_required
from workstation.customer_auth.service import customer_actor
from workstation.errors import DomainError
from workstation.extensions import limiter
from workstation.live import customer as customer_side
from workstation.live import invites, queue, service
from workstation.live.catalog import CONSENT_WORDING, TOPICS
from workstation.web import client_ip

bp = Blueprint("live_mobile", __name__, url_prefix="/m/live")


def _actor():
    return customer_actor(g.customer, ip=client_ip(), request_id=g.get("request_id", ""))


@bp.get("/")
@customer_required
def start():
    """Get help: back into a running session or the queue, else pick a topic (and the last
    session may be rated)."""
    current = service.active_session_of(g.customer.id)
    if current is not None:
        return redirect(url_for("live_mobile.session_page", session_id=current.id))
    if queue.waiting_entry(g.customer.id) is not None:
        return redirect(url_for("live_mobile.queue_page"))
    return _start_page()


def _start_page(error: str = "", status: int = 200):
    return render_template("live/mobile/start.html", topics=TOPICS, error=error,
                           to_rate=service.session_to_rate(g.customer.id)), status


@bp.post("/queue")
@customer_required
def join_queue():
    """Join the queue for the chosen topic."""
    try:
        queue.join_queue(_actor(), g.customer, request.form.get("topic", ""))
    except DomainError as error:
        return _start_page(error.message, error.status_code)
    return redirect(url_for("live_mobile.queue_page"))


@bp.get("/queue")
@customer_required
def queue_page():
    """Position and estimated wait, updated live until an agent takes the customer."""
    current = service.active_session_of(g.customer.id)
    if current is not None:
        return redirect(url_for("live_mobile.session_page", session_id=current.id))
    entry = queue.check_in(g.customer.id)
    if entry is None:
        return redirect(url_for("live_mobile.start"))
    return render_template("live/mobile/queue.html", place=queue.queue_place(entry),
                           topic=TOPICS[entry.topic])


@bp.post("/queue/leave")
@customer_required
def leave_queue():
    """Stop waiting."""
    queue.leave_queue(_actor(), g.customer)
    return redirect(url_for("mobile.home"))


@bp.route("/invite", methods=["GET", "POST"])
@customer_required
@limiter.limit("10 per minute", methods=["POST"])
def invite_code():
    """Join through the 6-digit code an adviser gave."""
    if request.method == "GET":
        return render_template("live/mobile/invite.html")
    try:
        session = invites.redeem_invite(_actor(), g.customer,
                                        code=request.form.get("code", "")[:12])
    except DomainError as error:
        return render_template("live/mobile/invite.html", error=error.message), \
            error.status_code
    return redirect(url_for("live_mobile.session_page", session_id=session.id))


@bp.route("/i/<token>", methods=["GET", "POST"])
@customer_required
@limiter.limit("10 per minute", methods=["POST"])
def invite_link(token: str):
    """An invite link (or scanned QR code): confirm, then join."""
    if request.method == "GET":
        return render_template("live/mobile/invite.html", token=token, topics=TOPICS,
                               invite=invites.invite_for_link(g.customer, token[:64]))
    try:
        session = invites.redeem_invite(_actor(), g.customer, token=token[:64])
    except DomainError as error:
        return render_template("live/mobile/invite.html", error=error.message), \
            error.status_code
    return redirect(url_for("live_mobile.session_page", session_id=session.id))


@bp.get("/s/<int:session_id>")
@customer_required
def session_page(session_id: int):
    """The session: consent, video, chat, shared form; the rating once it has ended."""
    session = service.session_for_customer(g.customer.id, session_id)
    if session.status != "active":
        return redirect(url_for("live_mobile.rate", session_id=session.id))
    return render_template("live/mobile/session.html", session=session,
                           wording=CONSENT_WORDING, topic=TOPICS.get(session.topic, ""),
                           invite=invites.invite_of_session(session.id))


@bp.route("/s/<int:session_id>/rate", methods=["GET", "POST"])
@customer_required
def rate(session_id: int):
    """Rate the ended session from 1 to 5 with an optional comment."""
    session = service.session_for_customer(g.customer.id, session_id)
    if request.method == "GET":
        return render_template("live/mobile/rate.html", session=session,
                               rating=customer_side.rating_of(session.id))
    try:
        customer_side.rate_session(_actor(), g.customer.id, session.id,
                                   request.form.get("score", ""), request.form.get("comment", ""))
    except DomainError as error:
        return render_template("live/mobile/rate.html", session=session,
                               error=error.message), error.status_code
    return render_template("live/mobile/rate.html", session=session, thanked=True)

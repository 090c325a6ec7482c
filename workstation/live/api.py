"""JSON API of live sessions for native apps (`/api/v1/live/...`, bearer device token)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from workstation.customer_auth.decorators import customer_required
from workstation.customer_auth.service import customer_actor
from workstation.errors import ValidationFailed
from workstation.extensions import limiter
from workstation.live import customer as customer_side
from workstation.live import invites, queue, service
from workstation.live.catalog import CONSENT_VERSION, CONSENT_WORDING, TOPICS
from workstation.live.signaling import ice_servers
from workstation.live.state import session_json
from workstation.web import client_ip

bp = Blueprint("live_api", __name__, url_prefix="/api/v1/live")


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("Send a JSON object with Content-Type: application/json.")
    return body


def _actor():
    return customer_actor(g.customer, ip=client_ip(), request_id=g.get("request_id", ""))


@bp.get("/config")
@customer_required
def config():
    """Topics, consent wording and the STUN/TURN servers for RTCPeerConnection."""
    return jsonify({"topics": TOPICS, "ice_servers": ice_servers(),
                    "consent": {"version": CONSENT_VERSION, "wording": CONSENT_WORDING}})


@bp.get("/queue")
@customer_required
def queue_status():
    """The customer's place in the queue (a check-in: poll at least every minute), or the
    current session."""
    current = service.active_session_of(g.customer.id)
    entry = queue.check_in(g.customer.id)
    return jsonify({
        "session_id": current.id if current else None,
        "queue": queue.queue_place(entry).as_json() if entry and not current else None,
    })


@bp.post("/queue")
@customer_required
def join_queue():
    """Join the queue for a topic; 201 with the place."""
    entry = queue.join_queue(_actor(), g.customer, _body().get("topic", ""))
    return jsonify(queue.queue_place(entry).as_json()), 201


@bp.delete("/queue")
@customer_required
def leave_queue():
    """Leave the queue; 204 (also when not waiting)."""
    queue.leave_queue(_actor(), g.customer)
    return "", 204


@bp.post("/invites/redeem")
@customer_required
@limiter.limit("10 per minute")
def redeem_invite():
    """Join an adviser's session by 6-digit code or link token; 201 with the session."""
    body = _body()
    code, token = body.get("code", ""), body.get("token", "")
    if not isinstance(code, str) or not isinstance(token, str) or not (code or token):
        raise ValidationFailed("Send 'code' (6 digits) or 'token' (from the invite link).")
    session = invites.redeem_invite(_actor(), g.customer, code=code[:12], token=token[:64])
    return jsonify(session_json(session)), 201


@bp.get("/sessions/current")
@customer_required
def current_session():
    """The active session, or the last one still waiting for a rating; 404 if none."""
    session = service.current_session_of(g.customer.id)
    if session is None:
        return jsonify({"type": "about:blank", "title": "No session", "status": 404,
                        "detail": "You have no live session."}), 404
    return jsonify(session_json(session))


@bp.get("/sessions/<int:session_id>")
@customer_required
def session_detail(session_id: int):
    """One of the customer's sessions (chat, form, consent, participants)."""
    return jsonify(session_json(service.session_for_customer(g.customer.id, session_id)))


@bp.post("/sessions/<int:session_id>/consent")
@customer_required
def consent(session_id: int):
    """Answer a consent screen: {"kind": "media"|"cobrowse", "granted": bool}."""
    body = _body()
    record = customer_side.record_consent(
        _actor(), g.customer.id, session_id, body.get("kind"), body.get("granted"),
        request.headers.get("User-Agent", ""))
    return jsonify({"consent_id": record.id, "kind": record.kind,
                    "granted": record.granted}), 201


@bp.post("/sessions/<int:session_id>/end")
@customer_required
def end(session_id: int):
    """The customer ends the session."""
    service.customer_end(_actor(), g.customer.id, session_id)
    return "", 204


@bp.post("/sessions/<int:session_id>/rating")
@customer_required
def rate(session_id: int):
    """Rate an ended session: {"score": 1-5, "comment": "..."}."""
    body = _body()
    rating = customer_side.rate_session(_actor(), g.customer.id, session_id,
                                        body.get("score"), body.get("comment", ""))
    return jsonify({"score": rating.score, "comment": rating.comment}), 201

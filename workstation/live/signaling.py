"""WebRTC signaling: validate an offer, answer or ICE candidate and relay it to the other side
of the session (the customer's devices, or the serving agent's page)."""

from __future__ import annotations

import json
import logging

from flask import current_app

from workstation.errors import ValidationFailed
from workstation.live import notify
from workstation.live.models import LiveSession
from workstation.live.service import require_active

SDP_MAX = 100_000
CANDIDATE_MAX = 2_000
SIGNAL_TYPES = {"offer", "answer", "candidate", "bye"}
log = logging.getLogger(__name__)


def _clean_candidate(candidate: object) -> dict | None:
    if candidate is None:  # end of candidates
        return None
    if not isinstance(candidate, dict):
        raise ValidationFailed("An ICE candidate is an object.", code="bad_signal")
    text = candidate.get("candidate", "")
    mid = candidate.get("sdpMid")
    index = candidate.get("sdpMLineIndex")
    if not isinstance(text, str) or len(text) > CANDIDATE_MAX:
        raise ValidationFailed("Malformed ICE candidate.", code="bad_signal")
    if mid is not None and (not isinstance(mid, str) or len(mid) > 64):
        raise ValidationFailed("Malformed ICE candidate.", code="bad_signal")
    if index is not None and (not isinstance(index, int) or isinstance(index, bool)
                              or not 0 <= index < 64):
        raise ValidationFailed("Malformed ICE candidate.", code="bad_signal")
    return {"candidate": text, "sdpMid": mid, "sdpMLineIndex": index}


def clean_signal(payload: dict) -> dict:
    """The relayable part of a signaling message; ValidationFailed when it is malformed."""
    kind = payload.get("type")
    if kind not in SIGNAL_TYPES:
        raise ValidationFailed("Unknown signaling message type.", code="bad_signal")
    frame: dict = {"type": kind}
    if kind in ("offer", "answer"):
        sdp = payload.get("sdp")
        if not isinstance(sdp, str) or not sdp.startswith("v=0") or len(sdp) > SDP_MAX:
            raise ValidationFailed("Malformed session description.", code="bad_signal")
        frame["sdp"] = sdp
    elif kind == "candidate":
        frame["candidate"] = _clean_candidate(payload.get("candidate"))
    return frame


def relay(session: LiveSession, side: str, payload: dict) -> None:
    """Pass a signaling message from one side of an active session to the other."""
    require_active(session)
    frame = {**clean_signal(payload), "session_id": session.id, "from": side}
    if side == "staff":
        notify.to_session_customer(session.id, "live:signal", frame)
    else:
        notify.to_session_agent(session.id, "live:signal", frame)


def ice_servers() -> list[dict]:
    """STUN/TURN servers for RTCPeerConnection, from configuration (ICE_SERVERS)."""
    return list(current_app.config.get("ICE_SERVERS") or [])


def parse_ice_servers(raw: str | None) -> list[dict]:
    """Read ICE_SERVERS (a JSON list of RTCIceServer objects); [] when unset or invalid."""
    if not raw:
        return []
    try:
        servers = json.loads(raw)
    except ValueError:
        log.warning("ICE_SERVERS is not valid JSON; using no STUN/TURN servers")
        return []
    if not isinstance(servers, list) or not all(
            isinstance(s, dict) and isinstance(s.get("urls"), str | list) for s in servers):
        log.warning("ICE_SERVERS must be a list of {urls, username?, credential?} objects")
        return []
    return servers

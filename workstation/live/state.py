"""The JSON picture of a session that a page or app receives when it (re)joins."""

from __future__ import annotations

from workstation.live import chat
from workstation.live.catalog import OUTCOMES, TOPICS
from workstation.live.cobrowse import form_json
from workstation.live.customer import latest_consent
from workstation.live.invites import invite_of_session
from workstation.live.models import LiveSession
from workstation.live.service import participants_json
from workstation.live.signaling import ice_servers


def _consent(session_id: int, kind: str) -> bool | None:
    record = latest_consent(session_id, kind)
    return None if record is None else record.granted


def session_json(session: LiveSession) -> dict:
    """Everything both sides may know about the session (no staff notes, no private values)."""
    return {
        "id": session.id,
        "status": session.status,
        "topic": session.topic,
        "topic_label": TOPICS.get(session.topic, session.topic),
        "agent_name": session.agent.full_name,
        "invite_message": getattr(invite_of_session(session.id), "message", ""),
        "participants": participants_json(session),
        "media_state": session.media_state,
        "consent": {"media": _consent(session.id, "media"),
                    "cobrowse": _consent(session.id, "cobrowse")},
        "form": form_json(session),
        "chat": [chat.message_json(m) for m in chat.history(session.id)],
        "ended_by": session.ended_by,
        "outcome": OUTCOMES.get(session.outcome_code, ""),
        "ice_servers": ice_servers(),
    }

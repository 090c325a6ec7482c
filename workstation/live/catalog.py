"""Fixed vocabularies of live sessions: topics, outcome codes, shared forms, consent wording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

TOPICS = {
    "card": "Card problem (lost, stolen, blocked)",
    "password": "Password or PIN",
    "new_card": "New card",
    "appointment": "Appointment at a branch",
    "certificate": "Certificate or statement",
    "other": "Something else",
}

OUTCOMES = {
    "resolved": "Resolved",
    "follow_up": "Follow-up needed",
    "referred_branch": "Referred to a branch",
    "customer_left": "Customer left",
    "technical_failure": "Technical failure",
    "not_eligible": "Not eligible",
}

CHAT_MAX_CHARS = 2000
NOTE_MAX_CHARS = 4000
TRANSFER_NOTE_MIN = 5
COMMENT_MAX_CHARS = 1000
FIELD_MAX_CHARS = 200
INVITE_LIFETIMES = {"15": timedelta(minutes=15), "60": timedelta(hours=1),
                    "1440": timedelta(days=1)}
INVITE_FAILURE_LIMIT = 5
INVITE_FAILURE_WINDOW = timedelta(minutes=15)
DEFAULT_HANDLE_SECONDS = 300
QUEUE_PRESENCE_TIMEOUT = timedelta(minutes=2)


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    private: bool = False
    kind: str = "text"


# Forms the agent shares and the customer fills in and sends (workstation/live/cobrowse.py
# applies what a sent form changes).
SHARED_FORMS: dict[str, tuple[str, tuple[FormField, ...]]] = {
    "contact_update": (
        "Update contact details",
        (
            FormField("address", "New postal address"),
            FormField("email", "New e-mail", kind="email"),
            FormField("id_number", "Your ID number, to confirm it is you", private=True,
                      kind="password"),
        ),
    ),
}
MAX_WRONG_ID_NUMBERS = 3  # per session: then the form can no longer be sent

CONSENT_VERSION = "2026-11-29"
CONSENT_WORDING = {
    "media": (
        "The bank will use your camera and microphone for this video session. The video is "
        "not recorded. You can switch your camera or microphone off at any time."
    ),
    "cobrowse": (
        "Your adviser will see what you type into the shared form, except fields marked "
        "private: your adviser sees only dots. When you send the form, the bank checks the "
        "private fields and keeps them nowhere."
    ),
}


def form_fields(form_name: str) -> tuple[FormField, ...]:
    """The fields of a shared form (empty when the form is unknown)."""
    entry = SHARED_FORMS.get(form_name)
    return entry[1] if entry else ()


def skill_list(skills: str) -> set[str]:
    """A staff member's topics from the comma-separated Staff.skills column."""
    return {s.strip() for s in (skills or "").split(",") if s.strip()}


MAX_ID = 2**31 - 1


def valid_id(value: object) -> bool:
    """Whether a value can be a row id (an int the database column can hold)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID

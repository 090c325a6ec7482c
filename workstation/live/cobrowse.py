"""Co-browsing a shared form: both sides see each other's typing; a private field's clear value
stays on the customer's device, and staff see only as many dots as were typed."""

from __future__ import annotations

from workstation.errors import Conflict, ValidationFailed
from workstation.extensions import db
from workstation.live import chat, notify
from workstation.live.catalog import FIELD_MAX_CHARS, SHARED_FORMS, form_fields
from workstation.live.customer import latest_consent
from workstation.live.models import LiveSession
from workstation.live.service import require_active
from workstation.masking import MASK


def form_json(session: LiveSession) -> dict | None:
    """The shared form as both sides render it: fields, current values, consent."""
    if not session.form_name:
        return None
    title, fields = SHARED_FORMS[session.form_name]
    consent = latest_consent(session.id, "cobrowse")
    return {
        "name": session.form_name,
        "title": title,
        "fields": [{"name": f.name, "label": f.label, "private": f.private, "kind": f.kind}
                   for f in fields],
        "values": dict(session.form_values or {}),
        "consent": None if consent is None else consent.granted,
    }


def open_form(session: LiveSession, form_name: object, staff_name: str) -> dict:
    """Staff share a form; the customer is asked for co-browse consent first if needed."""
    require_active(session)
    if form_name not in SHARED_FORMS:
        raise ValidationFailed("Unknown form.", code="bad_form")
    session.form_name = form_name
    session.form_values = {}
    message = chat.system_message(
        session, f"{staff_name} shared the form “{SHARED_FORMS[form_name][0]}”.")
    db.session.commit()
    data = {"session_id": session.id, "form": form_json(session)}
    notify.to_session_staff(session.id, "live:form:opened", data)
    notify.to_session_customer(session.id, "live:form:opened", data)
    chat.broadcast(session.id, message)
    return data["form"]


def _field(session: LiveSession, name: object):
    field = next((f for f in form_fields(session.form_name) if f.name == name), None)
    if field is None:
        raise ValidationFailed("Unknown field.", code="bad_field")
    return field


def _require_consent(session: LiveSession) -> None:
    consent = latest_consent(session.id, "cobrowse")
    if consent is None or not consent.granted:
        raise Conflict("The customer has not agreed to co-browsing.", code="no_cobrowse_consent")


def change_field(session: LiveSession, side: str, payload: dict) -> dict:
    """Apply one field change from the customer or staff and relay it to the other side."""
    require_active(session)
    _require_consent(session)
    field = _field(session, payload.get("field"))
    if field.private:
        value = _private_mask(side, payload)
    else:
        value = payload.get("value")
        if not isinstance(value, str) or len(value) > FIELD_MAX_CHARS:
            raise ValidationFailed(f"A field holds text of at most {FIELD_MAX_CHARS} characters.",
                                   code="bad_value")
    session.form_values = {**(session.form_values or {}), field.name: value}
    db.session.commit()
    data = {"session_id": session.id, "field": field.name, "value": value, "by": side,
            "private": field.private}
    notify.to_session_staff(session.id, "live:form", data)
    if side == "staff":
        notify.to_session_customer(session.id, "live:form", data)
    return data


def _private_mask(side: str, payload: dict) -> str:
    # Only the customer fills a private field, and only its length travels: a frame that
    # carries a value is refused whole, so the clear text is never stored or relayed.
    if side != "customer":
        raise ValidationFailed("Only the customer fills in a private field.",
                               code="private_field")
    if "value" in payload:
        raise ValidationFailed("A private field's value stays on your device.",
                               code="private_value_refused")
    length = payload.get("length")
    if not isinstance(length, int) or isinstance(length, bool) or not 0 <= length <= 64:
        raise ValidationFailed("A private field reports only its length.", code="bad_length")
    return MASK * length

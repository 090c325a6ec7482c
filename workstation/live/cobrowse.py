"""Co-browsing a shared form: both sides see each other's typing; a private field's clear value
stays on the customer's device while they type, and staff see only as many dots as were typed.
The customer sends the form when it is done: the private fields go to the bank then, once, to
be checked (never stored, relayed or logged), and the form's changes are applied."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from workstation import audit
from workstation.customers.registry import has_id_number
from workstation.errors import Conflict, ValidationFailed
from workstation.extensions import db
from workstation.live import chat, notify
from workstation.live.catalog import (
    FIELD_MAX_CHARS,
    MAX_WRONG_ID_NUMBERS,
    SHARED_FORMS,
    form_fields,
)
from workstation.live.customer import latest_consent
from workstation.live.models import LiveSession
from workstation.live.service import require_active
from workstation.masking import MASK
from workstation.models import AuditEvent, Customer


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


SENT = "customer.contact_update"  # the audit action of every sending, refused ones too


def send_form(actor: audit.Actor, session: LiveSession, private: object) -> dict:
    """The customer sends the shared contact form: their ID number (typed privately) is
    checked against the record, then the new address and e-mail are applied. Both sides are
    told what changed; the form closes."""
    require_active(session)
    _require_consent(session)
    if session.form_name != "contact_update":
        raise ValidationFailed("There is no form to send.", code="no_form")
    customer = db.session.get(Customer, session.customer_id)
    _confirm_identity(actor, session, customer, private)
    changes = _contact_changes(customer, session.form_values or {})
    for name, value in changes.items():
        setattr(customer, name, value)
    labels = ", ".join({"address": "postal address", "email": "e-mail"}[n] for n in changes)
    audit.record(actor, SENT, customer_id=customer.id, object_type="live_session",
                 object_id=session.id, detail={"changed": sorted(changes)})
    message = chat.system_message(session, f"The customer updated their {labels}.")
    session.form_name, session.form_values = "", {}
    db.session.commit()
    data = {"session_id": session.id, "changed": sorted(changes)}
    notify.to_session_staff(session.id, "live:form:sent", data)
    notify.to_session_customer(session.id, "live:form:sent", data)
    chat.broadcast(session.id, message)
    return data


def _confirm_identity(actor: audit.Actor, session: LiveSession, customer: Customer,
                      private: object) -> None:
    wrong = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == SENT, AuditEvent.object_type == "live_session",
        AuditEvent.object_id == str(session.id), AuditEvent.outcome == "wrong_id_number"))
    if wrong >= MAX_WRONG_ID_NUMBERS:
        raise Conflict("The ID number was wrong too often in this session; your adviser can "
                       "help at a branch.", code="too_many_attempts")
    typed = private.get("id_number") if isinstance(private, dict) else None
    if not isinstance(typed, str) or not 15 <= len(typed.strip()) <= 18:
        raise ValidationFailed("Type your ID number in the private field.", code="no_id_number")
    if not has_id_number(customer, typed):
        audit.record(actor, SENT, customer_id=customer.id, object_type="live_session",
                     object_id=session.id, outcome="wrong_id_number")
        db.session.commit()
        left = MAX_WRONG_ID_NUMBERS - wrong - 1
        raise ValidationFailed(f"The ID number does not match our records ({left} "
                               f"{'try' if left == 1 else 'tries'} left).", code="id_mismatch")


def _contact_changes(customer: Customer, values: dict) -> dict:
    changes = {}
    address = (values.get("address") or "").strip()
    if address and address != customer.address:
        changes["address"] = address[:255]
    email = (values.get("email") or "").strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise ValidationFailed("The e-mail address is not valid.", code="bad_email") from None
        if email != customer.email:
            changes["email"] = email
    if not changes:
        raise ValidationFailed("Fill in a new postal address or e-mail to send.",
                               code="nothing_to_send")
    return changes

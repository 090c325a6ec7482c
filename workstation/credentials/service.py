"""PIN and online-banking password resets, as staff start, follow and cancel them.

The customer proves who they are with a one-time code texted to the registered phone and
typed on the device, confirms the reset (the card named, masked), then types the new secret
twice on the device. Staff only ever see the status.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from workstation import audit
from workstation.cards import device, risk, states
from workstation.cards.common import (
    card_of,
    clean_key,
    clean_reason,
    customer_for,
    masked,
    refuse_repeat,
)
from workstation.credentials import identity
from workstation.credentials.models import CredentialReset
from workstation.errors import Conflict, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.masking import mask_phone
from workstation.models import Customer, Staff
from workstation.tasks.service import create_task
from workstation.types import utcnow

SUBJECT = "credential_reset"
KINDS = {"pin": "card PIN reset", "password": "online-banking password reset"}


def start_reset(actor: audit.Actor, staff: Staff, customer_id: int, kind: str, card_id,
                reason: str, request_key: str) -> CredentialReset:
    """Start a reset: a code goes to the registered phone, a code task to the device."""
    if kind not in KINDS:
        raise ValidationFailed("Choose a PIN reset or a password reset.")
    reason, request_key = clean_reason(reason), clean_key(request_key)
    customer = customer_for(actor, staff, customer_id, "credential.reset_started")
    refuse_repeat(CredentialReset, request_key)
    card = None
    if kind == "pin":
        card = card_of(customer, card_id)
        states.require("pin_reset", card.status)
    if _open_reset(customer.id, kind, card.id if card else None) is not None:
        raise Conflict(f"A {KINDS[kind]} for this customer is already in progress; "
                       "cancel it or wait for it to end.")
    reset = CredentialReset(customer_id=customer.id, card_id=card.id if card else None,
                            kind=kind, status="waiting", step="code", staff_id=staff.id,
                            reason=reason, request_key=request_key)
    db.session.add(reset)
    db.session.flush()
    challenge = identity.send_code(customer, KINDS[kind])
    reset.challenge_public_id = challenge.public_id
    push_code_task(actor, reset, customer, "")
    audit.record(actor, f"credential.{kind}_reset_started", customer_id=customer.id,
                 object_type="credential_reset", object_id=reset.id, reason=reason,
                 detail={"card": masked(card) if card else "", "phone": mask_phone(
                     customer.phone)})
    risk.check_customer(customer.id, staff.id)
    risk.check_staff_resets(staff.id)
    device.announce_change(customer.id, "credential_reset")
    db.session.commit()
    return reset


def _open_reset(customer_id: int, kind: str, card_id: int | None) -> CredentialReset | None:
    query = select(CredentialReset).where(CredentialReset.customer_id == customer_id,
                                          CredentialReset.kind == kind,
                                          CredentialReset.status == "waiting")
    if card_id is not None:
        query = query.where(CredentialReset.card_id == card_id)
    return db.session.scalar(query)


def push_code_task(actor: audit.Actor, reset: CredentialReset, customer: Customer,
                   note: str) -> None:
    """Ask the device for the texted code (again, with a note, after a wrong one)."""
    prompt = (f"{note} " if note else "") + (
        f"To confirm the {KINDS[reset.kind]}, enter the 6-digit code we sent by text "
        f"message to {mask_phone(customer.phone)}.")
    task = create_task(actor, customer.id, "code",
                       {"title": "Confirm it is you", "prompt": prompt, "length": 6},
                       expires_in=identity.CODE_LIFETIME, subject=(SUBJECT, reset.id))
    reset.task_public_id = task.public_id


def cancel_reset(actor: audit.Actor, staff: Staff, customer_id: int, reset_id,
                 reason: str) -> CredentialReset:
    """Stop a reset still waiting for the customer; its task and code stop working."""
    from workstation.tasks.service import cancel_task

    reason = clean_reason(reason)
    customer = customer_for(actor, staff, customer_id, "credential.reset_cancelled")
    reset = reset_of(customer.id, reset_id)
    if not reset.is_open:
        raise Conflict(f"This reset has already ended ({reset.status_label.lower()}).")
    finish(reset, "cancelled", "Cancelled by staff.")
    cancel_task(actor, customer.id, reset.task_public_id, "Withdrawn by the bank.")
    audit.record(actor, f"credential.{reset.kind}_reset_cancelled", customer_id=customer.id,
                 object_type="credential_reset", object_id=reset.id, reason=reason)
    device.announce_change(customer.id, "credential_reset")
    db.session.commit()
    return reset


def reset_of(customer_id: int, reset_id, *, lock: bool = True) -> CredentialReset:
    """One of the customer's resets (row-locked)."""
    try:
        reset_id = int(reset_id)
    except (TypeError, ValueError):
        raise NotFound("No such reset.") from None
    query = select(CredentialReset).where(CredentialReset.id == reset_id)
    reset = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if reset is None or reset.customer_id != customer_id:
        raise NotFound("No such reset for this customer.")
    return reset


def finish(reset: CredentialReset, status: str, note: str = "") -> None:
    """Close a reset; its code can no longer be used."""
    reset.status = status
    reset.finished_at = utcnow()
    reset.outcome_note = note[:255]
    if reset.challenge_public_id:
        identity.retire_code(reset.challenge_public_id)


def resets_of(customer_id: int, limit: int = 10) -> list[CredentialReset]:
    """The customer's latest resets, newest first (status only)."""
    return list(db.session.scalars(
        select(CredentialReset).where(CredentialReset.customer_id == customer_id)
        .order_by(CredentialReset.id.desc()).limit(limit)))


def attempts_allowed(name: str) -> int:
    """How many wrong codes (or refused secrets) end a reset."""
    return int(current_app.config[name])

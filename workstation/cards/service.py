"""Card requests: lock, unlock, formal and verbal loss reports, activation of a new card.

Staff start a request; the customer confirms it on the device (a confirm task), and only
then does the card's status change. A verbal report blocks the card at once and lapses
after the configured number of days unless the customer confirms a formal report.
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
from workstation.cards.models import CardReplacement, CardRequest
from workstation.cards.settings import confirm_lifetime, verbal_report_lifetime
from workstation.errors import Conflict, ValidationFailed
from workstation.extensions import db
from workstation.localtime import zone_of
from workstation.models import Card, Staff
from workstation.types import utcnow

SUBJECT = "card_request"
TITLES = {
    "lock": "Lock your card temporarily",
    "unlock": "Unlock your card",
    "formal_loss": "Report your card and block it for good",
    "activate": "Activate your new card",
}
DONE = {
    "lock": ("Card locked", "Your card {card} is locked. Ask us to unlock it at any time."),
    "unlock": ("Card unlocked", "Your card {card} works again."),
    "formal_loss": ("Card blocked for good",
                    "Your card {card} is reported {loss} and blocked for good. "
                    "A replacement can be ordered for you."),
    "activate": ("Card activated", "Your new card {card} is active."),
}


def _open_request(card_id: int) -> CardRequest | None:
    return db.session.scalar(select(CardRequest).where(
        CardRequest.card_id == card_id, CardRequest.status == "awaiting_customer"))


def _in_force_verbal(card_id: int) -> CardRequest | None:
    return db.session.scalar(select(CardRequest).where(
        CardRequest.card_id == card_id, CardRequest.kind == "verbal_loss",
        CardRequest.status == "in_force"))


def _check_loss_kind(kind: str, loss_kind: str) -> str:
    if kind not in ("formal_loss", "verbal_loss"):
        return ""
    if loss_kind not in states.LOSS_KINDS:
        raise ValidationFailed("Say what happened to the card: lost, stolen, damaged or kept "
                               "by an ATM.")
    return loss_kind


def _confirm_details(request: CardRequest, card: Card) -> list[tuple[str, str]]:
    rows = [("Card", masked(card)), ("Product", card.product)]
    if request.loss_kind:
        rows.append(("What happened", states.LOSS_LABELS[request.loss_kind]))
    if request.kind == "formal_loss":
        rows.append(("Effect", "The card is blocked for good and cannot be unlocked."))
    elif request.kind == "lock":
        rows.append(("Effect", "Payments and withdrawals are refused until it is unlocked."))
    return rows


def request_card_action(actor: audit.Actor, staff: Staff, customer_id: int, card_id,
                        kind: str, reason: str, request_key: str,
                        loss_kind: str = "") -> CardRequest:
    """Start a lock, unlock, formal loss report or activation; the customer confirms it."""
    if kind not in TITLES:
        raise ValidationFailed("Unknown card operation.")
    reason, request_key = clean_reason(reason), clean_key(request_key)
    customer = customer_for(actor, staff, customer_id, "card.action_requested")
    refuse_repeat(CardRequest, request_key)
    card = card_of(customer, card_id)
    states.require(kind, card.status)
    loss_kind = _check_loss_kind(kind, loss_kind)
    if kind == "activate":
        _replacement_ready_for(card)
    if _open_request(card.id) is not None:
        raise Conflict("A request for this card is already waiting for the customer's "
                       "confirmation; wait for it or cancel it first.")
    request = ask_for_confirmation(actor, card, kind, loss_kind, reason, staff.id, request_key,
                                   confirm_lifetime(current_app.config))
    if kind == "formal_loss":
        risk.check_customer(customer.id, staff.id)
    device.announce_change(customer.id, "card_request")
    db.session.commit()
    return request


def ask_for_confirmation(actor: audit.Actor, card: Card, kind: str, loss_kind: str,
                         reason: str, staff_id: int | None, request_key: str, lifetime,
                         summary: str = "") -> CardRequest:
    """Record a request and push its confirm task to the device (the caller commits)."""
    request = CardRequest(customer_id=card.customer_id, card_id=card.id, kind=kind,
                          loss_kind=loss_kind, status="awaiting_customer", reason=reason,
                          staff_id=staff_id, request_key=request_key,
                          previous_status=card.status, expires_at=utcnow() + lifetime)
    db.session.add(request)
    db.session.flush()
    task = device.ask_to_confirm(
        actor, card.customer_id, TITLES[kind],
        summary or f"{TITLES[kind]}: card {masked(card)}.",
        _confirm_details(request, card), (SUBJECT, request.id), lifetime)
    request.task_public_id = task.public_id
    audit.record(actor, f"card.{kind}_requested", customer_id=card.customer_id,
                 object_type="card", object_id=card.id, reason=reason,
                 detail={"request_id": request.id, "loss_kind": loss_kind,
                         "card": masked(card), "task": task.public_id})
    return request


def _replacement_ready_for(card: Card) -> CardReplacement:
    replacement = db.session.scalar(select(CardReplacement).where(
        CardReplacement.new_card_id == card.id))
    if replacement is None:
        return None
    if replacement.status not in ("ready_for_pickup", "delivered"):
        raise Conflict("The new card can be activated once it is delivered or ready for "
                       f"pickup; the order is now: {replacement.status_label.lower()}.")
    return replacement


def report_verbal_loss(actor: audit.Actor, staff: Staff, customer_id: int, card_id,
                       loss_kind: str, reason: str, request_key: str) -> CardRequest:
    """Block a card at once on the customer's word by phone; it lapses unless confirmed."""
    reason, request_key = clean_reason(reason), clean_key(request_key)
    customer = customer_for(actor, staff, customer_id, "card.verbal_loss_reported")
    refuse_repeat(CardRequest, request_key)
    card = card_of(customer, card_id)
    states.require("verbal_loss", card.status)
    loss_kind = _check_loss_kind("verbal_loss", loss_kind)
    if _open_request(card.id) is not None:
        raise Conflict("A request for this card is waiting for the customer; cancel it first.")
    now = utcnow()
    request = CardRequest(customer_id=customer.id, card_id=card.id, kind="verbal_loss",
                          loss_kind=loss_kind, status="in_force", reason=reason,
                          staff_id=staff.id, request_key=request_key,
                          previous_status=card.status,
                          expires_at=now + verbal_report_lifetime(current_app.config))
    db.session.add(request)
    db.session.flush()
    states.set_status(card, states.VERBAL_LOSS)
    audit.record(actor, "card.verbal_loss_reported", customer_id=customer.id,
                 object_type="card", object_id=card.id, reason=reason,
                 detail={"request_id": request.id, "loss_kind": loss_kind, "card": masked(card),
                         "expires_at": request.expires_at.isoformat()})
    # The customer can confirm the formal report on the phone for as long as the block holds.
    ask_for_confirmation(
        actor, card, "formal_loss", loss_kind, reason, staff.id, f"verbal-{request.id}",
        request.expires_at - now,
        f"Your card {masked(card)} is blocked after your call. Confirm the report here to "
        "block it for good; otherwise the block ends on "
        f"{request.expires_at.astimezone(zone_of(customer)):%Y-%m-%d %H:%M %Z}.")
    risk.check_customer(customer.id, staff.id)
    device.announce_change(customer.id, "verbal_loss")
    db.session.commit()
    return request


def cancel_request(actor: audit.Actor, staff: Staff, customer_id: int, request_id,
                   reason: str) -> CardRequest:
    """Withdraw a request still waiting for the customer (its task is withdrawn too)."""
    from workstation.tasks.service import cancel_task

    reason = clean_reason(reason)
    customer = customer_for(actor, staff, customer_id, "card.request_cancelled")
    request = _request_of(customer.id, request_id)
    if request.status != "awaiting_customer":
        raise Conflict("Only a request still waiting for the customer can be withdrawn.")
    request.status = "cancelled"
    request.decided_at = utcnow()
    request.outcome_note = "Withdrawn by staff."
    cancel_task(actor, customer.id, request.task_public_id, "Withdrawn by the bank.")
    audit.record(actor, f"card.{request.kind}_cancelled", customer_id=customer.id,
                 object_type="card", object_id=request.card_id, reason=reason,
                 detail={"request_id": request.id})
    device.announce_change(customer.id, "card_request")
    db.session.commit()
    return request


def _request_of(customer_id: int, request_id) -> CardRequest:
    from workstation.errors import NotFound

    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        raise NotFound("No such card request.") from None
    request = db.session.execute(select(CardRequest).where(CardRequest.id == request_id)
                                 .with_for_update()).scalar_one_or_none()
    if request is None or request.customer_id != customer_id:
        raise NotFound("No such card request for this customer.")
    return request

"""Checks every card operation shares: who may act, on which customer and card, with what."""

from __future__ import annotations

from sqlalchemy import select

from workstation import audit
from workstation.customers.access import customer_with_basis
from workstation.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.masking import mask_card
from workstation.models import SERVING_ROLES, Card, Customer, Staff

MIN_REASON = 5
MAX_KEY = 64


def require_operator(staff: Staff) -> None:
    """Only agents, managers and supervisors run card services."""
    if staff.role not in SERVING_ROLES:
        raise Forbidden("Your role does not allow card services.")


def customer_for(actor: audit.Actor, staff: Staff, customer_id: int, action: str) -> Customer:
    """The customer, if the staff member may serve them now (portfolio or stated reason); a
    refusal is on record as `action`, the operation that was tried."""
    return customer_and_basis(actor, staff, customer_id, action)[0]


def customer_and_basis(actor: audit.Actor, staff: Staff, customer_id: int,
                       action: str) -> tuple[Customer, str]:
    """`customer_for`, with the basis the staff member serves the customer on."""
    require_operator(staff)
    return customer_with_basis(actor, staff, customer_id, action, lock=True)


def card_of(customer: Customer, card_id, *, lock: bool = True) -> Card:
    """One of the customer's cards, row-locked; another customer's card is refused alike."""
    try:
        card_id = int(card_id)
    except (TypeError, ValueError):
        raise NotFound("No such card for this customer.") from None
    query = select(Card).where(Card.id == card_id)
    card = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if card is None or card.customer_id != customer.id:
        raise NotFound("No such card for this customer.")
    return card


def masked(card: Card) -> str:
    """The card number as everyone may see it."""
    return mask_card(card.pan_first6, card.pan_last4)


def clean_reason(reason: str | None) -> str:
    """The staff member's reason for the audit log (required)."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationFailed(f"Give the reason for this operation (at least {MIN_REASON} "
                               "characters, e.g. what the customer said).")
    return reason[:1000]


def clean_key(request_key: str | None) -> str:
    """The form's one-time key that makes a double submission harmless."""
    key = (request_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise ValidationFailed("The form is incomplete; reload the page and try again.")
    return key


def refuse_repeat(model, request_key: str) -> None:
    """A form sent twice: the first submission stands, the second changes nothing."""
    if db.session.scalar(select(model.id).where(model.request_key == request_key)):
        raise Conflict("This form was already sent; the request below is the one it made.")

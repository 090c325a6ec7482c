"""What happens when the customer answers a card confirmation, and when verbal reports lapse."""

from __future__ import annotations

import logging

from sqlalchemy import select

from workstation import audit
from workstation.cards import device, replacements, states
from workstation.cards.common import masked
from workstation.cards.models import CardRequest
from workstation.cards.service import DONE, SUBJECT
from workstation.customer_auth.service import customer_actor
from workstation.extensions import db
from workstation.models import Card
from workstation.tasks.handlers import TaskAnswer
from workstation.types import utcnow

log = logging.getLogger(__name__)
CLOSED = {"decline": "declined", "expired": "expired", "cancelled": "cancelled"}


def _locked_request(answer: TaskAnswer) -> CardRequest | None:
    request = db.session.execute(
        select(CardRequest).where(CardRequest.id == int(answer.task.subject_id))
        .with_for_update()).scalar_one_or_none()
    if (request is None or request.task_public_id != answer.task.public_id
            or request.status != "awaiting_customer"):
        return None  # an old task, or one already settled
    return request


def on_card_request_answer(answer: TaskAnswer) -> None:
    """A card confirmation was answered, declined, or closed without an answer."""
    if answer.task.kind != "confirm":
        return
    request = _locked_request(answer)
    if request is None:
        return
    card = db.session.execute(select(Card).where(Card.id == request.card_id)
                              .with_for_update()).scalar_one()
    actor = customer_actor(request.customer)
    now = utcnow()
    request.decided_at = now
    if answer.decision != "accept":
        request.status = CLOSED[answer.decision]
        audit.record(actor, f"card.{request.kind}_{request.status}",
                     customer_id=request.customer_id, object_type="card", object_id=card.id,
                     detail={"request_id": request.id})
    elif not states.allowed(request.kind, card.status):
        request.status = "failed"
        request.outcome_note = f"The card became {states.label(card.status).lower()} meanwhile."
        audit.record(actor, f"card.{request.kind}_failed", customer_id=request.customer_id,
                     object_type="card", object_id=card.id, outcome="refused",
                     detail={"request_id": request.id, "status": card.status})
    else:
        _apply(request, card, actor)
    device.announce_change(request.customer_id, "card_request")


def _apply(request: CardRequest, card: Card, actor: audit.Actor) -> None:
    before = card.status
    if request.kind == "lock":
        states.set_status(card, states.LOCKED)
    elif request.kind == "unlock":
        states.set_status(card, states.ACTIVE)
    elif request.kind == "formal_loss":
        states.set_status(card, request.loss_kind)
        verbal = db.session.scalar(select(CardRequest).where(
            CardRequest.card_id == card.id, CardRequest.kind == "verbal_loss",
            CardRequest.status == "in_force").with_for_update())
        if verbal is not None:
            verbal.status = "confirmed"
            verbal.decided_at = utcnow()
    elif request.kind == "activate":
        states.set_status(card, states.ACTIVE)
        replacements.complete_on_activation(card, actor)
    request.status = "completed"
    audit.record(actor, f"card.{request.kind}_confirmed", customer_id=request.customer_id,
                 object_type="card", object_id=card.id,
                 detail={"request_id": request.id, "from": before, "to": card.status,
                         "card": masked(card)})
    title, text = DONE[request.kind]
    loss = states.LOSS_LABELS.get(request.loss_kind, "").lower()
    device.notify_customer(actor, request.customer_id, title,
                           text.format(card=masked(card), loss=loss), (SUBJECT, request.id))


def lapse_verbal_reports(customer_id: int | None = None, batch: int = 200) -> int:
    """End verbal reports past their days: the card returns to its status before (commits)."""
    query = (select(CardRequest).where(CardRequest.kind == "verbal_loss",
                                       CardRequest.status == "in_force",
                                       CardRequest.expires_at <= utcnow())
             .order_by(CardRequest.id).limit(batch).with_for_update(skip_locked=True))
    if customer_id is not None:
        query = query.where(CardRequest.customer_id == customer_id)
    due = list(db.session.scalars(query))
    actor = audit.Actor.system("card-verbal-expiry")
    for request in due:
        _lapse(request, actor)
    db.session.commit()
    return len(due)


def _lapse(request: CardRequest, actor: audit.Actor) -> None:
    card = db.session.execute(select(Card).where(Card.id == request.card_id)
                              .with_for_update()).scalar_one()
    request.status = "lapsed"
    request.decided_at = utcnow()
    _withdraw_pending_confirmation(card, actor)
    if card.status == states.VERBAL_LOSS:
        states.set_status(card, request.previous_status or states.ACTIVE)
    audit.record(actor, "card.verbal_loss_lapsed", customer_id=request.customer_id,
                 object_type="card", object_id=card.id,
                 detail={"request_id": request.id, "status_now": card.status})
    device.notify_customer(actor, request.customer_id, "Verbal loss report ended",
                           f"Your verbal loss report for card {masked(card)} was not confirmed "
                           f"in time; the card is {states.label(card.status).lower()} again.",
                           (SUBJECT, request.id))
    device.announce_change(request.customer_id, "verbal_loss")


def _withdraw_pending_confirmation(card: Card, actor: audit.Actor) -> None:
    """The formal report offered with the verbal one can no longer be confirmed."""
    from workstation.tasks.service import TaskRefused, cancel_task

    pending = db.session.scalar(select(CardRequest).where(
        CardRequest.card_id == card.id, CardRequest.kind == "formal_loss",
        CardRequest.status == "awaiting_customer"))
    if pending is None:
        return
    try:
        cancel_task(actor, card.customer_id, pending.task_public_id,
                    "The verbal loss report ended.")
    except TaskRefused:  # already expired or answered: settle the request here
        pass
    if pending.status == "awaiting_customer":
        pending.status = "expired"
        pending.decided_at = utcnow()

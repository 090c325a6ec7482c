"""Replacement cards: the order (confirmed on the device), new number, delivery, fee, progress."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from workstation import audit
from workstation.cards import device, states
from workstation.cards.common import card_of, clean_key, clean_reason, customer_for, masked
from workstation.cards.models import REPLACEMENT_LABELS, CardReplacement
from workstation.cards.settings import confirm_lifetime, replacement_fee
from workstation.core import CoreBanking, core_banking
from workstation.customer_auth.service import customer_actor
from workstation.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Branch, Card, Customer, Role, Staff
from workstation.tasks.handlers import TaskAnswer
from workstation.types import utcnow

SUBJECT = "card_replacement"
OPEN = ("awaiting_customer", "ordered", "in_production", "dispatched", "ready_for_pickup",
        "delivered")
NEXT_STEP = {"ordered": ("in_production",), "in_production": ("dispatched",),
             "dispatched": ("ready_for_pickup", "delivered")}


def _delivery(customer: Customer, delivery: str, branch_id) -> tuple[int | None, str]:
    if delivery == "address":
        if not customer.address.strip():
            raise ValidationFailed("There is no address on file; deliver to a branch instead.")
        return None, customer.address
    if delivery != "branch":
        raise ValidationFailed("Choose delivery to a branch or to the address on file.")
    try:
        branch = db.session.get(Branch, int(branch_id))
    except (TypeError, ValueError):
        branch = None
    if branch is None or not branch.active:
        raise ValidationFailed("Choose the branch where the customer picks the card up.")
    return branch.id, ""


def order_replacement(actor: audit.Actor, staff: Staff, customer_id: int, card_id,
                      delivery: str, branch_id, reason: str, request_key: str) -> CardReplacement:
    """Order a new card (new number) for one blocked for good; the customer confirms it."""
    reason, request_key = clean_reason(reason), clean_key(request_key)
    customer = customer_for(actor, staff, customer_id, "card.replacement_requested")
    if db.session.scalar(select(CardReplacement.id)
                         .where(CardReplacement.request_key == request_key)):
        raise Conflict("This form was already sent; the order below is the one it made.")
    card = card_of(customer, card_id)
    states.require("replacement", card.status)
    if db.session.scalar(select(CardReplacement.id).where(
            CardReplacement.old_card_id == card.id, CardReplacement.status.in_(OPEN))):
        raise Conflict("A replacement for this card is already ordered.")
    branch_id, address = _delivery(customer, delivery, branch_id)
    config = current_app.config
    order = CardReplacement(
        customer_id=customer.id, old_card_id=card.id, status="awaiting_customer",
        delivery=delivery, branch_id=branch_id, delivery_address=address,
        fee=replacement_fee(config, card.status, delivery), fee_currency=config[
            "CARD_FEE_CURRENCY"], reason=reason, staff_id=staff.id, request_key=request_key)
    db.session.add(order)
    db.session.flush()
    task = device.ask_to_confirm(
        actor, customer.id, "Order a replacement card",
        f"Order a new card to replace {masked(card)}. The new card has a new number.",
        _order_details(order, card), (SUBJECT, order.id), confirm_lifetime(config))
    order.task_public_id = task.public_id
    audit.record(actor, "card.replacement_requested", customer_id=customer.id,
                 object_type="card", object_id=card.id, reason=reason,
                 detail={"replacement_id": order.id, "delivery": delivery,
                         "fee": str(order.fee), "currency": order.fee_currency})
    device.announce_change(customer.id, "replacement")
    db.session.commit()
    return order


def _where(order: CardReplacement) -> str:
    if order.delivery == "branch" and order.branch is not None:
        return f"Pick up at {order.branch.name}"
    return "Delivery to the address on file"


def _order_details(order: CardReplacement, card: Card) -> list[tuple[str, str]]:
    details = [("Card replaced", masked(card)), ("Delivery", _where(order)),
               ("Fee", order.fee_summary)]
    if order.fee_due > 0:
        details.append(("Payment", f"Reserved on the account of card {masked(card)} when you "
                                   "confirm; debited when you activate the new card"))
    return details


def on_replacement_answer(answer: TaskAnswer) -> None:
    """The customer confirmed or declined the order (or let it expire)."""
    order = db.session.execute(select(CardReplacement).where(
        CardReplacement.id == int(answer.task.subject_id)).with_for_update()
    ).scalar_one_or_none()
    if order is None or order.task_public_id != answer.task.public_id \
            or order.status != "awaiting_customer" or answer.task.kind != "confirm":
        return
    actor = customer_actor(order.customer)
    if answer.decision != "accept":
        order.status = {"decline": "declined"}.get(answer.decision, answer.decision)
        order.closed_at = utcnow()
        audit.record(actor, f"card.replacement_{order.status}", customer_id=order.customer_id,
                     object_type="card_replacement", object_id=order.id)
    else:
        _place_order(order, core_banking(), actor)
    device.announce_change(order.customer_id, "replacement")


def _place_order(order: CardReplacement, core: CoreBanking, actor: audit.Actor) -> None:
    old = db.session.get(Card, order.old_card_id)
    _reserve_fee(order, core, old)
    issued = core.issue_card(order.customer_id, old.account_id, old.product)
    new_card = db.session.get(Card, issued.card.id)
    states.set_status(new_card, states.NOT_ACTIVATED)
    order.new_card_id = new_card.id
    order.status = "ordered"
    order.ordered_at = utcnow()
    audit.record(actor, "card.replacement_ordered", customer_id=order.customer_id,
                 object_type="card_replacement", object_id=order.id,
                 detail={"old_card": masked(old), "new_card": masked(new_card),
                         "fee": str(order.fee_due), "currency": order.fee_currency})
    device.notify_customer(actor, order.customer_id, "Replacement card ordered",
                           f"Your new card {masked(new_card)} is ordered. {_where(order)}; "
                           f"fee {order.fee_summary}.", (SUBJECT, order.id))


def _reserve_fee(order: CardReplacement, core: CoreBanking, card: Card) -> None:
    """Hold the fee on the replaced card's account from the customer's confirmation until the
    new card is activated; an account that cannot cover it refuses the confirmation."""
    if order.fee_due <= 0:
        return
    try:
        hold = core.place_hold(card.account_id, order.fee_due,
                               f"Card replacement fee, order {order.id}", None)
    except Conflict:
        raise Conflict(f"The account of card {masked(card)} does not have "
                       f"{order.fee_due:.2f} {order.fee_currency} available for the "
                       "replacement fee. Add money to it and confirm again, or ask the "
                       "bank about the fee.") from None
    order.fee_hold_id = hold.id


def complete_on_activation(card: Card, actor: audit.Actor) -> None:
    """The customer activated a replacement card: its order is done and the fee reserved
    for it is debited (once, whatever retries happen)."""
    order = db.session.scalar(select(CardReplacement).where(
        CardReplacement.new_card_id == card.id).with_for_update())
    if order is None:
        return
    order.status = "activated"
    order.activated_at = order.closed_at = utcnow()
    if order.fee_hold_id is None or order.fee_waived:
        return
    posting = core_banking().capture_hold(order.fee_hold_id, "Card replacement fee",
                                          f"card-replacement-{order.id}-fee")
    order.fee_transaction_id, order.fee_charged_at = posting.id, posting.posted_at
    audit.record(actor, "card.replacement_fee_debited", customer_id=order.customer_id,
                 object_type="card_replacement", object_id=order.id,
                 detail={"amount": str(-posting.amount), "currency": posting.currency,
                         "transaction_id": posting.id})


def _order_of(customer: Customer, replacement_id) -> CardReplacement:
    try:
        replacement_id = int(replacement_id)
    except (TypeError, ValueError):
        raise NotFound("No such replacement order.") from None
    order = db.session.execute(select(CardReplacement).where(
        CardReplacement.id == replacement_id).with_for_update()).scalar_one_or_none()
    if order is None or order.customer_id != customer.id:
        raise NotFound("No such replacement order for this customer.")
    return order


def advance_replacement(actor: audit.Actor, staff: Staff, customer_id: int, replacement_id,
                        step: str, reason: str = "") -> CardReplacement:
    """Record the next step of the order's progress (production, dispatch, pickup/delivery)."""
    customer = customer_for(actor, staff, customer_id, "card.replacement_advanced")
    order = _order_of(customer, replacement_id)
    allowed = NEXT_STEP.get(order.status, ())
    allowed = tuple(s for s in allowed if s != ("delivered" if order.delivery == "branch"
                                                else "ready_for_pickup"))
    if step not in allowed:
        raise Conflict(f"The order is {order.status_label.lower()}; "
                       f"it cannot move to '{REPLACEMENT_LABELS.get(step, step)}' now.")
    order.status = step
    setattr(order, f"{step}_at", utcnow())
    audit.record(actor, f"card.replacement_{step}", customer_id=customer.id,
                 object_type="card_replacement", object_id=order.id,
                 reason=(reason or "").strip()[:500])
    message = f"Your replacement card: {order.status_label.lower()}."
    if step == "ready_for_pickup":
        message += f" {_where(order)}; bring your ID."
    device.notify_customer(actor, customer.id, "Replacement card update", message,
                           (SUBJECT, order.id))
    device.announce_change(customer.id, "replacement")
    db.session.commit()
    return order


def waive_fee(actor: audit.Actor, staff: Staff, customer_id: int, replacement_id,
              reason: str) -> CardReplacement:
    """A supervisor waives the replacement fee, with a reason."""
    if staff.role != Role.SUPERVISOR.value:
        raise Forbidden("Only a supervisor can waive a fee.")
    reason = clean_reason(reason)
    customer = customer_for(actor, staff, customer_id, "card.replacement_fee_waived")
    order = _order_of(customer, replacement_id)
    if order.status not in OPEN:
        raise Conflict("The fee of a closed or activated order cannot be waived.")
    if order.fee_waived:
        raise Conflict("The fee of this order is already waived.")
    if order.fee == 0:
        raise Conflict("This order has no fee to waive.")
    order.fee_waived = True
    order.waived_by_id = staff.id
    order.waiver_reason = reason
    if order.fee_hold_id is not None:
        core_banking().release_hold(order.fee_hold_id, "Card replacement fee waived")
    audit.record(actor, "card.replacement_fee_waived", customer_id=customer.id,
                 object_type="card_replacement", object_id=order.id, reason=reason,
                 detail={"fee": str(order.fee), "currency": order.fee_currency})
    device.notify_customer(actor, customer.id, "Fee waived",
                           f"The {order.fee:.2f} {order.fee_currency} fee for your replacement "
                           "card is waived.", (SUBJECT, order.id))
    device.announce_change(customer.id, "replacement")
    db.session.commit()
    return order

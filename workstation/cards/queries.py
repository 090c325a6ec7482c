"""What the card pages show: cards with their open requests, replacements and resets."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from workstation import audit
from workstation.cards import states
from workstation.cards.answers import lapse_verbal_reports
from workstation.cards.common import customer_and_basis, customer_for
from workstation.cards.models import CardReplacement, CardRequest
from workstation.errors import NotFound
from workstation.extensions import db
from workstation.models import Branch, Card, Customer, Staff


@dataclass
class CardRow:
    card: Card
    label: str
    actions: list[str]
    open_request: CardRequest | None = None
    verbal: CardRequest | None = None
    replacement: CardReplacement | None = None


@dataclass
class CardsOverview:
    customer: Customer
    basis: str
    cards: list[CardRow]
    replacements: list[CardReplacement]
    requests: list[CardRequest]
    resets: list = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)


def _rows(customer_id: int) -> tuple[list[CardRow], list[CardReplacement], list[CardRequest]]:
    cards = db.session.scalars(select(Card).where(Card.customer_id == customer_id)
                               .order_by(Card.id)).all()
    requests = list(db.session.scalars(select(CardRequest).where(
        CardRequest.customer_id == customer_id).order_by(CardRequest.id.desc()).limit(30)))
    replacements = list(db.session.scalars(select(CardReplacement).where(
        CardReplacement.customer_id == customer_id).order_by(CardReplacement.id.desc())))
    rows = []
    for card in cards:
        row = CardRow(card, states.label(card.status), states.actions_for(card.status))
        row.open_request = next((r for r in requests if r.card_id == card.id
                                 and r.status == "awaiting_customer"), None)
        row.verbal = next((r for r in requests if r.card_id == card.id
                           and r.kind == "verbal_loss" and r.status == "in_force"), None)
        row.replacement = next((o for o in replacements if o.old_card_id == card.id
                                and o.status not in ("declined", "expired", "cancelled")), None)
        arriving = next((o for o in replacements if o.new_card_id == card.id), None)
        if arriving is not None and arriving.status not in ("ready_for_pickup", "delivered"):
            row.actions = [a for a in row.actions if a != "activate"]
        rows.append(row)
    return rows, replacements, requests


def cards_overview(actor: audit.Actor, staff: Staff, customer_id: int) -> CardsOverview:
    """The customer's cards and their requests, for staff who may serve them (audited)."""
    from workstation.credentials.service import resets_of

    customer, basis = customer_and_basis(actor, staff, customer_id, "customer.cards_view")
    db.session.commit()  # release the customer row lock before the sweep below
    lapse_verbal_reports(customer.id)
    rows, replacements, requests = _rows(customer.id)
    audit.record(actor, "customer.cards_view", customer_id=customer.id, object_type="customer",
                 object_id=customer.customer_no, reason=basis)
    branches = list(db.session.scalars(select(Branch).where(Branch.active.is_(True))
                                       .order_by(Branch.name)))
    overview = CardsOverview(customer, basis, rows, replacements, requests,
                             resets_of(customer.id), branches)
    db.session.commit()
    return overview


def loss_report(actor: audit.Actor, staff: Staff | None, customer_id: int,
                request_id: int) -> CardRequest:
    """A completed formal loss report, for its confirmation document (audited)."""
    if staff is not None:  # customer_for checks the role too
        customer_for(actor, staff, customer_id, "card.loss_confirmation_viewed")
    request = db.session.get(CardRequest, request_id)
    if (request is None or request.customer_id != customer_id or request.kind != "formal_loss"
            or request.status != "completed"):
        raise NotFound("No confirmed loss report with that number for this customer.")
    audit.record(actor, "card.loss_confirmation_viewed", customer_id=customer_id,
                 object_type="card_request", object_id=request.id)
    db.session.commit()
    return request


def customer_cards(customer_id: int):
    """What the customer sees: cards, replacement orders, confirmed loss reports."""
    lapse_verbal_reports(customer_id)
    rows, replacements, requests = _rows(customer_id)
    reports = [r for r in requests if r.kind == "formal_loss" and r.status == "completed"]
    return rows, replacements, reports

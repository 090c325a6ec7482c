"""JSON for the bank's app: the customer's cards, replacement progress, loss confirmations."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from workstation.cards import queries
from workstation.cards.common import masked
from workstation.cards.models import CardReplacement
from workstation.customer_auth.decorators import customer_required

bp = Blueprint("cards_api", __name__, url_prefix="/api/v1/customer/cards")


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def replacement_json(order: CardReplacement) -> dict:
    """A replacement order as the app shows it (numbers masked)."""
    return {
        "id": order.id, "status": order.status, "status_label": order.status_label,
        "replaces": masked(order.old_card),
        "new_card": masked(order.new_card) if order.new_card else None,
        "delivery": order.delivery, "branch": order.branch.name if order.branch else None,
        "fee": f"{order.fee_due:.2f}", "currency": order.fee_currency,
        "fee_waived": order.fee_waived,
        "steps": [{"label": label, "at": _when(at)} for label, at in order.timeline()],
    }


@bp.get("")
@customer_required
def index():
    """The customer's cards with status, open requests, replacements and loss reports."""
    rows, orders, reports = queries.customer_cards(g.customer.id)
    cards = [{"id": row.card.id, "number": masked(row.card), "product": row.card.product,
              "expiry": row.card.expiry, "status": row.card.status, "status_label": row.label,
              "waiting_for_you": row.open_request is not None,
              "verbal_report_until": _when(row.verbal.expires_at) if row.verbal else None}
             for row in rows]
    return jsonify(cards=cards, replacements=[replacement_json(o) for o in orders],
                   loss_reports=[{"reference": f"CL-{r.id:08d}", "card": masked(r.card),
                                  "what": r.loss_kind, "confirmed_at": _when(r.decided_at),
                                  "page": f"/m/cards/loss-reports/{r.id}"} for r in reports])

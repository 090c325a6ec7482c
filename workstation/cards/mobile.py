"""The customer's own card screen in the mobile web client (/m/cards)."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from workstation.cards import queries
from workstation.customer_auth.decorators import customer_required
from workstation.customer_auth.service import customer_actor
from workstation.web import client_ip

bp = Blueprint("cards_mobile", __name__, url_prefix="/m/cards")


@bp.get("/")
@customer_required
def index():
    """My cards: status, replacement progress, loss report confirmations."""
    rows, orders, reports = queries.customer_cards(g.customer.id)
    template = "cards/_mobile_cards.html" if request.headers.get("HX-Request") \
        else "cards/mobile.html"
    page = render_template(template, rows=rows, orders=orders, reports=reports)
    return page, 200, {"Vary": "HX-Request"}


@bp.get("/loss-reports/<int:request_id>")
@customer_required
def loss_confirmation(request_id: int):
    """The confirmation of the customer's own formal loss report."""
    actor = customer_actor(g.customer, client_ip(), g.get("request_id", ""))
    report = queries.loss_report(actor, None, g.customer.id, request_id)
    return render_template("cards/loss_confirmation.html", report=report, back=None)

"""Staff pages of card services: the customer's cards, requests, replacements and resets."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from workstation.cards import queries, replacements, service
from workstation.customers.access import ReasonRequired
from workstation.errors import DomainError
from workstation.extensions import db
from workstation.models import SERVING_ROLES
from workstation.web import current_actor, is_htmx, roles_required

bp = Blueprint("cards", __name__, url_prefix="/customers")


def form_key() -> str:
    """A fresh one-time key for a form (a second submission of it changes nothing)."""
    return secrets.token_urlsafe(16)


def render_cards(customer_id: int, error: str = "", status: int = 200):
    """The cards page, or its panel alone for htmx."""
    overview = queries.cards_overview(current_actor(), current_user, customer_id)
    template = "cards/_panel.html" if is_htmx() else "cards/index.html"
    response = render_template(template, o=overview, error=error, form_key=form_key)
    return response, status, {"Vary": "HX-Request"}


def run_and_show(customer_id: int, action: Callable[[], object], done: str):
    """Run one service call; success: back to the page with a message; refusal: the reason."""
    try:
        action()
    except ReasonRequired:
        raise  # on record already; the application-wide handler asks for the reason
    except IntegrityError:
        db.session.rollback()
        return render_cards(customer_id, "This form was already sent; the request below is "
                                         "the one it made.", 409)
    except DomainError as error:
        db.session.rollback()
        return render_cards(customer_id, error.message, error.status_code)
    flash(done, "success")
    return redirect(url_for("cards.index", customer_id=customer_id))


@bp.get("/<int:customer_id>/cards")
@roles_required(*SERVING_ROLES)
def index(customer_id: int):
    """The customer's cards with their live request statuses."""
    return render_cards(customer_id)


def _form(name: str) -> str:
    return request.form.get(name, "")[:1000]


@bp.post("/<int:customer_id>/cards/<int:card_id>/requests")
@roles_required(*SERVING_ROLES)
def request_action(customer_id: int, card_id: int):
    """Lock, unlock, formal loss report or activation: sent to the device to confirm."""
    kind = _form("kind")
    return run_and_show(customer_id, lambda: service.request_card_action(
        current_actor(), current_user, customer_id, card_id, kind, _form("reason"),
        _form("request_key"), _form("loss_kind")),
        "Sent to the customer's phone to confirm.")


@bp.post("/<int:customer_id>/cards/<int:card_id>/verbal-loss")
@roles_required(*SERVING_ROLES)
def verbal_loss(customer_id: int, card_id: int):
    """A verbal loss report (by phone): the card is blocked at once, for a few days."""
    return run_and_show(customer_id, lambda: service.report_verbal_loss(
        current_actor(), current_user, customer_id, card_id, _form("loss_kind"),
        _form("reason"), _form("request_key")), "Card blocked on the verbal report.")


@bp.post("/<int:customer_id>/cards/requests/<int:request_id>/cancel")
@roles_required(*SERVING_ROLES)
def cancel_request(customer_id: int, request_id: int):
    """Withdraw a request still waiting for the customer."""
    return run_and_show(customer_id, lambda: service.cancel_request(
        current_actor(), current_user, customer_id, request_id, _form("reason")),
        "Request withdrawn.")


@bp.post("/<int:customer_id>/cards/<int:card_id>/replacement")
@roles_required(*SERVING_ROLES)
def order_replacement(customer_id: int, card_id: int):
    """Order a replacement card; the customer confirms delivery and fee on the device."""
    return run_and_show(customer_id, lambda: replacements.order_replacement(
        current_actor(), current_user, customer_id, card_id, _form("delivery"),
        _form("branch_id"), _form("reason"), _form("request_key")),
        "Replacement order sent to the customer's phone to confirm.")


@bp.post("/<int:customer_id>/cards/replacements/<int:replacement_id>/advance")
@roles_required(*SERVING_ROLES)
def advance_replacement(customer_id: int, replacement_id: int):
    """Record the next step of a replacement's progress."""
    return run_and_show(customer_id, lambda: replacements.advance_replacement(
        current_actor(), current_user, customer_id, replacement_id, _form("step"),
        _form("reason")), "Replacement progress recorded.")


@bp.post("/<int:customer_id>/cards/replacements/<int:replacement_id>/waive")
@roles_required(*SERVING_ROLES)
def waive_fee(customer_id: int, replacement_id: int):
    """A supervisor waives a replacement fee (others are refused on the server)."""
    return run_and_show(customer_id, lambda: replacements.waive_fee(
        current_actor(), current_user, customer_id, replacement_id, _form("reason")),
        "Fee waived.")


@bp.get("/<int:customer_id>/cards/loss-reports/<int:request_id>")
@roles_required(*SERVING_ROLES)
def loss_confirmation(customer_id: int, request_id: int):
    """The printable confirmation of a formal loss report."""
    report = queries.loss_report(current_actor(), current_user, customer_id, request_id)
    return render_template("cards/loss_confirmation.html", report=report,
                           back=url_for("cards.index", customer_id=customer_id))

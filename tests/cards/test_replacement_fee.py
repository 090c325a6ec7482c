"""The replacement fee: reserved on the card's account when the customer confirms the order,
debited once when the new card is activated, released if a supervisor waives it."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.cards.builders import card_id_of, phone_of
from workstation.cards.models import CardReplacement
from workstation.core import core_banking
from workstation.errors import Conflict
from workstation.extensions import db
from workstation.models import Account, AccountTransaction, AuditEvent

BALANCE = Decimal("12345.67")  # the test customer's account
FEE = Decimal("10.00")  # a stolen card, picked up at the branch


def _report_stolen_and_order(client, world, phone, customer) -> int:
    card = card_id_of(client.application, customer)
    client.post(f"/customers/{customer.id}/cards/{card}/requests",
                data={"kind": "formal_loss", "loss_kind": "stolen", "request_key": uuid.uuid4().hex,
                      "reason": "Customer called about the card"})
    phone.confirm_latest()
    ordered = client.post(f"/customers/{customer.id}/cards/{card}/replacement",
                          data={"delivery": "branch", "branch_id": world.branches["BJ01"],
                                "reason": "Replacement after theft",
                                "request_key": uuid.uuid4().hex})
    assert ordered.status_code == 302, ordered.get_data(as_text=True)
    with client.application.app_context():
        return db.session.scalar(select(CardReplacement.id))


def _activate(client, phone, customer, order_id: int) -> None:
    for step in ("in_production", "dispatched", "ready_for_pickup"):
        client.post(f"/customers/{customer.id}/cards/replacements/{order_id}/advance",
                    data={"step": step})
    with client.application.app_context():
        new_card = db.session.get(CardReplacement, order_id).new_card_id
    client.post(f"/customers/{customer.id}/cards/{new_card}/requests",
                data={"kind": "activate", "request_key": uuid.uuid4().hex,
                      "reason": "Customer has the new card"})
    phone.confirm_latest()


def _account(app, customer):
    with app.app_context():
        return core_banking().accounts_of(customer.id)[0]


def _fee_postings(app, customer) -> list[AccountTransaction]:
    with app.app_context():
        return db.session.scalars(select(AccountTransaction).join(Account).where(
            Account.customer_id == customer.id,
            AccountTransaction.description == "Card replacement fee")).all()


def test_fee_is_reserved_on_confirmation_and_debited_once_on_activation(client, app, world,
                                                                         sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    order_id = _report_stolen_and_order(client, world, phone, wang)
    assert _account(app, wang).held == 0  # nothing is taken before the customer agrees
    shown = {d["label"]: d["value"] for d in phone.latest("confirm")["payload"]["details"]}
    assert shown["Fee"] == "10.00 CNY"
    assert shown["Payment"].startswith("Reserved on the account of card")
    assert shown["Payment"].endswith("debited when you activate the new card")
    phone.confirm_latest()
    account = _account(app, wang)
    assert (account.balance, account.held, account.available) == (BALANCE, FEE, BALANCE - FEE)
    cards_page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert "10.00 CNY, reserved on the card&#39;s account" in cards_page

    _activate(client, phone, wang, order_id)
    account = _account(app, wang)
    assert (account.balance, account.held) == (BALANCE - FEE, 0)
    [posting] = _fee_postings(app, wang)
    assert posting.amount == -FEE and posting.balance_after == BALANCE - FEE
    profile = client.get(f"/customers/{wang.id}").get_data(as_text=True)
    assert "Card replacement fee" in profile
    assert "10.00 CNY, debited" in client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    mobile = phone.client.get("/m/cards/", headers=phone.headers).get_data(as_text=True)
    assert "10.00 CNY, debited" in mobile
    with app.app_context():
        order = db.session.get(CardReplacement, order_id)
        assert order.fee_transaction_id == posting.id and order.fee_charged_at is not None
        again = core_banking().capture_hold(order.fee_hold_id, "Card replacement fee",
                                            f"card-replacement-{order_id}-fee")
        db.session.commit()
        debited = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "card.replacement_fee_debited")).all()
    assert again.id == posting.id  # a retried debit posts nothing more
    assert _account(app, wang).balance == BALANCE - FEE
    assert len(debited) == 1 and '"amount": "10.00"' in debited[0].detail


def test_a_waived_fee_is_released_and_never_debited(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    order_id = _report_stolen_and_order(client, world, phone, wang)
    phone.confirm_latest()
    assert _account(app, wang).held == FEE
    client.post("/auth/logout")
    sign_in(world.staff["supervisor"])
    client.post(f"/customers/{wang.id}/reason",
                data={"reason_code": "customer_request", "reason_text": "Fee waiver approval"})
    waived = client.post(f"/customers/{wang.id}/cards/replacements/{order_id}/waive",
                         data={"reason": "Card stolen in a branch robbery"})
    assert waived.status_code == 302, waived.get_data(as_text=True)
    assert _account(app, wang).held == 0
    _activate(client, phone, wang, order_id)
    account = _account(app, wang)
    assert (account.balance, account.held) == (BALANCE, 0)
    assert _fee_postings(app, wang) == []
    page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert "Waived (was 10.00 CNY)" in page


def test_an_account_short_of_the_fee_refuses_the_confirmation(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    order_id = _report_stolen_and_order(client, world, phone, wang)
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.customer_id == wang.id))
        account.balance = Decimal("4.00")
        db.session.commit()
    task = phone.latest("confirm")
    refused = phone.answer(task)
    assert refused.status_code == 409
    assert "does not have 10.00 CNY available" in refused.get_data(as_text=True)
    with app.app_context():
        order = db.session.get(CardReplacement, order_id)
        assert (order.status, order.new_card_id, order.fee_hold_id) == (
            "awaiting_customer", None, None)  # no card issued, nothing held
        db.session.scalar(select(Account).where(Account.customer_id == wang.id)).balance = \
            Decimal("50.00")
        db.session.commit()
    assert phone.answer(task).status_code == 200  # topped up: the same task goes through
    with app.app_context():
        assert db.session.get(CardReplacement, order_id).status == "ordered"
    assert _account(app, wang).held == FEE


def test_a_released_hold_cannot_be_debited(app, world):
    customer = world.customers[0]
    with app.app_context():
        core = core_banking()
        account = core.accounts_of(customer.id)[0]
        hold = core.place_hold(account.id, Decimal("20.00"), "fee", None)
        core.release_hold(hold.id, "waived")
        with pytest.raises(Conflict):
            core.capture_hold(hold.id, "Card replacement fee", "ref-1")
        db.session.rollback()

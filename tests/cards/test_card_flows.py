"""Lock, unlock, formal loss, replacement and verbal reports, confirmed on the phone."""

from __future__ import annotations

import json
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select
from stdnum import luhn

from tests.cards.builders import card_id_of, card_status, phone_of
from workstation.cards.models import CardReplacement, CardRequest
from workstation.extensions import db
from workstation.models import AuditEvent, Card, Customer


def key() -> str:
    return uuid.uuid4().hex


def act(client, customer_id, card_id, kind, **extra):
    data = {"kind": kind, "reason": "Customer called about the card", "request_key": key()}
    data.update(extra)
    return client.post(f"/customers/{customer_id}/cards/{card_id}/requests", data=data)


def test_lock_and_unlock_are_confirmed_on_the_phone(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    response = act(client, wang.id, card, "lock")
    assert response.status_code == 302
    assert card_status(app, card) == "active"  # nothing changes before the customer says so
    task = phone.latest("confirm")
    assert task["title"] == "Lock your card temporarily"
    assert wang.card_last4 in json.dumps(task["payload"])
    assert wang.pan not in json.dumps(task)
    page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert "lock: waiting for the customer" in page
    phone.confirm_latest()
    assert card_status(app, card) == "locked"
    notices = [t for t in phone.tasks() if t["kind"] == "notice"]
    assert notices and notices[-1]["title"] == "Card locked"
    page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert "Temporarily locked" in page
    act(client, wang.id, card, "unlock")
    phone.confirm_latest()
    assert card_status(app, card) == "active"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.customer_id == wang.id, AuditEvent.action.like("card.%"))).all()
        reasons = db.session.scalars(select(AuditEvent.reason).where(
            AuditEvent.action == "card.lock_requested")).all()
    assert {"card.lock_requested", "card.lock_confirmed", "card.unlock_requested",
            "card.unlock_confirmed"} <= set(actions)
    assert reasons == ["Customer called about the card"]


def test_formal_loss_then_replacement_with_new_number(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    refused = client.post(f"/customers/{wang.id}/cards/{card}/replacement",
                          data={"delivery": "branch", "branch_id": world.branches["BJ01"],
                                "reason": "Wants a new card", "request_key": key()})
    assert refused.status_code == 409
    assert "this card is active" in refused.get_data(as_text=True)
    act(client, wang.id, card, "formal_loss", loss_kind="stolen")
    phone.confirm_latest()
    assert card_status(app, card) == "stolen"
    with app.app_context():
        report = db.session.scalar(select(CardRequest).where(CardRequest.kind == "formal_loss"))
        report_id, taken = report.id, report.created_at
    confirmation = client.get(f"/customers/{wang.id}/cards/loss-reports/{report_id}")
    shown = taken.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M CST")
    assert shown in confirmation.get_data(as_text=True)  # the branch's zone, not UTC
    assert "by Manager1<" in confirmation.get_data(as_text=True)  # a name, not a login
    again = act(client, wang.id, card, "lock")
    assert again.status_code == 409
    assert "blocked for good" in again.get_data(as_text=True)
    ordered = client.post(f"/customers/{wang.id}/cards/{card}/replacement",
                          data={"delivery": "branch", "branch_id": world.branches["BJ01"],
                                "reason": "Replacement after theft", "request_key": key()})
    assert ordered.status_code == 302
    confirm = phone.latest("confirm")
    assert {"label": "Fee", "value": "10.00 CNY"} in confirm["payload"]["details"]
    phone.confirm_latest()
    with app.app_context():
        order = db.session.scalar(select(CardReplacement))
        new_card = db.session.get(Card, order.new_card_id)
        assert order.status == "ordered" and new_card.status == "not_activated"
        assert luhn.is_valid(new_card.pan) and new_card.pan != wang.pan
        order_id, new_id = order.id, new_card.id
    refused = act(client, wang.id, new_id, "activate")
    assert refused.status_code == 409 and "delivered or ready" in refused.get_data(as_text=True)
    for step in ("in_production", "dispatched", "ready_for_pickup"):
        moved = client.post(f"/customers/{wang.id}/cards/replacements/{order_id}/advance",
                            data={"step": step})
        assert moved.status_code == 302, moved.get_data(as_text=True)
    act(client, wang.id, new_id, "activate")
    phone.confirm_latest()
    assert card_status(app, new_id) == "active"
    with app.app_context():
        assert db.session.get(CardReplacement, order_id).status == "activated"
    mobile = phone.client.get("/m/cards/", headers=phone.headers).get_data(as_text=True)
    assert "Activated" in mobile and wang.pan not in mobile


def test_fee_waiver_only_by_a_supervisor(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    act(client, wang.id, card, "formal_loss", loss_kind="lost")
    phone.confirm_latest()
    no_address = client.post(f"/customers/{wang.id}/cards/{card}/replacement",
                             data={"delivery": "address", "reason": "New card by post",
                                   "request_key": key()})
    assert no_address.status_code == 422
    assert "no address on file" in no_address.get_data(as_text=True)
    with app.app_context():
        db.session.get(Customer, wang.id).address = "Xidan North Street 7, Beijing"
        db.session.commit()
    client.post(f"/customers/{wang.id}/cards/{card}/replacement",
                data={"delivery": "address", "reason": "New card by post", "request_key": key()})
    with app.app_context():
        order = db.session.scalar(select(CardReplacement))
        assert str(order.fee) == "25.00"  # 10.00 for a lost card + 15.00 delivery
        order_id = order.id
    refused = client.post(f"/customers/{wang.id}/cards/replacements/{order_id}/waive",
                          data={"reason": "Long-standing customer"})
    assert refused.status_code == 403
    assert "Only a supervisor" in refused.get_data(as_text=True)
    client.post("/auth/logout")
    sign_in(world.staff["supervisor"])
    client.post(f"/customers/{wang.id}/reason",
                data={"reason_code": "customer_request", "reason_text": "Fee waiver approval"})
    waived = client.post(f"/customers/{wang.id}/cards/replacements/{order_id}/waive",
                         data={"reason": "Long-standing customer"})
    assert waived.status_code == 302
    with app.app_context():
        order = db.session.get(CardReplacement, order_id)
        assert order.fee_waived and order.waived_by_id == world.staff["supervisor"].id
    assert any(t["title"] == "Fee waived" for t in phone.tasks())


def test_verbal_report_blocks_at_once_and_lapses(client, app, world, sign_in):
    from datetime import timedelta

    from workstation.types import utcnow

    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    response = client.post(f"/customers/{wang.id}/cards/{card}/verbal-loss",
                           data={"loss_kind": "lost", "reason": "Called from abroad",
                                 "request_key": key()})
    assert response.status_code == 302
    assert card_status(app, card) == "verbal_loss"
    offered = phone.latest("confirm")
    assert offered["title"] == "Report your card and block it for good"
    assert "blocked after your call" in offered["payload"]["summary"]
    assert act(client, wang.id, card, "unlock").status_code == 409
    with app.app_context():
        request = db.session.scalar(select(CardRequest).where(CardRequest.kind == "verbal_loss"))
        assert request.expires_at - utcnow() > timedelta(days=4, hours=23)
        ends = request.expires_at.astimezone(ZoneInfo("Asia/Shanghai"))
        # the customer reads the end in their branch's time, as staff see it
        assert f"the block ends on {ends:%Y-%m-%d %H:%M} CST." in offered["payload"]["summary"]
        request.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert card_status(app, card) == "active"
    assert "Active" in page
    assert phone.latest("notice")["title"] == "Verbal loss report ended"
    assert [t for t in phone.tasks() if t["kind"] == "confirm"] == []
    late = phone.answer(offered)
    assert late.status_code == 409 and card_status(app, card) == "active"


def test_verbal_report_confirmed_by_formal_report(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    client.post(f"/customers/{wang.id}/cards/{card}/verbal-loss",
                data={"loss_kind": "stolen", "reason": "Called at night", "request_key": key()})
    again = act(client, wang.id, card, "formal_loss", loss_kind="stolen")
    assert again.status_code == 409  # the formal report already waits on the phone
    phone.confirm_latest()  # the customer confirms it later, on the phone
    assert card_status(app, card) == "stolen"
    with app.app_context():
        verbal = db.session.scalar(select(CardRequest).where(CardRequest.kind == "verbal_loss"))
        assert verbal.status == "confirmed"
        report = db.session.scalar(select(CardRequest).where(CardRequest.kind == "formal_loss"))
        report_id = report.id
    document = client.get(f"/customers/{wang.id}/cards/loss-reports/{report_id}")
    text = document.get_data(as_text=True)
    assert document.status_code == 200
    assert f"CL-{report_id:08d}" in text and wang.card_last4 in text and wang.pan not in text
    mine = phone.client.get(f"/m/cards/loss-reports/{report_id}", headers=phone.headers)
    assert mine.status_code == 200 and f"CL-{report_id:08d}" in mine.get_data(as_text=True)


def test_lapse_command_ends_overdue_verbal_reports(client, app, world, sign_in, runner):
    from datetime import timedelta

    from workstation.types import utcnow

    wang = world.customers[0]
    sign_in(world.staff["manager"])
    card = card_id_of(app, wang)
    client.post(f"/customers/{wang.id}/cards/{card}/verbal-loss",
                data={"loss_kind": "lost", "reason": "Called from abroad", "request_key": key()})
    assert "0 verbal loss report(s) ended" in runner.invoke(args=["cards", "lapse-verbal"]).output
    with app.app_context():
        request = db.session.scalar(select(CardRequest).where(CardRequest.kind == "verbal_loss"))
        request.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "1 verbal loss report(s) ended" in runner.invoke(args=["cards", "lapse-verbal"]).output
    assert card_status(app, card) == "active"
    with app.app_context():
        statuses = dict(db.session.execute(select(CardRequest.kind, CardRequest.status)).all())
        assert statuses == {"verbal_loss": "lapsed", "formal_loss": "cancelled"}
        assert db.session.scalar(select(AuditEvent.actor_username).where(
            AuditEvent.action == "card.verbal_loss_lapsed")) == "card-verbal-expiry"


def test_a_core_that_keeps_card_status_is_told(client, app, world, sign_in):
    """A bank's core adapter with set_card_status gets every change of a card's status."""
    from workstation.core import LocalCoreBanking

    class RecordingCore(LocalCoreBanking):
        def __init__(self):
            self.changes = []

        def set_card_status(self, card_id, status):
            self.changes.append((card_id, status))

    core = RecordingCore()
    app.extensions["core_banking"] = core
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    act(client, wang.id, card, "lock")
    phone.confirm_latest()
    client.post(f"/customers/{wang.id}/cards/{card}/requests",
                data={"kind": "unlock", "reason": "Found it again", "request_key": key()})
    phone.confirm_latest()
    assert core.changes == [(card, "locked"), (card, "active")]

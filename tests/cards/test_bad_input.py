"""Bad input on card services: a clear refusal, and nothing half-done."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from tests.cards.builders import card_id_of, card_status, phone_of
from workstation.cards.models import CardRequest
from workstation.credentials.models import CredentialReset
from workstation.extensions import db
from workstation.models import AuditEvent
from workstation.tasks.models import CustomerTask


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def lock(client, customer_id, card_id, **extra):
    data = {"kind": "lock", "reason": "Customer lost sight of it",
            "request_key": uuid.uuid4().hex, **extra}
    return client.post(f"/customers/{customer_id}/cards/{card_id}/requests", data=data)


def test_unknown_card_is_refused(client, app, world, sign_in):
    sign_in(world.staff["manager"])
    response = lock(client, world.customers[0].id, 999999)
    assert response.status_code == 404
    assert "No such card for this customer" in response.get_data(as_text=True)
    assert count(app, CardRequest) == 0 and count(app, CustomerTask) == 0


def test_card_of_another_customer_is_refused(client, app, world, sign_in):
    wang, li = world.customers[0], world.customers[1]
    sign_in(world.staff["manager"])  # both are in manager1's portfolio
    response = lock(client, wang.id, card_id_of(app, li))
    assert response.status_code == 404
    assert "No such card for this customer" in response.get_data(as_text=True)
    assert card_status(app, card_id_of(app, li)) == "active"
    assert count(app, CardRequest) == 0


def test_double_submitted_form_makes_one_request(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    card = card_id_of(app, wang)
    first = lock(client, wang.id, card, request_key="same-form")
    second = lock(client, wang.id, card, request_key="same-form")
    assert first.status_code == 302
    assert second.status_code == 409
    assert "already sent" in second.get_data(as_text=True)
    assert count(app, CardRequest) == 1 and count(app, CustomerTask) == 1
    other_form = lock(client, wang.id, card)
    assert other_form.status_code == 409
    assert "already waiting" in other_form.get_data(as_text=True)


def test_double_submitted_reset_makes_one_reset(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    data = {"kind": "password", "reason": "Forgot the password", "request_key": "reset-form"}
    assert client.post(f"/customers/{wang.id}/credentials/resets", data=data).status_code == 302
    again = client.post(f"/customers/{wang.id}/credentials/resets", data=data)
    assert again.status_code == 409
    assert count(app, CredentialReset) == 1


@pytest.mark.parametrize("field, value, message", [
    ("reason", "", "Give the reason"),
    ("loss_kind", "misplaced", "lost, stolen, damaged or kept"),
    ("kind", "explode", "Unknown card operation"),
])
def test_incomplete_forms_are_refused(client, app, world, sign_in, field, value, message):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    data = {"kind": "formal_loss", "loss_kind": "lost", "reason": "Lost it on the metro",
            "request_key": uuid.uuid4().hex, field: value}
    response = client.post(f"/customers/{wang.id}/cards/{card_id_of(app, wang)}/requests",
                           data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, CardRequest) == 0 and count(app, CustomerTask) == 0


def test_missing_csrf_token_changes_nothing(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    response = client.post(f"/customers/{wang.id}/cards/{card_id_of(app, wang)}/requests",
                           data={"kind": "lock", "reason": "Customer asked",
                                 "request_key": "x1"}, csrf=False)
    assert response.status_code == 400
    assert count(app, CardRequest) == 0


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_roles_without_card_services_are_refused(client, app, world, sign_in, role):
    wang = world.customers[0]
    sign_in(world.staff[role])
    assert client.get(f"/customers/{wang.id}/cards").status_code == 403
    assert lock(client, wang.id, card_id_of(app, wang)).status_code == 403
    assert count(app, CardRequest) == 0


def test_outside_own_work_asks_for_a_reason_first(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager2"])
    page = client.get(f"/customers/{wang.id}/cards")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/{wang.id}/reason")
    refused = lock(client, wang.id, card_id_of(app, wang))
    assert refused.status_code == 302 and "/reason" in refused.headers["Location"]
    assert count(app, CardRequest) == 0
    with app.app_context():  # both refusals are on record, as what was tried
        refusals = db.session.execute(select(AuditEvent.action, AuditEvent.actor_username)
                                      .where(AuditEvent.outcome == "reason_required")
                                      .order_by(AuditEvent.id)).all()
    assert [tuple(row) for row in refusals] == [("customer.cards_view", "manager2"),
                                                ("card.action_requested", "manager2")]


def test_declined_lock_leaves_the_card_active(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    lock(client, wang.id, card)
    phone.confirm_latest("decline")
    assert card_status(app, card) == "active"
    with app.app_context():
        assert db.session.scalar(select(CardRequest.status)) == "declined"


def test_expired_confirmation_leaves_the_card_unchanged(client, app, world, sign_in):
    from datetime import timedelta

    from workstation.tasks.service import expire_due_tasks
    from workstation.types import utcnow

    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    lock(client, wang.id, card)
    task = phone.latest("confirm")
    with app.app_context():
        db.session.scalar(select(CustomerTask)).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        expire_due_tasks()
    late = phone.answer(task)
    assert late.status_code == 409 and "expired" in late.json["detail"]
    assert card_status(app, card) == "active"
    with app.app_context():
        assert db.session.scalar(select(CardRequest.status)) == "expired"


def test_withdrawn_request_cannot_be_confirmed(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    lock(client, wang.id, card)
    task = phone.latest("confirm")
    with app.app_context():
        request_id = db.session.scalar(select(CardRequest.id))
    withdrawn = client.post(f"/customers/{wang.id}/cards/requests/{request_id}/cancel",
                            data={"reason": "Customer changed their mind"})
    assert withdrawn.status_code == 302
    late = phone.answer(task)
    assert late.status_code == 409 and "cancelled" in late.json["detail"]
    assert card_status(app, card) == "active"


def test_wrong_one_time_code_does_not_open_the_next_step(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    client.post(f"/customers/{wang.id}/credentials/resets",
                data={"kind": "pin", "card_id": card_id_of(app, wang),
                      "reason": "Forgot the PIN", "request_key": "r1"})
    phone.answer(phone.latest("code"), data={"code": "12345x"})  # refused by the task kind
    refused = phone.answer(phone.latest("code"), data={"code": "12345x"})
    assert refused.status_code == 409 and "6-digit code" in refused.json["detail"]
    from tests.cards.builders import reset_code

    right = reset_code(app, wang.phone)
    phone.answer(phone.latest("code"), data={"code": "999999" if right != "999999" else "888888"})
    assert [t for t in phone.tasks() if t["kind"] == "confirm"] == []
    assert "not right" in phone.latest("code")["payload"]["prompt"]


def test_same_form_sent_twice_at_once_makes_one_request(app, world):
    """Two tabs (or a double click) post the same form at the same moment."""
    import threading

    from tests import helpers

    wang = world.customers[0]
    manager = world.staff["manager"]
    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:
        helpers.sign_in(tab, manager)
    card = card_id_of(app, wang)
    start = threading.Barrier(2)
    statuses = []

    def send(tab):
        start.wait()
        statuses.append(lock(tab, wang.id, card, request_key="one-form").status_code)

    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [302, 409]
    assert count(app, CardRequest) == 1 and count(app, CustomerTask) == 1

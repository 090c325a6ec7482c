"""PIN and online-banking password resets: code, confirmation, new secret on the phone."""

from __future__ import annotations

import uuid
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import select

from tests.cards.builders import card_id_of, phone_of, reset_code
from workstation.core import core_banking
from workstation.credentials.models import CredentialReset, OnlineBankingLogin
from workstation.extensions import db
from workstation.tasks.models import CustomerTask
from workstation.types import utcnow

GOOD_PIN = "739162"


def start(client, customer, kind="pin", card_id=None, request_key=None):
    response = client.post(f"/customers/{customer.id}/credentials/resets",
                       data={"kind": kind, "card_id": card_id or "",
                             "reason": "Customer forgot it", "request_key": request_key
                             or uuid.uuid4().hex})
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]
    assert response.headers["Location"].endswith(f"/customers/{customer.id}/cards")
    return response


def reset_row(app) -> CredentialReset:
    with app.app_context():
        reset = db.session.scalar(select(CredentialReset).order_by(CredentialReset.id.desc()))
        db.session.expunge(reset)
        return reset


def prove_identity(app, phone, customer):
    code_task = phone.latest("code")
    assert "•" in code_task["payload"]["prompt"]  # the phone number masked
    answered = phone.answer(code_task, data={"code": reset_code(app, customer.phone)})
    assert answered.status_code == 200, answered.get_data(as_text=True)


def test_pin_reset_end_to_end(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    assert start(client, wang, card_id=card).status_code == 302
    assert reset_row(app).status_label == "Waiting for the customer: one-time code"
    prove_identity(app, phone, wang)
    confirm = phone.latest("confirm")
    assert wang.card_last4 in str(confirm["payload"]) and wang.pan not in str(confirm)
    phone.confirm_latest()
    secret = phone.latest("set_secret")
    assert secret["payload"]["secret_type"] == "pin" and secret["payload"]["length"] == 6
    done = phone.answer(secret, data={"secret": GOOD_PIN, "repeat": GOOD_PIN})
    assert done.status_code == 200
    with app.app_context():
        assert core_banking().verify_pin(card, GOOD_PIN)
    assert reset_row(app).status == "set"
    page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert ">Set<" in page
    assert phone.latest("notice")["title"] == "Changed"


def test_wrong_codes_are_counted_and_end_the_reset(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    start(client, wang, card_id=card_id_of(app, wang))
    right = reset_code(app, wang.phone)
    wrong = "000000" if right != "000000" else "111111"
    for attempt in (1, 2):
        task = phone.latest("code")
        assert phone.answer(task, data={"code": wrong}).status_code == 200
        again = phone.latest("code")
        assert again["id"] != task["id"]
        assert "not right" in again["payload"]["prompt"]
        assert reset_row(app).code_attempts == attempt
    phone.answer(phone.latest("code"), data={"code": wrong})
    reset = reset_row(app)
    assert reset.status == "failed" and reset.outcome_note == "Too many wrong codes."
    assert [t for t in phone.tasks() if t["kind"] in ("code", "confirm", "set_secret")] == []
    # the right code no longer helps: the reset is over
    page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert "Failed" in page


def test_pin_breaking_a_rule_is_refused_clearly(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    start(client, wang, card_id=card)
    prove_identity(app, phone, wang)
    phone.confirm_latest()
    task = phone.latest("set_secret")
    refused = phone.answer(task, data={"secret": "444444", "repeat": "444444"})
    assert refused.status_code == 409
    assert "repeated or running sequence" in refused.json["detail"]
    assert phone.latest("set_secret")["id"] == task["id"]  # still open, nothing changed
    with app.app_context():
        birth = db.session.get(CredentialReset, reset_row(app).id).customer.birth_date
    birth_pin = birth.strftime("%y%m%d")
    assert phone.answer(task, data={"secret": birth_pin, "repeat": birth_pin}).status_code == 200
    retry = phone.latest("set_secret")
    assert retry["id"] != task["id"]
    assert "date of birth" in retry["title"]
    reset = reset_row(app)
    assert reset.status == "waiting" and reset.secret_attempts == 1
    with app.app_context():
        assert not core_banking().verify_pin(card, birth_pin)
    phone.answer(retry, data={"secret": GOOD_PIN, "repeat": GOOD_PIN})
    assert reset_row(app).status == "set"


def test_password_reset_refuses_common_passwords(client, app, world, sign_in):
    li = world.customers[1]
    sign_in(world.staff["manager"])
    phone = phone_of(app, li)
    start(client, li, kind="password")
    prove_identity(app, phone, li)
    phone.confirm_latest()
    task = phone.latest("set_secret")
    assert task["payload"]["secret_type"] == "password"
    phone.answer(task, data={"secret": "q1w2e3r4t5y6", "repeat": "q1w2e3r4t5y6"})
    retry = phone.latest("set_secret")
    assert "10,000 most common" in retry["title"]
    password = "Harbour-Lantern-42"
    phone.answer(retry, data={"secret": password, "repeat": password})
    assert reset_row(app).status == "set"
    with app.app_context():
        login = db.session.scalar(select(OnlineBankingLogin)
                                  .where(OnlineBankingLogin.customer_id == li.id))
        assert PasswordHasher().verify(login.password_hash, password)


def test_expired_task_expires_the_reset(client, app, world, sign_in):
    from workstation.tasks.service import expire_due_tasks

    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    start(client, wang, card_id=card_id_of(app, wang))
    task = phone.latest("code")
    with app.app_context():
        row = db.session.scalar(select(CustomerTask).where(CustomerTask.public_id == task["id"]))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        expire_due_tasks()
    late = phone.answer(task, data={"code": reset_code(app, wang.phone)})
    assert late.status_code == 409 and "expired" in late.json["detail"]
    assert reset_row(app).status == "expired"
    page = client.get(f"/customers/{wang.id}/cards").get_data(as_text=True)
    assert "Expired" in page


def test_declined_confirmation_changes_nothing(client, app, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    start(client, wang, card_id=card)
    prove_identity(app, phone, wang)
    phone.confirm_latest("decline")
    assert reset_row(app).status == "declined"
    assert [t for t in phone.tasks() if t["kind"] == "set_secret"] == []
    with app.app_context():
        assert not core_banking().verify_pin(card, GOOD_PIN)

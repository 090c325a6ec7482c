"""Numbers and dates a person or a client can send that are digits of another script, too
large for the database or past the end of the calendar: a clear refusal, never a 500, and a
secret that fails the check is neither logged nor counted as an attempt."""

from __future__ import annotations

import logging

import pytest

from tests.channel.builders import api_sign_in, push
from workstation.types import DB_INT_MAX, is_digits, whole_number

HUGE = "9" * 30


@pytest.mark.parametrize(("text", "digits", "number"), [
    ("042", True, 42), ("²³", False, None), ("١٣٥", False, None), ("", False, None),
    (str(DB_INT_MAX), True, DB_INT_MAX), (str(DB_INT_MAX + 1), True, None), (HUGE, True, None),
    (None, False, None), (7, False, None),
])
def test_only_ascii_digits_make_a_number_the_database_can_hold(text, digits, number):
    assert is_digits(text) is digits
    assert whole_number(text) == number


@pytest.fixture
def phone(client, app, world):
    token = api_sign_in(client, app, world.customers[0].phone)["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def pin_handler():
    from workstation.tasks.handlers import _handlers, register_answer_handler

    received = []
    register_answer_handler("card_pin", received.append)
    yield received
    _handlers.pop("card_pin", None)


@pytest.mark.parametrize("pin", ["²³⁴⁵⁶⁷", "١٣٥٧٩٢"])
def test_a_pin_in_other_digits_is_refused_without_a_trace(client, app, world, phone, caplog,
                                                           pin_handler, pin):
    task = push(app, world.customers[0].id, "set_secret",
                {"secret_type": "pin", "label": "New PIN for card ending 4321"},
                subject=("card_pin", 7))
    with caplog.at_level(logging.DEBUG):
        refused = client.post(f"/api/v1/customer/tasks/{task['id']}/answer", headers=phone,
                              json={"payload_hash": task["payload_hash"], "decision": "accept",
                                    "data": {"secret": pin, "repeat": pin}})
    assert refused.status_code == 409 and "exactly 6 digits" in refused.json["detail"]
    assert not any(ch in caplog.text for ch in pin)
    still_open = client.get(f"/api/v1/customer/tasks/{task['id']}", headers=phone)
    assert still_open.json["task"]["status"] in ("pending", "delivered") and pin_handler == []


@pytest.mark.parametrize("after", [HUGE, "²", "-1"])
def test_the_task_replay_refuses_an_odd_sequence_number(client, phone, after):
    response = client.get(f"/api/v1/customer/tasks?after_seq={after}", headers=phone)
    assert response.status_code == 422 and "after_seq" in response.json["detail"]


def test_live_rating_refuses_other_digits_and_a_comment_that_is_not_text(client, app, world):
    from workstation.audit import Actor
    from workstation.errors import ValidationFailed
    from workstation.extensions import db
    from workstation.live.customer import rate_session
    from workstation.live.models import LiveSession

    with app.app_context():
        session = LiveSession(customer_id=world.customers[0].id, agent_id=world.staff["agent"].id,
                              topic="card", origin="queue", status="ended", form_values={})
        db.session.add(session)
        db.session.commit()
        for score, comment in (("²", ""), (5, ["a"]), (HUGE, "")):
            with pytest.raises(ValidationFailed):
                rate_session(Actor.system(), world.customers[0].id, session.id, score, comment)
        assert rate_session(Actor.system(), world.customers[0].id, session.id, "5", None).score == 5

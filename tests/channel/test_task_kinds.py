"""Each task kind's answer: secrets reach only the handler, files are checked, screens render."""

from __future__ import annotations

import base64
import json
import logging

import pytest
from sqlalchemy import select

from tests.channel.builders import api_sign_in, push
from workstation.extensions import db
from workstation.models import AuditEvent
from workstation.tasks.handlers import _handlers, register_answer_handler
from workstation.tasks.models import CustomerTask, CustomerTaskFile

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82") + b"\x00" * 120


@pytest.fixture
def phone(client, app, world):
    """Wang Fang's app: its bearer headers."""
    token = api_sign_in(client, app, world.customers[0].phone)["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def pin_handler():
    received = []
    register_answer_handler("card_pin", received.append)
    yield received
    _handlers.pop("card_pin", None)


def answer(client, headers, task, data=None, decision="accept"):
    return client.post(f"/api/v1/customer/tasks/{task['id']}/answer", headers=headers,
                       json={"payload_hash": task["payload_hash"], "decision": decision,
                             "data": data or {}})


def test_new_pin_goes_only_to_the_handler(client, app, world, phone, pin_handler):
    task = push(app, world.customers[0].id, "set_secret",
                {"secret_type": "pin", "label": "New PIN for card ending 4321"},
                subject=("card_pin", 7))
    differs = answer(client, phone, task, {"secret": "470913", "repeat": "470914"})
    assert differs.status_code == 409 and "not the same" in differs.json["detail"]
    weak = answer(client, phone, task, {"secret": "123456", "repeat": "123456"})
    assert "sequence" in weak.json["detail"]
    done = answer(client, phone, task, {"secret": "470913", "repeat": "470913"})
    assert done.status_code == 200 and done.json["status"] == "completed"
    [received] = pin_handler
    assert received.private == {"secret": "470913"} and received.task.subject_id == "7"
    with app.app_context():
        stored = db.session.scalar(select(CustomerTask.answer_json))
        audit_text = json.dumps([e.detail for e in db.session.scalars(select(AuditEvent))])
    assert "470913" not in stored and "470913" not in audit_text
    assert "470913" not in done.get_data(as_text=True)


def test_handler_can_refuse_an_answer(client, app, world, phone):
    from workstation.errors import ValidationFailed

    def wrong_code(answer):
        if answer.private.get("code") != "2468":
            raise ValidationFailed("That code is not the one on your letter.")

    register_answer_handler("letter_code", wrong_code)
    try:
        task = push(app, world.customers[0].id, "code",
                    {"prompt": "Code from the letter", "length": 4},
                    subject=("letter_code", 1))
        refused = answer(client, phone, task, {"code": "1357"})
        assert refused.status_code == 409
        assert refused.json["detail"] == "That code is not the one on your letter."
        assert answer(client, phone, task, {"code": "2468"}).json["status"] == "completed"
    finally:
        _handlers.pop("letter_code", None)


def test_upload_checks_type_and_size(client, app, world, phone):
    task = push(app, world.customers[0].id, "upload",
                {"document": "ID card, front", "accept": ["image/png"], "max_bytes": 2048})
    url = f"/api/v1/customer/tasks/{task['id']}/answer"

    def send(content, name="id.png", mimetype="image/png"):
        from io import BytesIO

        return client.post(url, headers=phone, content_type="multipart/form-data", data={
            "payload_hash": task["payload_hash"], "decision": "accept",
            "file": (BytesIO(content), name, mimetype)})

    assert "not accepted" in send(b"%PDF-1.7 fake", "x.pdf", "application/pdf").json["detail"]
    assert "does not match" in send(PNG, "x.jpg", "image/jpeg").json["detail"]
    assert "larger than" in send(PNG + b"\x00" * 4096).json["detail"]
    ok = send(PNG, 'front".png')
    assert ok.status_code == 200, ok.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(CustomerTaskFile))
        assert stored.content == PNG and '"' not in stored.filename


def test_signature_drawn_or_typed(client, app, world, phone):
    document = {"document_title": "Card agreement", "document_text": "I agree to the terms."}
    typed = push(app, world.customers[0].id, "sign", document)
    assert answer(client, phone, typed, {"method": "typed", "name": "Wang Fang"}).status_code \
        == 200
    drawn = push(app, world.customers[0].id, "sign", document)
    bad = answer(client, phone, drawn, {"method": "drawn", "image": "data:image/png;base64,@@"})
    assert bad.status_code == 409
    image = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert answer(client, phone, drawn, {"method": "drawn", "image": image}).status_code == 200


def test_rating_and_decline(client, app, world, phone):
    rating = push(app, world.customers[0].id, "rating", {"question": "How was the call?"})
    assert answer(client, phone, rating, {"score": 9}).status_code == 409
    assert answer(client, phone, rating, {"score": 5, "comment": "Quick"}).status_code == 200
    confirm = push(app, world.customers[0].id)
    assert answer(client, phone, confirm, decision="decline").json["status"] == "declined"
    notice = push(app, world.customers[0].id, "notice", {"message": "Branch closes at 17:00"})
    assert answer(client, phone, notice, decision="decline").status_code == 409


def test_http_replay_and_ack(client, app, world, phone):
    first = push(app, world.customers[0].id)
    second = push(app, world.customers[0].id)
    listed = client.get("/api/v1/customer/tasks?after_seq=1", headers=phone).json["tasks"]
    assert [t["id"] for t in listed] == [second["id"]]
    assert client.get("/api/v1/customer/tasks?after_seq=x", headers=phone).status_code == 422
    acked = client.post(f"/api/v1/customer/tasks/{first['id']}/ack", headers=phone)
    assert acked.json["status"] == "delivered"
    assert client.post("/api/v1/customer/tasks/nope/ack", headers=phone).status_code == 404
    assert client.get("/api/v1/customer/tasks").status_code == 401


@pytest.mark.parametrize("kind,payload,shown", [
    ("confirm", {"summary": "Report card lost", "details": [{"label": "Fee", "value": "0.00 CNY"}]},
     "Report card lost"),
    ("set_secret", {"secret_type": "password", "label": "New online banking password"},
     "Type it again"),
    ("sign", {"document_title": "Agreement", "document_text": "Terms"}, "sign-canvas"),
    ("upload", {"document": "Passport photo page"}, "Passport photo page"),
    ("code", {"prompt": "Code on the staff screen", "length": 6}, "Code on the staff screen"),
    ("rating", {"question": "How did we do?"}, "5 of 5"),
    ("notice", {"message": "Bring your ID card"}, "Got it"),
    ("download", {"document_title": "Statement", "url": "/documents/1"}, "Download Statement"),
])
def test_each_kind_has_its_mobile_screen(client, app, world, phone, pin_handler, kind, payload,
                                         shown):
    task = push(app, world.customers[0].id, kind, payload, subject=("card_pin", 1))
    page = client.get(f"/m/tasks/{task['id']}", headers=phone)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and shown in text
    assert task["payload_hash"] in text
    home = client.get("/m/", headers=phone).get_data(as_text=True)
    assert task["title"] in home


def test_closed_task_screen_says_so(client, app, world, phone):
    task = push(app, world.customers[0].id)
    answer(client, phone, task)
    page = client.get(f"/m/tasks/{task['id']}", headers=phone).get_data(as_text=True)
    assert "Done. Thank you." in page and 'data-decision' not in page


def test_the_phone_gives_a_date_with_a_deadline_that_is_not_today(client, app, world):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from tests.channel.builders import web_sign_in

    week = push(app, world.customers[0].id, "notice", {"message": "Sign by next week"},
                expires_in=timedelta(days=7))
    soon = push(app, world.customers[0].id, "notice", {"message": "Answer soon"},
                expires_in=timedelta(minutes=10))
    zone = ZoneInfo("Asia/Shanghai")  # Wang Fang's home branch

    def shown(task):
        local = datetime.fromisoformat(task["expires_at"]).astimezone(zone)
        if local.date() == datetime.now(zone).date():
            return local.strftime("%H:%M")
        return local.strftime("%d %b %H:%M").lstrip("0")

    home = web_sign_in(client, app, world.customers[0].phone).get_data(as_text=True)
    assert f"until {shown(week)}<" in home and " " in shown(week)  # a date, then the time
    assert f"until {shown(soon)}<" in home
    page = client.get(f"/m/tasks/{week['id']}").get_data(as_text=True)
    assert f">{shown(week)}</time>" in page


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


@pytest.mark.parametrize("after", ["9" * 30, "²", "-1"])
def test_the_task_replay_refuses_an_odd_sequence_number(client, phone, after):
    response = client.get(f"/api/v1/customer/tasks?after_seq={after}", headers=phone)
    assert response.status_code == 422 and "after_seq" in response.json["detail"]

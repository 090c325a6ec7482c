"""The task outbox: written with the business change, sent after commit, replayed, answered."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.channel.builders import api_sign_in, events_named, push
from workstation.audit import Actor
from workstation.extensions import db, socketio
from workstation.models import AuditEvent, ServiceRecord
from workstation.tasks.models import CustomerTask
from workstation.tasks.service import create_task, expire_due_tasks


@pytest.fixture
def wang_device(client, app, world):
    """Wang Fang's phone: a bearer token and a connected /customer socket."""
    token = api_sign_in(client, app, world.customers[0].phone)["token"]
    device = socketio.test_client(app, namespace="/customer", auth={"token": token})
    assert device.is_connected("/customer")
    device.token = token
    device.headers = {"Authorization": f"Bearer {token}"}
    return device


def test_task_is_sent_only_after_the_business_change_commits(app, world, wang_device):
    wang = world.customers[0]
    with app.app_context():
        create_task(Actor.system("test"), wang.id, "notice", {"message": "Your card is ready"})
        assert events_named(wang_device, "task") == []
        db.session.rollback()
        assert db.session.scalar(select(func.count(CustomerTask.id))) == 0
        create_task(Actor.system("test"), wang.id, "notice", {"message": "Your card is ready"})
        db.session.add(ServiceRecord(customer_id=wang.id, topic="card", summary="ready"))
        db.session.commit()
    [task] = events_named(wang_device, "task")
    assert task["payload"] == {"message": "Your card is ready"}
    assert task["seq"] == 1 and task["status"] == "pending"


def test_devices_get_their_events_before_staff_tabs(app, world, monkeypatch):
    """After a commit the customer's devices are sent to first; staff tabs follow."""
    from workstation.realtime import after_commit

    sent = []
    monkeypatch.setattr(after_commit, "emit_to_room",
                        lambda room, event, data, namespace: sent.append((namespace, event)))
    with app.app_context():
        after_commit.emit_after_commit("staff:1", "task:status", {}, "/staff")
        after_commit.emit_after_commit("customer:1", "task", {}, "/customer")
        after_commit.emit_after_commit("customer-tasks:1", "task:status", {}, "/staff")
        assert sent == []
        db.session.commit()
    assert sent == [("/customer", "task"), ("/staff", "task:status"), ("/staff", "task:status")]


def test_sequence_numbers_are_per_customer(app, world):
    first = push(app, world.customers[0].id)
    second = push(app, world.customers[0].id)
    other = push(app, world.customers[1].id)
    assert (first["seq"], second["seq"], other["seq"]) == (1, 2, 1)


def test_tasks_pushed_at_once_to_one_customer_are_numbered_each_once(app, world):
    """Staff on several requests push to the same customer together: the numbers the phone
    replays by are 1..N, none twice and none skipped, and so is the audit trail."""
    wang = world.customers[0].id
    with ThreadPoolExecutor(max_workers=4) as pool:
        pushed = list(pool.map(lambda n: push(app, wang, "notice", {"message": f"m{n}"}),
                               range(24)))
    assert sorted(task["seq"] for task in pushed) == list(range(1, 25))
    with app.app_context():
        stored = db.session.scalars(select(CustomerTask.seq).where(
            CustomerTask.customer_id == wang).order_by(CustomerTask.seq)).all()
        audited = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "task.created")).all()
    assert stored == list(range(1, 25))
    assert sorted(json.loads(detail)["seq"] for detail in audited) == list(range(1, 25))


def test_reconnect_replays_open_tasks_after_last_seq_in_order(app, world, wang_device):
    wang = world.customers[0]
    tasks = [push(app, wang.id, "notice", {"message": f"Message {n}"}) for n in range(3)]
    reply = wang_device.emit("task:sync", {"after_seq": 0}, namespace="/customer", callback=True)
    assert [t["id"] for t in reply["tasks"]] == [t["id"] for t in tasks]
    reply = wang_device.emit("task:sync", {"after_seq": 1}, namespace="/customer", callback=True)
    assert [t["seq"] for t in reply["tasks"]] == [2, 3]


def test_ack_marks_delivered_and_staff_watchers_see_it(client, app, world, wang_device, sign_in):
    wang = world.customers[0]
    task = push(app, wang.id)
    sign_in(world.staff["manager"])
    staff = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    joined = staff.emit("tasks:watch", {"customer_id": wang.id}, namespace="/staff", callback=True)
    assert joined == {"ok": True, "changed_at": task["created_at"]}
    reply = wang_device.emit("task:ack", {"id": task["id"]}, namespace="/customer", callback=True)
    assert reply == {"ok": True, "id": task["id"], "status": "delivered"}
    statuses = events_named(staff, "task:status", "/staff")
    assert statuses[-1]["status"] == "delivered" and statuses[-1]["id"] == task["id"]
    again = wang_device.emit("task:ack", {"id": task["id"]}, namespace="/customer", callback=True)
    assert again["status"] == "delivered"
    rejoined = staff.emit("tasks:watch", {"customer_id": wang.id}, namespace="/staff",
                          callback=True)
    assert rejoined["changed_at"] > task["created_at"]  # the delivery is the last change


def test_staff_cannot_watch_a_customer_outside_their_work(client, app, world, sign_in):
    sign_in(world.staff["manager2"])
    staff = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    reply = staff.emit("tasks:watch", {"customer_id": world.customers[0].id}, namespace="/staff",
                       callback=True)
    assert reply["ok"] is False and reply["error"] == "forbidden"


def _answer(device, task, decision="accept", data=None, payload_hash=None):
    body = {"id": task["id"], "payload_hash": payload_hash or task["payload_hash"],
            "decision": decision, "data": data or {}}
    return device.emit("task:answer", body, namespace="/customer", callback=True)


def test_confirm_with_the_shown_hash_completes_once(app, world, wang_device):
    task = push(app, world.customers[0].id)
    assert _answer(wang_device, task)["status"] == "completed"
    again = _answer(wang_device, task)
    assert again["ok"] is False and again["error"] == "answered"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "task.created" in actions and "task.completed" in actions


def test_answer_to_changed_or_unknown_task_is_refused(app, world, wang_device):
    task = push(app, world.customers[0].id)
    changed = _answer(wang_device, task, payload_hash="0" * 64)
    assert changed["error"] == "changed"
    unknown = _answer(wang_device, {**task, "id": "f" * 32})
    assert unknown["error"] == "not_found"
    for bad in ("junk", None, {"id": 5}, {"id": task["id"], "data": []}):
        reply = wang_device.emit("task:answer", bad, namespace="/customer", callback=True)
        assert reply["ok"] is False, bad
    wrong = _answer(wang_device, task, data={"score": 3})
    assert wrong["error"] == "wrong_answer"
    with app.app_context():
        assert db.session.scalar(select(CustomerTask.status)) == "pending"


def test_other_customers_task_is_not_found(client, app, world, wang_device):
    task = push(app, world.customers[1].id)
    assert _answer(wang_device, task)["error"] == "not_found"
    assert client.get(f"/m/tasks/{task['id']}", headers=wang_device.headers).status_code == 404


def test_expired_and_cancelled_tasks_are_refused(app, world, wang_device):
    wang = world.customers[0]
    soon = push(app, wang.id, expires_in=5)
    with app.app_context():
        db.session.execute(CustomerTask.__table__.update().values(
            expires_at=func.current_timestamp()))
        db.session.commit()
    assert _answer(wang_device, soon)["error"] == "expired"
    withdrawn = push(app, wang.id)
    with app.app_context():
        from workstation.tasks.service import cancel_task

        cancel_task(Actor.system("test"), wang.id, withdrawn["id"], "Customer changed their mind")
        db.session.commit()
    statuses = events_named(wang_device, "task:status")
    assert {"id": withdrawn["id"], "status": "cancelled"}.items() <= statuses[-1].items()
    assert _answer(wang_device, withdrawn)["error"] == "cancelled"


def test_expiry_job_closes_each_task_once(app, world):
    from workstation.tasks.handlers import _handlers, register_answer_handler

    seen = []
    register_answer_handler("expiry_probe", lambda answer: seen.append(answer.decision))
    try:
        push(app, world.customers[0].id, subject=("expiry_probe", 1), expires_in=5)
        with app.app_context():
            db.session.execute(CustomerTask.__table__.update().values(
                expires_at=func.current_timestamp()))
            db.session.commit()
            assert expire_due_tasks() == 1
            assert expire_due_tasks() == 0
            assert db.session.scalar(select(CustomerTask.status)) == "expired"
    finally:
        _handlers.pop("expiry_probe", None)
    assert seen == ["expired"]


def test_answers_are_rate_limited(app, world, wang_device):
    task = push(app, world.customers[0].id)
    replies = [_answer(wang_device, task, payload_hash="0" * 64) for _ in range(11)]
    assert replies[-1]["error"] == "rate_limited"
    assert {r["error"] for r in replies[:10]} == {"changed"}


def test_bad_task_creation_is_refused(app, world):
    from workstation.errors import ValidationFailed

    cases = [("launch", {}), ("confirm", {}), ("confirm", {"summary": 5}),
             ("download", {"document_title": "x", "url": "https://evil.example/"}),
             ("upload", {"document": "ID", "accept": ["text/html"]}),
             ("set_secret", {"label": "New PIN"})]
    with app.app_context():
        for kind, payload in cases:
            with pytest.raises(ValidationFailed):
                create_task(Actor.system("test"), world.customers[0].id, kind, payload)
            db.session.rollback()


def test_card_numbers_in_a_confirmation_are_masked(app, world):
    task = push(app, world.customers[0].id)
    assert task["payload"]["details"][0]["value"].endswith("1234")
    assert "6222" not in task["payload"]["details"][0]["value"]

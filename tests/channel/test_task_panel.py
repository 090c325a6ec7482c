"""Staff see a customer's tasks live, send messages, and withdraw open tasks."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.channel.builders import api_sign_in, events_named, push
from workstation.extensions import db, socketio
from workstation.models import AuditEvent
from workstation.tasks.models import CustomerTask


def test_manager_sends_a_message_that_reaches_the_phone(client, app, world, sign_in):
    wang = world.customers[0]
    token = api_sign_in(client, app, wang.phone)["token"]
    device = socketio.test_client(app, namespace="/customer", auth={"token": token})
    sign_in(world.staff["manager"])
    page = client.get(f"/customers/{wang.id}/tasks")
    assert page.status_code == 200 and "No task has been sent" in page.get_data(as_text=True)
    sent = client.post(f"/customers/{wang.id}/tasks", headers={"HX-Request": "true"},
                       data={"kind": "notice", "text": "Please bring your ID card"})
    assert sent.status_code == 200
    assert "A message from your bank" in sent.get_data(as_text=True)
    assert "Please bring your ID card" in sent.get_data(as_text=True)  # what the phone shows
    [task] = events_named(device, "task")
    assert task["payload"] == {"message": "Please bring your ID card"}
    with app.app_context():  # one row per send: the task's, naming why the manager may act
        events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [(e.action, e.reason) for e in events[-2:]] == [
        ("customer.tasks_view", "portfolio"), ("task.created", "portfolio")]
    assert events[-1].customer_id == wang.id
    assert events[-1].actor_username == world.staff["manager"].username
    empty = client.post(f"/customers/{wang.id}/tasks", data={"kind": "notice", "text": ""})
    assert empty.status_code == 422
    with app.app_context():  # a refused send leaves no task: only the panel shown again
        after = list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.id > events[-1].id)))
        assert after == ["customer.tasks_view"]
        assert db.session.scalar(select(func.count(CustomerTask.id))) == 1


def _changed_at(page) -> str:
    return re.search(r'data-changed-at="([^"]*)"', page.get_data(as_text=True)).group(1)


def test_panel_and_its_socket_agree_on_the_last_change(client, app, world, sign_in):
    """A page whose panel is current when its socket joins the customer's room refreshes
    nothing; one rendered before a change sees a different time and refreshes once."""
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    staff = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    empty = client.get(f"/customers/{wang.id}/tasks")
    assert _changed_at(empty) == ""
    assert staff.emit("tasks:watch", {"customer_id": wang.id}, namespace="/staff",
                      callback=True) == {"ok": True, "changed_at": ""}
    sent = client.post(f"/customers/{wang.id}/tasks", headers={"HX-Request": "true"},
                       data={"kind": "notice", "text": "Your new card has arrived"})
    joined = staff.emit("tasks:watch", {"customer_id": wang.id}, namespace="/staff",
                        callback=True)
    assert joined["changed_at"] == _changed_at(sent) != ""
    task = push(app, wang.id)
    assert _changed_at(client.get(f"/customers/{wang.id}/tasks")) == task["created_at"]
    assert staff.emit("tasks:watch", {"customer_id": wang.id}, namespace="/staff",
                      callback=True)["changed_at"] == task["created_at"] != joined["changed_at"]


def test_panel_shows_the_newest_tasks_and_is_stale_only_when_one_of_them_changes(
        client, app, world, sign_in):
    """A customer with more tasks than the panel shows: the newest 30, newest first. A
    withdrawal of an older task changes nothing the panel shows, so a page that joins the
    room afterwards need not refresh; a withdrawal of a shown task makes it refresh."""
    from workstation.audit import Actor
    from workstation.tasks.service import cancel_task

    wang = world.customers[0]
    tasks = [push(app, wang.id, "notice", {"message": f"Message {n}"}) for n in range(32)]
    sign_in(world.staff["manager"])
    staff = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    page = client.get(f"/customers/{wang.id}/tasks")
    shown = re.findall(r'data-task-id="([0-9a-f]+)"', page.get_data(as_text=True))
    assert shown == [task["id"] for task in reversed(tasks[2:])]

    def withdraw(task):
        with app.app_context():
            cancel_task(Actor.system("test"), wang.id, task["id"], "Sent by mistake.")
            db.session.commit()

    def joined_changed_at() -> str:
        return staff.emit("tasks:watch", {"customer_id": wang.id}, namespace="/staff",
                          callback=True)["changed_at"]

    withdraw(tasks[0])
    assert joined_changed_at() == _changed_at(page) == tasks[-1]["created_at"]
    withdraw(tasks[5])
    assert joined_changed_at() != _changed_at(page)
    assert joined_changed_at() == _changed_at(client.get(f"/customers/{wang.id}/tasks"))


def test_panel_refuses_staff_without_access(client, app, world, sign_in):
    push(app, world.customers[0].id)
    sign_in(world.staff["manager2"])
    reason_page = f"/customers/{world.customers[0].id}/reason"
    response = client.get(f"/customers/{world.customers[0].id}/tasks")
    assert response.status_code == 302 and response.headers["Location"].endswith(reason_page)
    refused = client.post(f"/customers/{world.customers[0].id}/tasks",  # from the panel
                          data={"kind": "notice", "text": "Hello"}, headers={"HX-Request": "true"})
    assert refused.status_code == 204 and refused.headers["HX-Redirect"].endswith(reason_page)
    with app.app_context():  # the refusal is on record, and no task was made
        last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (last.action, last.outcome) == ("customer.task_push", "reason_required")
        assert db.session.scalar(select(func.count(CustomerTask.id))) == 1
    assert client.get("/customers/999999/tasks").status_code == 404


def test_auditors_read_the_panel_but_only_serving_staff_send_or_withdraw(client, app, world,
                                                                          sign_in):
    wang = world.customers[0]
    task = push(app, wang.id, "notice", {"message": "Your card is ready for collection"})
    sign_in(world.staff["auditor"])
    client.post(f"/customers/{wang.id}/reason", data={
        "reason_code": "audit_review", "reason_text": "Quarterly review of task delivery"})
    page = client.get(f"/customers/{wang.id}/tasks").get_data(as_text=True)
    assert "Your card is ready for collection" in page
    assert "Send to phone" not in page and "Withdraw" not in page
    assert client.post(f"/customers/{wang.id}/tasks",
                       data={"kind": "notice", "text": "Hello"}).status_code == 403
    assert client.post(f"/customers/{wang.id}/tasks/{task['id']}/cancel").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(CustomerTask.id))) == 1
        assert db.session.scalar(select(CustomerTask.status)) == "pending"


def test_the_profile_loads_the_task_panel_for_staff_who_may_read_it(client, world, sign_in):
    wang = world.customers[0]
    sign_in(world.staff["manager"])
    profile = client.get(f"/customers/{wang.id}").get_data(as_text=True)
    assert f'hx-get="/customers/{wang.id}/tasks"' in profile
    panel = client.get(f"/customers/{wang.id}/tasks", headers={"HX-Request": "true"})
    assert 'data-testid="task-panel"' in panel.get_data(as_text=True)
    assert "<html" not in panel.get_data(as_text=True)  # the card alone, for the profile


def test_panel_needs_sign_in_and_csrf(client, app, world, sign_in):
    assert client.get(f"/customers/{world.customers[0].id}/tasks").status_code == 302
    sign_in(world.staff["manager"])
    forged = client.post(f"/customers/{world.customers[0].id}/tasks",
                         data={"kind": "notice", "text": "Hi"}, csrf=False)
    assert forged.status_code == 400


def test_withdrawn_task_disappears_from_the_phone(client, app, world, sign_in):
    wang = world.customers[0]
    token = api_sign_in(client, app, wang.phone)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    task = push(app, wang.id)
    sign_in(world.staff["manager"])
    page = client.post(f"/customers/{wang.id}/tasks/{task['id']}/cancel",
                       data={"reason": "Customer called instead"})
    assert page.status_code == 200 and "cancelled" in page.get_data(as_text=True)
    with app.app_context():  # one access on record: the withdrawal, not a view besides
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["customer.task_cancel", "task.cancelled"]
    assert client.get("/api/v1/customer/tasks", headers=headers).json["tasks"] == []
    again = client.post(f"/customers/{wang.id}/tasks/{task['id']}/cancel")
    assert again.status_code == 409


def test_panel_shows_answers_but_never_a_secret(client, app, world, sign_in):
    from workstation.tasks.handlers import _handlers, register_answer_handler

    wang = world.customers[0]
    register_answer_handler("card_pin", lambda answer: None)
    try:
        task = push(app, wang.id, "set_secret", {"label": "New PIN"}, subject=("card_pin", 1))
        token = api_sign_in(client, app, wang.phone)["token"]
        client.post(f"/api/v1/customer/tasks/{task['id']}/answer",
                    headers={"Authorization": f"Bearer {token}"},
                    json={"payload_hash": task["payload_hash"], "decision": "accept",
                          "data": {"secret": "582047", "repeat": "582047"}})
    finally:
        _handlers.pop("card_pin", None)
    push(app, wang.id, "confirm", {"summary": "Replace card 6222 0000 1111 2345"})
    sign_in(world.staff["manager"])
    text = client.get(f"/customers/{wang.id}/tasks").get_data(as_text=True)
    assert "New secret set (never shown)" in text and "582047" not in text
    assert "Replace card" in text and "1111 2345" not in text  # as the phone shows it: masked

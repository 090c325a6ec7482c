"""Faults against real server processes: offline phones, crashes, duplicates, two workers."""

from __future__ import annotations

import os

import pytest
import redis
import requests

from tests.channel.builders import device_token, latest_code
from tests.channel.servers import Phone, Server, StaffBrowser

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def servers(app, database_url, data_key):
    """Start servers on the test database; every one is killed after the test."""
    started: list[Server] = []

    def start(name: str, **options) -> Server:
        server = Server(name, database_url, data_key, **options)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def redis_url():
    redis.Redis.from_url(REDIS_URL).ping()
    return REDIS_URL


def test_app_signs_in_over_http_and_gets_a_pushed_task(app, world, servers):
    server = servers("single")
    wang = world.customers[0]
    started = requests.post(server.url + "/api/v1/customer/auth/code",
                            json={"phone": wang.phone}, timeout=10)
    assert started.status_code == 202
    signed_in = requests.post(server.url + "/api/v1/customer/auth/verify", timeout=10, json={
        "challenge_id": started.json()["challenge_id"], "code": latest_code(app, wang.phone)})
    phone = Phone(signed_in.json()["token"])
    phone.connect(server.url)
    staff = StaffBrowser(world.staff["manager"]).sign_in(server.url)
    assert staff.send_message(server.url, wang.id, "Your new card is ready").ok
    [shown] = phone.wait_shown(1)
    assert phone.wait_acknowledged(shown) == "delivered"  # the ack is answered once committed
    listed = requests.get(server.url + "/api/v1/customer/tasks", timeout=10,
                          headers={"Authorization": f"Bearer {phone.token}"}).json()
    assert [t["id"] for t in listed["tasks"]] == [shown]
    assert listed["tasks"][0]["status"] == "delivered"
    phone.disconnect()


def test_offline_phone_gets_tasks_on_reconnect_in_order(app, world, servers):
    server = servers("offline")
    wang = world.customers[0]
    phone = Phone(device_token(app, wang.phone))
    phone.connect(server.url)
    staff = StaffBrowser(world.staff["manager"]).sign_in(server.url)
    staff.send_message(server.url, wang.id, "one")
    [first] = phone.wait_shown(1)
    phone.disconnect()
    for text in ("two", "three"):
        assert staff.send_message(server.url, wang.id, text).ok
    assert phone.shown == [first]
    phone.connect(server.url)
    shown = phone.wait_shown(3)
    texts = [t["payload"]["message"] for t in phone.tasks(server.url)]
    assert shown[0] == first and len(shown) == 3 and texts == ["one", "two", "three"]
    assert [t["id"] for t in phone.tasks(server.url)] == shown
    phone.disconnect()


def test_crash_between_commit_and_emit_is_delivered_after_restart(app, world, servers):
    wang = world.customers[0]
    server = servers("crashy", env={"WORKSTATION_FAULT_EXIT_BEFORE_EMIT": "task"})
    phone = Phone(device_token(app, wang.phone))
    phone.connect(server.url)
    staff = StaffBrowser(world.staff["manager"]).sign_in(server.url)
    with pytest.raises(requests.RequestException):
        staff.send_message(server.url, wang.id, "Written, then the server died")
    assert server.exited() == 70
    assert phone.shown == []
    server.start(WORKSTATION_FAULT_EXIT_BEFORE_EMIT="")
    phone.connect(server.url)
    [task_id] = phone.wait_shown(1)
    listed = phone.tasks(server.url)
    assert listed[0]["id"] == task_id
    assert listed[0]["payload"] == {"message": "Written, then the server died"}
    phone.disconnect()


def test_duplicate_delivery_is_shown_once(app, world, servers):
    server = servers("dupes")
    wang = world.customers[0]
    phone = Phone(device_token(app, wang.phone))
    phone.connect(server.url)
    staff = StaffBrowser(world.staff["manager"]).sign_in(server.url)
    staff.send_message(server.url, wang.id, "once")
    [task_id] = phone.wait_shown(1)
    assert phone.deliveries == [task_id]
    # The phone lost its place (say, an app restart before it stored last_seq): the
    # replay sends the task again, on top of the live frame.
    phone.disconnect()
    phone.last_seq = 0
    phone.connect(server.url)
    assert phone.deliveries == [task_id, task_id]
    assert phone.shown == [task_id]
    phone.disconnect()


@pytest.mark.redis
def test_two_workers_share_pushes_through_redis(app, world, servers, redis_url):
    wang = world.customers[0]
    worker_a = servers("worker-a", redis_url=redis_url)
    worker_b = servers("worker-b", redis_url=redis_url)
    phone = Phone(device_token(app, wang.phone))
    phone.connect(worker_b.url)
    staff = StaffBrowser(world.staff["manager"]).sign_in(worker_a.url)
    assert staff.send_message(worker_a.url, wang.id, "Pushed on A, shown via B").ok
    [first] = phone.wait_shown(1)
    worker_b.kill()
    assert staff.send_message(worker_a.url, wang.id, "While the phone's worker is down").ok
    phone.connect(worker_a.url)
    shown = phone.wait_shown(2)
    assert shown[0] == first and len(shown) == 2
    phone.disconnect()

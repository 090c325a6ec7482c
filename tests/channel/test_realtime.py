"""Socket.IO: devices and workstation tabs join their own rooms; the emit helpers reach them."""

from __future__ import annotations

from tests.channel.builders import api_sign_in, web_sign_in
from workstation.extensions import socketio
from workstation.realtime import emit_to_customer, emit_to_room, emit_to_staff


def test_device_with_token_receives_customer_emits(client, app, world):
    wang, li = world.customers[0], world.customers[1]
    token = api_sign_in(client, app, wang.phone)["token"]
    other = api_sign_in(client, app, li.phone)["token"]
    device = socketio.test_client(app, namespace="/customer", auth={"token": token})
    bystander = socketio.test_client(app, namespace="/customer", auth={"token": other})
    assert device.is_connected("/customer")
    with app.app_context():
        assert emit_to_customer(wang.id, "hello", {"n": 1})
    received = device.get_received("/customer")
    assert [(r["name"], r["args"][0]) for r in received] == [("hello", {"n": 1})]
    assert bystander.get_received("/customer") == []


def test_bad_or_missing_token_is_refused(client, app, world):
    for auth in (None, {"token": "nope"}, {"token": 42}, "junk"):
        device = socketio.test_client(app, namespace="/customer", auth=auth)
        assert not device.is_connected("/customer"), auth


def test_mobile_web_session_connects_without_token(client, app, world):
    wang = world.customers[0]
    web_sign_in(client, app, wang.phone)
    device = socketio.test_client(app, namespace="/customer", flask_test_client=client)
    assert device.is_connected("/customer")
    with app.app_context():
        emit_to_room(f"customer:{wang.id}", "ping", {}, "/customer")
    assert device.get_received("/customer")[0]["name"] == "ping"


def test_revoked_token_cannot_connect(client, app, world):
    signed_in = api_sign_in(client, app, world.customers[0].phone)
    headers = {"Authorization": f"Bearer {signed_in['token']}"}
    open_socket = socketio.test_client(app, namespace="/customer",
                                       auth={"token": signed_in["token"]})
    client.post("/api/v1/customer/auth/sign-out", headers=headers)
    received = open_socket.get_received("/customer")
    assert [r["name"] for r in received] == ["signed_out"]
    refused = open_socket.emit("task:sync", {"after_seq": 0}, namespace="/customer",
                               callback=True)
    assert refused["error"] == "unauthorized"
    device = socketio.test_client(app, namespace="/customer", auth={"token": signed_in["token"]})
    assert not device.is_connected("/customer")


def test_staff_tab_joins_own_room(client, app, world, sign_in):
    assert not socketio.test_client(app, namespace="/staff", flask_test_client=client) \
        .is_connected("/staff")
    agent = world.staff["agent"]
    sign_in(agent)
    tab = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    assert tab.is_connected("/staff")
    with app.app_context():
        emit_to_staff(agent.id, "note", {"text": "hi"})
        emit_to_staff(world.staff["manager"].id, "note", {"text": "not for you"})
    assert [r["args"][0] for r in tab.get_received("/staff")] == [{"text": "hi"}]

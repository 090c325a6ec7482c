"""A native app, played by python-socketio's own client, against a real server process."""

from __future__ import annotations

import json
import queue
import threading

import pytest
import requests
import socketio

from tests.live.server import start_server

PRIVATE = "Blue-Lotus-42"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running, stop = start_server(tmp_path_factory.mktemp("live_app"))
    yield running
    stop()


class Recorder:
    """A python-socketio client that keeps every event it receives, in order."""

    def __init__(self, namespace: str):
        self.namespace = namespace
        self.client = socketio.Client(reconnection=False)
        self.events: queue.Queue = queue.Queue()
        self.seen: list[tuple[str, object]] = []
        self.lock = threading.Lock()
        self.client.on("*", self._record, namespace=namespace)

    def _record(self, event, data=None):
        with self.lock:
            self.seen.append((event, data))
        self.events.put((event, data))

    def connect(self, url: str, **kwargs) -> Recorder:
        self.client.connect(url, namespaces=[self.namespace], transports=["websocket"],
                            wait_timeout=10, **kwargs)
        return self

    def call(self, event: str, payload) -> dict:
        return self.client.call(event, payload, namespace=self.namespace, timeout=10)

    def wait_for(self, name: str, timeout: float = 10):
        while True:
            event, data = self.events.get(timeout=timeout)
            if event == name:
                return data

    def close(self) -> None:
        self.client.disconnect()


def _take_next(server, browser) -> int:
    token = server.csrf(browser, "/live/queue")
    taken = browser.post(f"{server.base_url}/live/queue/take", data={"csrf_token": token},
                         allow_redirects=False, timeout=10)
    assert taken.status_code == 302, taken.text[:300]
    return int(taken.headers["Location"].rsplit("/", 1)[1])


def test_mobile_app_session_end_to_end(server):
    wang = server.world.customers[0]
    token = server.customer_token(wang.phone)
    headers = {"Authorization": f"Bearer {token}"}
    config = requests.get(f"{server.base_url}/api/v1/live/config", headers=headers, timeout=10)
    assert config.status_code == 200 and "card" in config.json()["topics"]
    app = Recorder("/customer").connect(server.base_url, auth={"token": token})
    place = requests.post(f"{server.base_url}/api/v1/live/queue", json={"topic": "card"},
                          headers=headers, timeout=10)
    assert place.status_code == 201 and place.json()["position"] == 1

    agent_browser = server.staff_session(server.world.staff["agent"])
    cookie = "; ".join(f"{k}={v}" for k, v in agent_browser.cookies.items())
    desk = Recorder("/staff").connect(server.base_url, headers={"Cookie": cookie})
    assert desk.call("live:queue:watch", {}) == {"ok": True, "waiting": 1}
    session_id = _take_next(server, agent_browser)
    assert app.wait_for("live:session:assigned")["session_id"] == session_id

    joined = app.call("live:join", {"session_id": session_id})
    assert joined["ok"] and joined["session"]["agent_name"] == "Agent1"
    assert desk.call("live:join", {"session_id": session_id})["is_agent"] is True
    assert app.call("live:consent", {"session_id": session_id, "kind": "media",
                                     "granted": True})["ok"]
    assert app.call("live:media", {"session_id": session_id, "state": "ready"})["ok"]
    assert desk.wait_for("live:media")["state"] == "ready"

    offer = {"session_id": session_id, "type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n"}
    assert desk.call("live:signal", offer)["ok"]
    assert app.wait_for("live:signal")["sdp"] == offer["sdp"]
    answer = {"session_id": session_id, "type": "answer",
              "sdp": "v=0\r\no=- 2 1 IN IP4 0.0.0.0\r\n"}
    assert app.call("live:signal", answer)["ok"]
    assert desk.wait_for("live:signal")["type"] == "answer"

    assert app.call("live:chat", {"session_id": session_id, "body": "Lost my card <b>"})["ok"]
    assert desk.wait_for("live:chat")["message"]["body"] == "Lost my card <b>"
    too_long = app.call("live:chat", {"session_id": session_id, "body": "z" * 2001})
    assert too_long["error"]["code"] == "message_too_long"
    assert app.call("live:chat", "garbage")["error"]["code"] == "bad_payload"
    assert app.call("live:signal", {"session_id": session_id, "type": "offer"})["ok"] is False

    assert desk.call("live:form:open", {"session_id": session_id, "form": "contact_update"})["ok"]
    assert app.wait_for("live:form:opened")["form"]["consent"] is None
    assert app.call("live:consent", {"session_id": session_id, "kind": "cobrowse",
                                     "granted": True})["ok"]
    for n in range(1, len(PRIVATE) + 1):
        assert app.call("live:form", {"session_id": session_id, "field": "id_number",
                                      "length": n})["ok"]
    assert app.call("live:form", {"session_id": session_id, "field": "id_number",
                                  "value": PRIVATE})["ok"] is False

    # The phone drops off the network and comes back: same session, history intact.
    app.close()
    back = Recorder("/customer").connect(server.base_url, auth={"token": token})
    status = back.call("live:queue:status", {})
    assert status["session_id"] == session_id
    rejoined = back.call("live:join", {"session_id": session_id})
    assert [m["body"] for m in rejoined["session"]["chat"] if m["sender"] == "customer"] == [
        "Lost my card <b>"]
    assert rejoined["session"]["form"]["values"]["id_number"] == "•" * len(PRIVATE)

    assert back.call("live:end", {"session_id": session_id})["ok"]
    assert desk.wait_for("live:ended")["ended_by"] == "customer"
    rated = requests.post(f"{server.base_url}/api/v1/live/sessions/{session_id}/rating",
                          json={"score": 4, "comment": "Good"}, headers=headers, timeout=10)
    assert rated.status_code == 201
    with desk.lock:
        assert PRIVATE not in json.dumps(desk.seen, ensure_ascii=False)
    back.close()
    desk.close()
    assert server.process.poll() is None, server.log_tail()


def test_unauthenticated_and_foreign_sockets_are_refused(server):
    stranger = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        stranger.connect(server.base_url, namespaces=["/customer"], transports=["websocket"],
                         auth={"token": "not-a-token"}, wait_timeout=5)
    li = server.world.customers[1]
    other = Recorder("/customer").connect(server.base_url,
                                          auth={"token": server.customer_token(li.phone)})
    refused = other.call("live:join", {"session_id": 1})
    assert refused["ok"] is False and refused["error"]["code"] in (
        "not_your_session", "no_such_session")
    assert other.call("live:join", {"session_id": 10**12})["error"]["code"] == "no_such_session"
    other.close()

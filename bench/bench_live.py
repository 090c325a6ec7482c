"""Live sessions on loopback: signaling relay latency (offer from the agent's socket to the
phone's) and the time from "take next" to both sides in the session room."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio

from bench.figures import Figure, median, percentile
from tests.live.server import start_server

OFFERS = 400
TAKES = 20


class _Client:
    def __init__(self, namespace: str, url: str, **connect):
        self.ns = namespace
        self.sio = socketio.Client(reconnection=False)
        self.handlers: dict[str, callable] = {}
        self.sio.on("*", self._dispatch, namespace=namespace)
        self.sio.connect(url, namespaces=[namespace], transports=["websocket"], **connect)

    def _dispatch(self, event, data=None):
        handler = self.handlers.get(event)
        if handler:
            handler(data)

    def call(self, event, payload):
        return self.sio.call(event, payload, namespace=self.ns, timeout=10)


def _take(server, browser) -> tuple[int, float]:
    token = server.csrf(browser, "/live/queue")
    started = time.perf_counter()
    taken = browser.post(f"{server.base_url}/live/queue/take", data={"csrf_token": token},
                         allow_redirects=False, timeout=10)
    return int(taken.headers["Location"].rsplit("/", 1)[1]), started


def _end(server, browser, session_id: int) -> None:
    token = server.csrf(browser, f"/live/sessions/{session_id}")
    browser.post(f"{server.base_url}/live/sessions/{session_id}/end",
                 data={"csrf_token": token, "outcome": "resolved"}, timeout=10)


def _room_times(server, browser, desk, phone, headers) -> list[float]:
    assigned = threading.Event()
    box: dict = {}
    phone.handlers["live:session:assigned"] = lambda d: (box.update(d), assigned.set())
    samples = []
    for _ in range(TAKES):
        assigned.clear()
        requests.post(f"{server.base_url}/api/v1/live/queue", json={"topic": "card"},
                      headers=headers, timeout=10)
        session_id, started = _take(server, browser)
        browser.get(f"{server.base_url}/live/sessions/{session_id}", timeout=10)
        assert desk.call("live:join", {"session_id": session_id})["ok"]
        assigned.wait(10)
        assert phone.call("live:join", {"session_id": box["session_id"]})["ok"]
        samples.append((time.perf_counter() - started) * 1000)
        _end(server, browser, session_id)
    return samples


def _relay_times(server, browser, desk, phone, headers) -> tuple[list[float], list[float]]:
    requests.post(f"{server.base_url}/api/v1/live/queue", json={"topic": "card"},
                  headers=headers, timeout=10)
    session_id, _ = _take(server, browser)
    assert desk.call("live:join", {"session_id": session_id})["ok"]
    assert phone.call("live:join", {"session_id": session_id})["ok"]
    arrived = threading.Event()
    phone.handlers["live:signal"] = lambda d: arrived.set()
    relay, ack = [], []
    for n in range(OFFERS + 20):
        arrived.clear()
        offer = {"session_id": session_id, "type": "offer",
                 "sdp": f"v=0\r\no=- {n} 1 IN IP4 x\r\n"}
        started = time.perf_counter()
        done = threading.Event()

        def acked(*_args, started=started, done=done):
            ack.append((time.perf_counter() - started) * 1000)
            done.set()

        desk.sio.emit("live:signal", offer, namespace="/staff", callback=acked)
        arrived.wait(10)
        relay.append((time.perf_counter() - started) * 1000)
        done.wait(10)
    return relay[20:], ack[20:]


def run() -> list[Figure]:
    """Start a server, take sessions and relay offers; report medians and p99."""
    server, stop = start_server(Path(tempfile.mkdtemp(prefix="bench_live_")))
    try:
        token = server.customer_token(server.world.customers[0].phone)
        headers = {"Authorization": f"Bearer {token}"}
        browser = server.staff_session(server.world.staff["agent"])
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        desk = _Client("/staff", server.base_url, headers={"Cookie": cookie})
        phone = _Client("/customer", server.base_url, auth={"token": token})
        rooms = _room_times(server, browser, desk, phone, headers)
        relay, ack = _relay_times(server, browser, desk, phone, headers)
        health = []
        for _ in range(50):
            started = time.perf_counter()
            requests.get(f"{server.base_url}/healthz", timeout=10)
            health.append((time.perf_counter() - started) * 1000)
        desk.sio.disconnect()
        phone.sio.disconnect()
    finally:
        stop()
    ack_median = median(ack)
    return [
        Figure("live_signal_relay_median", median(relay), "ms", ack_median,
               "sender ack round trip", note=f"{len(relay)} offers agent -> phone, loopback"),
        Figure("live_signal_relay_p99", percentile(relay, 99), "ms", percentile(ack, 99),
               "sender ack round trip p99"),
        Figure("live_take_next_to_room_median", median(rooms), "ms", median(health),
               "GET /healthz", note=f"{TAKES} takes: POST take, room page, both live:join"),
        Figure("live_take_next_to_room_p99", percentile(rooms, 99), "ms"),
    ]

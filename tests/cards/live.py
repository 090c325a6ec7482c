"""Driving a real server process: staff over HTTP, the customer's app over Socket.IO, and
reading the server's database directly to check what happened."""

from __future__ import annotations

import queue
import re
import time
from dataclasses import dataclass, field

import requests
import socketio
from sqlalchemy import MetaData, create_engine, select, text

from tests.e2e.conftest import DEMO_PASSWORD
from workstation.config import normalise_database_url

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
SIGN_IN_CODE = re.compile(r"code is (\d{6})")
RESET_CODE = re.compile(r"confirm the .+ is (\d{6})")
WAIT = 15


class ServerDb:
    """Read-only look into the live server's database."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(normalise_database_url(url))

    def one(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).one()

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def latest_sms(self, phone: str, pattern: re.Pattern, after_id: int = 0) -> str:
        """The code of the newest matching text message to a phone (waits a little)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with self.engine.connect() as conn:
                bodies = conn.execute(text(
                    "SELECT body FROM sms_outbox WHERE phone = :p AND id > :a ORDER BY id DESC"),
                    {"p": phone, "a": after_id}).scalars().all()
            for body in bodies:
                if pattern.search(body):
                    return pattern.search(body).group(1)
            time.sleep(0.1)
        raise AssertionError(f"no text message matching {pattern.pattern} to {phone}")

    def every_value(self) -> list[tuple[str, str]]:
        """(table.column, value) for every non-empty cell of every table."""
        meta = MetaData()
        meta.reflect(self.engine)
        found = []
        with self.engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(select(table)).mappings():
                    found += [(f"{table.name}.{k}", str(v)) for k, v in row.items()
                              if v not in (None, "")]
        return found


def wait_for(check, message: str, timeout: float = WAIT):
    """Poll until `check()` is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {message}")


class StaffBrowser:
    """A staff member's signed-in HTTP session (forms carry the CSRF token)."""

    def __init__(self, base_url: str, account) -> None:
        self.base = base_url
        self.http = requests.Session()
        page = self.http.get(f"{base_url}/auth/login").text
        self._post_ok("/auth/login", {"username": account.username,
                                      "password": DEMO_PASSWORD}, page)
        page = self.http.get(f"{base_url}/auth/second-factor").text
        self._post_ok("/auth/second-factor", {"code": account.next_code()}, page)

    def _post_ok(self, path: str, data: dict, page: str) -> requests.Response:
        data["csrf_token"] = CSRF_INPUT.search(page).group(1)
        response = self.http.post(f"{self.base}{path}", data=data)
        assert response.status_code == 200, response.text[-500:]
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(f"{self.base}{path}", **kwargs)

    def post(self, path: str, data: dict, page_path: str) -> requests.Response:
        """Post a form the way its page would (token from the page), following the redirect."""
        data = dict(data, csrf_token=CSRF_INPUT.search(self.get(page_path).text).group(1))
        return self.http.post(f"{self.base}{path}", data=data)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)


@dataclass
class PhoneApp:
    """The bank's mobile app: signed in over the JSON API, tasks over Socket.IO."""

    base: str
    token: str
    sio: socketio.Client = field(default_factory=lambda: socketio.Client(reconnection=False))
    inbox: queue.Queue = field(default_factory=queue.Queue)

    def connect(self) -> None:
        self.sio.on("task", self._on_task, namespace="/customer")
        self.sio.connect(self.base, namespaces=["/customer"], auth={"token": self.token},
                         wait_timeout=10)
        self.sio.call("task:sync", {"after_seq": 0}, namespace="/customer", timeout=10)

    def _on_task(self, task):
        self.sio.emit("task:ack", {"id": task["id"]}, namespace="/customer")
        self.inbox.put(task)

    def next_task(self, kind: str) -> dict:
        """The next pushed task of a kind (others, such as notices, are passed over)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                task = self.inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            if task["kind"] == kind:
                return task
        raise AssertionError(f"no {kind} task arrived on the phone")

    def answer(self, task: dict, decision: str = "accept", data: dict | None = None) -> dict:
        return self.sio.call("task:answer", {"id": task["id"], "payload_hash":
                                             task["payload_hash"], "decision": decision,
                                             "data": data or {}},
                             namespace="/customer", timeout=10)


def phone_app(base_url: str, db: ServerDb, phone: str) -> PhoneApp:
    """Sign the customer's app in with phone and texted code, and connect its socket."""
    started = requests.post(f"{base_url}/api/v1/customer/auth/code", json={"phone": phone},
                            timeout=WAIT)
    assert started.status_code == 202, started.text
    code = db.latest_sms(phone, SIGN_IN_CODE)
    verified = requests.post(f"{base_url}/api/v1/customer/auth/verify",
                             json={"challenge_id": started.json()["challenge_id"], "code": code,
                                   "device_name": "Reference client"}, timeout=WAIT)
    assert verified.status_code == 200, verified.text
    app = PhoneApp(base_url, verified.json()["token"])
    app.connect()
    return app


def staff_socket(base_url: str, staff: StaffBrowser, customer_id: int):
    """The staff member's workstation socket, following one customer; returns (client, frames)."""
    frames: list[tuple[str, object]] = []
    client = socketio.Client(reconnection=False)
    client.on("*", lambda event, data: frames.append((event, data)), namespace="/staff")
    client.connect(base_url, namespaces=["/staff"], headers={"Cookie": staff.cookie_header},
                   wait_timeout=10)
    answer = client.call("tasks:watch", {"customer_id": customer_id}, namespace="/staff",
                         timeout=10)
    assert answer["ok"] is True, answer
    return client, frames

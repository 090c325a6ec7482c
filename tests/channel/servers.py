"""Real server processes (`python wsgi.py`) and a python-socketio client playing the phone."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "artifacts"
SERVE = Path(__file__).with_name("serve.py")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One server process on a port of its own, on the test database: `wsgi.py` as
    serve.py runs it, or `command` (arguments to the Python interpreter) instead."""

    def __init__(self, name: str, database_url: str, data_key: str, *, redis_url=None,
                 env: dict | None = None, command: tuple[str, ...] = (str(SERVE),)):
        self.name, self.port, self.command = name, free_port(), command
        self.env = {**os.environ, "DATABASE_URL": database_url, "DATA_ENCRYPTION_KEYS": data_key,
                    "SECRET_KEY": "channel-tests-secret", "HOST": "127.0.0.1",
                    "PORT": str(self.port), "DEMO_MODE": "1", **(env or {})}
        self.env.pop("REDIS_URL", None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **extra_env) -> Server:
        """Start (or restart, on the same port) and wait until /healthz answers."""
        LOGS.mkdir(exist_ok=True)
        log = open(LOGS / f"server-{self.name}.log", "ab")  # noqa: SIM115 (kept by Popen)
        self.process = subprocess.Popen([sys.executable, *self.command], cwd=ROOT,
                                        env={**self.env, **extra_env}, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server {self.name} exited; see {log.name}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server {self.name} did not start")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, like a crashed worker."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process:
            self.process.wait(10)

    def exited(self, timeout: float = 10) -> int | None:
        """Wait for the process to end by itself; its exit code (None if still running)."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None


class Phone:
    """A device as a native app would run it: token auth, replay on connect, ack, show once."""

    def __init__(self, token: str):
        self.token = token
        self.last_seq = 0
        self.deliveries: list[str] = []  # every task frame received, duplicates included
        self.shown: list[str] = []  # task ids shown to the user, each once
        self.acknowledged: dict[str, str] = {}  # task id -> status the server's ack answered
        self.client: socketio.Client | None = None
        self._changed = threading.Condition()

    def connect(self, url: str) -> None:
        """Connect to /customer and replay everything after the last sequence number seen."""
        self.client = socketio.Client(reconnection=False)
        self.client.on("task", self._receive, namespace="/customer")
        self.client.connect(url, namespaces=["/customer"], auth={"token": self.token},
                            transports=["websocket"], wait_timeout=10)
        reply = self.client.call("task:sync", {"after_seq": self.last_seq},
                                 namespace="/customer", timeout=10)
        assert reply["ok"], reply
        for task in reply["tasks"]:
            self._receive(task)

    def _receive(self, task: dict) -> None:
        with self._changed:
            self.deliveries.append(task["id"])
            self.last_seq = max(self.last_seq, task["seq"])
            if task["id"] not in self.shown:
                self.shown.append(task["id"])
            self._changed.notify_all()
        self.client.emit("task:ack", {"id": task["id"]}, namespace="/customer",
                         callback=lambda reply: self._acknowledged(task["id"], reply))

    def _acknowledged(self, task_id: str, reply: dict) -> None:
        with self._changed:
            self.acknowledged[task_id] = reply.get("status", "") if reply.get("ok") else ""
            self._changed.notify_all()

    def wait_shown(self, count: int, timeout: float = 10) -> list[str]:
        """Wait until `count` distinct tasks were shown; the ids in order."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.shown) >= count, timeout)
            return list(self.shown)

    def wait_acknowledged(self, task_id: str, timeout: float = 10) -> str:
        """Wait until the server has answered the device's ack of a task; its status then."""
        with self._changed:
            self._changed.wait_for(lambda: task_id in self.acknowledged, timeout)
            return self.acknowledged.get(task_id, "")

    def tasks(self, base: str) -> list[dict]:
        """The open tasks as the app's task list shows them (HTTP)."""
        answer = requests.get(base + "/api/v1/customer/tasks", timeout=10,
                              headers={"Authorization": f"Bearer {self.token}"})
        return answer.json()["tasks"]

    def disconnect(self) -> None:
        """Drop off the network (the socket closes without a goodbye, as on a phone)."""
        if self.client and self.client.connected:
            self.client.eio.disconnect(abort=True)


class StaffBrowser:
    """A staff member's browser session against a real server (password, then TOTP)."""

    CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')

    def __init__(self, staff_ref):
        self.staff = staff_ref
        self.http = requests.Session()
        self.csrf = ""

    def _token(self, base: str, path: str) -> str:
        page = self.http.get(base + path, timeout=10)
        self.csrf = self.CSRF.search(page.text).group(1)
        return self.csrf

    def sign_in(self, base: str) -> StaffBrowser:
        token = self._token(base, "/auth/login")
        self.http.post(base + "/auth/login", timeout=10, data={
            "username": self.staff.username, "password": self.staff.password,
            "csrf_token": token})
        token = self._token(base, "/auth/second-factor")  # sign-in starts a new session
        done = self.http.post(base + "/auth/second-factor", timeout=10,
                              data={"code": self.staff.next_code(), "csrf_token": token})
        assert done.ok and "second-factor" not in done.url, done.text[:500]
        self.csrf = self.CSRF.search(done.text).group(1)
        return self

    def send_message(self, base: str, customer_id: int, text: str) -> requests.Response:
        """The staff HTTP action that pushes a task (the task panel's send form)."""
        return self.post_send_form(f"{base}/customers/{customer_id}/tasks", text)

    def post_send_form(self, url: str, text: str) -> requests.Response:
        """The task panel's send form as this browser posts it (session cookie, CSRF token,
        htmx header), to `url`."""
        return self.http.post(url, timeout=10, headers={"HX-Request": "true"},
                              data={"kind": "notice", "text": text, "csrf_token": self.csrf})

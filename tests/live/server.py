"""A real server process for live-session tests: `python wsgi.py` on a free port with its own
database, staff and customers built with the test helpers."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from tests import helpers
from workstation.config import normalise_database_url
from workstation.customers.registry import normalise_phone

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningServer:
    base_url: str
    database_url: str
    world: helpers.World
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def sms_code(self, phone: str) -> str:
        """The newest one-time code the server texted to a phone (from the demo outbox)."""
        engine = create_engine(normalise_database_url(self.database_url))
        with engine.connect() as conn:
            body = conn.execute(text(
                "SELECT body FROM sms_outbox WHERE phone = :p ORDER BY id DESC LIMIT 1"),
                {"p": normalise_phone(phone)}).scalar()
        engine.dispose()
        return CODE.search(body).group(1)

    def customer_token(self, phone: str) -> str:
        """Sign a native app in over HTTP; its bearer token."""
        started = requests.post(f"{self.base_url}/api/v1/customer/auth/code",
                                json={"phone": phone}, timeout=10)
        assert started.status_code == 202, started.text
        answer = requests.post(f"{self.base_url}/api/v1/customer/auth/verify", json={
            "challenge_id": started.json()["challenge_id"], "code": self.sms_code(phone),
            "device_name": "Test phone"}, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()["token"]

    def staff_session(self, staff: helpers.StaffRef) -> requests.Session:
        """A requests session signed in as staff (password, then the second factor)."""
        browser = requests.Session()
        page = browser.get(f"{self.base_url}/auth/login", timeout=10).text
        browser.post(f"{self.base_url}/auth/login", timeout=10, data={
            "csrf_token": CSRF.search(page).group(1), "username": staff.username,
            "password": staff.password})
        page = browser.get(f"{self.base_url}/auth/second-factor", timeout=10).text
        done = browser.post(f"{self.base_url}/auth/second-factor", timeout=10, data={
            "csrf_token": CSRF.search(page).group(1), "code": staff.next_code()})
        assert "Sign out" in done.text, done.text[:500]
        return browser

    def csrf(self, browser: requests.Session, path: str) -> str:
        """The CSRF token of a page the session can open."""
        return CSRF.search(browser.get(f"{self.base_url}{path}", timeout=10).text).group(1)


def _database(workdir: Path) -> tuple[str, callable | None]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{workdir / 'live.db'}", None
    return helpers.private_postgres_database(base, "cow_live")


def _prepare(database_url: str, data_key: str) -> helpers.World:
    from flask_migrate import upgrade

    from workstation import create_app
    from workstation.extensions import db

    app = create_app(helpers.test_config(database_url, data_key))
    with app.app_context():
        upgrade()
        world = helpers.build_world()
        for ref in world.staff.values():
            db.session.execute(text("UPDATE staff SET skills = '', capacity = 3 WHERE id = :i"),
                               {"i": ref.id})
        db.session.commit()
        db.engine.dispose()
    return world


def start_server(workdir: Path, extra_env: dict | None = None):
    """Start the server; returns (RunningServer, stop function)."""
    database_url, drop = _database(workdir)
    data_key = Fernet.generate_key().decode()
    world = _prepare(database_url, data_key)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(32),
           "DATA_ENCRYPTION_KEYS": data_key, "DEMO_MODE": "1", "REDIS_URL": "",
           "HOST": "127.0.0.1", "PORT": str(port), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    log_path = workdir / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    server = RunningServer(f"http://127.0.0.1:{port}", database_url, world, process, log_path)

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if drop:
            drop()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stop()
            raise RuntimeError(f"server exited:\n{server.log_tail()}")
        try:
            if requests.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                return server, stop
        except requests.ConnectionError:
            time.sleep(0.2)
    stop()
    raise RuntimeError(f"server did not start:\n{server.log_tail()}")

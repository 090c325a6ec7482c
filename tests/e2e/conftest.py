"""Real-browser fixtures: a real server in a subprocess on its own database, demo data in it,
and Chromium driven through Playwright."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import create_engine, text

from tests.helpers import private_postgres_database, unused_totp_code
from workstation.config import normalise_database_url

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Demo-Passw0rd!"  # the default of workstation/demo/seed.py
SERVER_START_TIMEOUT = 60
EXPECT_TIMEOUT_MS = 15_000  # a loaded CI machine can take a few seconds for a page


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DemoAccount:
    """A demo staff account and the second-factor codes already used for it."""

    username: str
    secret: str
    _last_step: int = field(default=-1, repr=False)

    def next_code(self) -> str:
        """A valid code that was not used before (the server refuses a code twice)."""
        code, self._last_step = unused_totp_code(self.secret, self._last_step)
        return code


@dataclass
class DemoData:
    """What the tests compare the pages with, read straight from the server's database."""

    accounts: dict[str, DemoAccount]
    card_numbers: set[str]
    id_numbers: set[str]
    portfolio_customer: dict[str, str]  # a customer of manager1
    other_customer: dict[str, str]  # a customer without an account manager


@dataclass
class Server:
    base_url: str
    database_url: str
    data_key: str
    log_path: Path
    demo: DemoData | None = None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server wrote, for failure messages."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _read_demo_data(database_url: str, data_key: str) -> DemoData:
    """Decrypt the demo secrets and numbers with the server's key (no app in this process)."""
    fernet = MultiFernet([Fernet(data_key.encode())])

    def clear(token: str) -> str:
        return fernet.decrypt(token.encode()).decode()

    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as conn:
        staff = conn.execute(text("SELECT username, totp_secret FROM staff")).all()
        pans = conn.execute(text("SELECT pan FROM cards")).scalars().all()
        ids = conn.execute(text("SELECT id_number FROM customers")).scalars().all()
        own = conn.execute(
            text(
                "SELECT c.id, c.customer_no, c.full_name FROM customers c "
                "JOIN staff s ON s.id = c.manager_id "
                "WHERE s.username = 'manager1' ORDER BY c.customer_no LIMIT 1"
            )
        ).one()
        other = conn.execute(
            text(
                "SELECT c.id, c.customer_no, c.full_name, MIN(k.pan_last4) AS card_last4 "
                "FROM customers c JOIN cards k ON k.customer_id = c.id WHERE c.manager_id IS NULL "
                "GROUP BY c.id, c.customer_no, c.full_name ORDER BY c.customer_no LIMIT 1"
            )
        ).one()
    engine.dispose()
    return DemoData(
        accounts={name: DemoAccount(name, clear(secret)) for name, secret in staff},
        card_numbers={clear(p) for p in pans},
        id_numbers={clear(i) for i in ids},
        portfolio_customer=dict(own._mapping),
        other_customer=dict(other._mapping),
    )


def _wait_until_healthy(process: subprocess.Popen, server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if requests.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer /healthz in time:\n{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[Server]:
    """`python wsgi.py` on a free port with its own migrated database and the demo data."""
    workdir = tmp_path_factory.mktemp("e2e")
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        database_url, drop = private_postgres_database(base, "cow_e2e")
    else:
        database_url, drop = f"sqlite:///{workdir / 'workstation.db'}", None
    port = _free_port()
    server = Server(
        base_url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        data_key=Fernet.generate_key().decode(),
        log_path=workdir / "server.log",
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "DATA_ENCRYPTION_KEYS": server.data_key,
        "DEMO_MODE": "1",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "REDIS_URL": "",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")
    server.demo = _read_demo_data(database_url, server.data_key)
    with server.log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_healthy(process, server)
        yield server
    finally:
        _stop(process)
        if drop:
            drop()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright.

    Module scope on purpose: a live sync Playwright keeps an asyncio loop marked as running in
    the main thread, so it must not outlive the browser tests (later tests that call
    asyncio.run() would fail) nor overlap with a second instance imported by another folder.
    """
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshots() -> Path:
    """Where the screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

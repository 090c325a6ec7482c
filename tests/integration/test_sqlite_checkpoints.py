"""SQLite WAL checkpoints run beside the requests, not inside their commits."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import text

from tests import helpers
from workstation import create_app
from workstation.extensions import db
from workstation.sqlite import BACKSTOP_PAGES, CHECKPOINTER_KEY, Checkpointer

ROWS = 150  # ~150 log pages: below SQLite's own in-commit checkpoint at 1,000 pages


@pytest.fixture
def make_app(tmp_path):
    apps = []

    def _make(interval: float):
        apps.append(create_app({**helpers.test_config(f"sqlite:///{tmp_path / 'wal.db'}"),
                                "SQLITE_CHECKPOINT_INTERVAL": interval}))
        return apps[-1]

    yield _make
    for app in apps:
        checkpointer = app.extensions.get(CHECKPOINTER_KEY)
        if isinstance(checkpointer, Checkpointer):
            checkpointer.stop()


def _write_rows(app) -> None:
    with app.app_context():
        db.session.execute(text("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, "
                                "body BLOB)"))
        db.session.commit()
        for _ in range(ROWS):
            db.session.execute(text("INSERT INTO notes (body) VALUES (:body)"),
                               {"body": os.urandom(3000)})
            db.session.commit()


def _database_file_size(tmp_path) -> int:
    return (tmp_path / "wal.db").stat().st_size


def test_a_serving_process_copies_the_log_to_the_database_file_itself(tmp_path, make_app):
    app = make_app(0.05)
    app.test_client().get("/healthz")  # the first request starts the checkpoints
    _write_rows(app)
    with app.app_context():
        in_commits = db.session.execute(text("PRAGMA wal_autocheckpoint")).scalar()
        db.session.rollback()
    assert in_commits == BACKSTOP_PAGES

    deadline = time.monotonic() + 5
    while _database_file_size(tmp_path) < ROWS * 3000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _database_file_size(tmp_path) >= ROWS * 3000


def test_without_the_checkpoints_the_rows_stay_in_the_log(tmp_path, make_app):
    app = make_app(0)
    app.test_client().get("/healthz")
    _write_rows(app)
    time.sleep(0.3)
    assert _database_file_size(tmp_path) < ROWS * 3000 / 2


def test_the_checkpoints_start_once_per_process(make_app):
    app = make_app(0.05)
    client = app.test_client()
    client.get("/healthz")
    started = app.extensions[CHECKPOINTER_KEY]
    client.get("/healthz")
    assert app.extensions[CHECKPOINTER_KEY] is started

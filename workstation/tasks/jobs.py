"""The expiry job: closes overdue tasks every few seconds in each serving process.

Every worker runs it; row locks (SKIP LOCKED on PostgreSQL, the write lock on SQLite)
make each task expire exactly once.
"""

from __future__ import annotations

import logging

from flask import Flask

from workstation.extensions import db, socketio
from workstation.tasks.service import expire_due_tasks

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 15


def _loop(app: Flask, interval: float) -> None:
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                expired = expire_due_tasks()
                if expired:
                    log.info("expired %d customer task(s)", expired)
            except Exception:
                db.session.rollback()
                log.exception("task expiry run failed")


def ensure_expiry_loop(app: Flask) -> None:
    """Start this process's expiry loop once (not in tests; TASK_EXPIRY_INTERVAL=0 disables)."""
    interval = app.config.get("TASK_EXPIRY_INTERVAL", DEFAULT_INTERVAL)
    if app.testing or not interval or app.extensions.get("task_expiry_loop"):
        return
    app.extensions["task_expiry_loop"] = socketio.start_background_task(_loop, app, interval)

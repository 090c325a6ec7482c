"""The reminder job: every serving process sends due reminders every minute.

Due rows are taken with SKIP LOCKED on PostgreSQL (the write lock on SQLite), so each
reminder goes out exactly once however many workers run the loop.
"""

from __future__ import annotations

import logging

from flask import Flask

from appointments.reminders import send_due_reminders
from workstation.extensions import db, socketio

log = logging.getLogger(__name__)


def _loop(app: Flask, interval: float) -> None:
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                sent = send_due_reminders()
                if sent:
                    log.info("sent %d appointment reminder(s)", sent)
            except Exception:
                db.session.rollback()
                log.exception("appointment reminder run failed")
            finally:
                db.session.remove()


def ensure_reminder_loop(app: Flask) -> None:
    """Start this process's reminder loop once (not in tests; an interval of 0 disables it)."""
    interval = app.config.get("APPOINTMENT_REMINDER_INTERVAL", 60)
    if app.testing or not interval or app.extensions.get("appointment_reminder_loop"):
        return
    app.extensions["appointment_reminder_loop"] = socketio.start_background_task(
        _loop, app, interval)

"""The verbal-report job: ends lapsed verbal loss reports every few minutes in each process.

Every serving process runs it; row locks (SKIP LOCKED on PostgreSQL, the write lock on
SQLite) make each report lapse exactly once. Pages that show cards also sweep the customer's
own reports first, so a lapsed report never shows as in force.
"""

from __future__ import annotations

import logging

from flask import Flask

from workstation.extensions import db, socketio

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 300


def _loop(app: Flask, interval: float) -> None:
    from workstation.cards.answers import lapse_verbal_reports

    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                ended = lapse_verbal_reports()
                if ended:
                    log.info("ended %d lapsed verbal loss report(s)", ended)
            except Exception:
                db.session.rollback()
                log.exception("verbal loss report sweep failed")


def ensure_lapse_loop(app: Flask) -> None:
    """Start this process's sweep once (not in tests; CARD_VERBAL_SWEEP_INTERVAL=0 disables)."""
    interval = app.config.get("CARD_VERBAL_SWEEP_INTERVAL", DEFAULT_INTERVAL)
    if app.testing or not interval or app.extensions.get("card_verbal_sweep"):
        return
    app.extensions["card_verbal_sweep"] = socketio.start_background_task(_loop, app, interval)

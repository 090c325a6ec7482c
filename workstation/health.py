"""Liveness and readiness: `/healthz` answers JSON with the database's state."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from workstation.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 with database details when the database answers, 503 when it does not."""
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
        database = {
            "status": "ok",
            "dialect": db.engine.dialect.name,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
        status = 200
    except SQLAlchemyError as error:
        db.session.rollback()
        database = {"status": "unavailable", "error": type(error).__name__}
        status = 503
    body = {
        "status": "ok" if status == 200 else "degraded",
        "database": database,
        "message_queue": "redis" if current_app.config.get("REDIS_URL") else "in-process",
    }
    return jsonify(body), status

"""Periodic jobs: every serving process runs each registered job in a loop of its own.

A job takes its rows with row locks (SKIP LOCKED on PostgreSQL, the write lock on SQLite), so
however many workers run it, each row is handled once. The loops start with the first request
or socket event a process serves, never in tests; a job whose interval setting is 0 does not
run, and a running one stops once it is set to 0 (its command-line twin still does the same
work on demand).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from workstation.extensions import db, socketio

log = logging.getLogger(__name__)
_JOBS = "periodic_jobs"
_RUNNING = "periodic_jobs_running"


@dataclass(frozen=True)
class Job:
    name: str  # what the log calls it
    run: Callable[[], int]  # one round in an app context: commits, returns how many it handled
    interval_setting: str  # the setting with the seconds between rounds
    default_interval: float


def add_job(app: Flask, job: Job) -> None:
    """Run `job` every interval in each serving process of this app."""
    jobs = app.extensions.setdefault(_JOBS, {})
    if not jobs:
        app.before_request(lambda: start_jobs(app))
    jobs[job.name] = job


def jobs_of(app: Flask) -> dict[str, Job]:
    """The jobs registered on this app, by name."""
    return dict(app.extensions.get(_JOBS, {}))


def start_jobs(app: Flask) -> None:
    """Start this process's job loops that are not running yet (a no-op in tests)."""
    if app.testing:
        return
    running = app.extensions.setdefault(_RUNNING, {})
    for job in app.extensions.get(_JOBS, {}).values():
        if _interval(app, job) and job.name not in running:
            running[job.name] = socketio.start_background_task(_loop, app, job)


def _interval(app: Flask, job: Job) -> float:
    return app.config.get(job.interval_setting, job.default_interval)


def _loop(app: Flask, job: Job) -> None:
    try:
        while interval := _interval(app, job):
            socketio.sleep(interval)
            with app.app_context():
                try:
                    handled = job.run()
                    if handled:
                        log.info("%s: %d handled", job.name, handled)
                except Exception:
                    db.session.rollback()
                    log.exception("%s failed", job.name)
    finally:
        app.extensions[_RUNNING].pop(job.name, None)

"""Periodic jobs: each area's job is registered with its interval setting, and a serving
process runs every job in a loop of its own that outlives a failing round."""

from __future__ import annotations

import threading
import time

from workstation.jobs import Job, add_job, jobs_of, start_jobs


def test_each_area_registers_its_periodic_job(app):
    settings = {name: job.interval_setting for name, job in jobs_of(app).items()}
    assert settings == {
        "customer task expiry": "TASK_EXPIRY_INTERVAL",
        "verbal loss report lapse": "CARD_VERBAL_SWEEP_INTERVAL",
        "appointment reminders": "APPOINTMENT_REMINDER_INTERVAL",
        "certificate expiry": "DOCUMENTS_EXPIRY_INTERVAL",
    }


def test_a_serving_process_runs_each_job_once_and_a_failing_round_does_not_stop_it(app):
    for job in jobs_of(app).values():  # only the probe below runs here
        app.config[job.interval_setting] = 0
    rounds, four = [], threading.Event()

    def probe() -> int:
        rounds.append(threading.get_ident())
        if len(rounds) == 2:
            raise RuntimeError("the database went away for a moment")
        if len(rounds) == 4:
            four.set()
        return 1

    app.config["PROBE_INTERVAL"] = 0.01
    add_job(app, Job("probe", probe, "PROBE_INTERVAL", 60))
    start_jobs(app)  # tests never start jobs
    assert not four.wait(0.2) and rounds == []
    app.testing = False
    try:
        start_jobs(app)
        start_jobs(app)  # every request calls it: still one loop per job
        assert four.wait(10)
    finally:
        app.testing = True
        app.config["PROBE_INTERVAL"] = 0  # the loop ends after its current round
    time.sleep(0.1)
    ended_at = len(rounds)
    time.sleep(0.1)
    assert len(rounds) == ended_at >= 4  # past the failing round, and stopped
    assert len(set(rounds)) == 1  # one loop


def test_a_job_with_interval_zero_does_not_run(app):
    for job in jobs_of(app).values():
        app.config[job.interval_setting] = 0
    ran = threading.Event()
    app.config["PROBE_INTERVAL"] = 0
    add_job(app, Job("probe", lambda: ran.set() or 0, "PROBE_INTERVAL", 0.01))
    app.testing = False
    try:
        start_jobs(app)
    finally:
        app.testing = True
    assert not ran.wait(0.3)

"""Customer tasks: the persisted outbox pushed to the customer's devices (the push channel)."""

from __future__ import annotations

from flask import Flask


def register_tasks(app: Flask) -> None:
    """Mount the task API, screens, staff panel, socket events, commands and expiry job."""
    from workstation.customers.extensions import add_profile_panel
    from workstation.extensions import csrf
    from workstation.jobs import Job, add_job
    from workstation.tasks import models  # noqa: F401  (tables on the metadata)
    from workstation.tasks.api import bp as api_bp
    from workstation.tasks.cli import register_task_commands
    from workstation.tasks.events import register_task_events
    from workstation.tasks.mobile import bp as mobile_bp
    from workstation.tasks.service import expire_due_tasks
    from workstation.tasks.staff import READERS
    from workstation.tasks.staff import bp as staff_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(mobile_bp)
    app.register_blueprint(staff_bp)
    add_profile_panel(app, "Tasks on the customer's phone", "tasks.panel", roles=READERS)
    csrf.exempt(api_bp)
    register_task_events()
    register_task_commands(app)
    add_job(app, Job("customer task expiry", expire_due_tasks, "TASK_EXPIRY_INTERVAL", 15))

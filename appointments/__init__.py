"""Appointments: branch calendars, capacity, large cash bookings, check-in, reminders, ICS."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the appointment settings, models, blueprints and commands with the app."""
    import appointments.models  # noqa: F401  (tables on the metadata)
    from appointments import branch_views, views  # noqa: F401  (routes on the blueprint)
    from appointments.cli import register_commands
    from appointments.settings import init_settings
    from appointments.web import bp

    init_settings(app)
    app.register_blueprint(bp)
    for blueprint in _customer_blueprints():
        app.register_blueprint(blueprint)
    register_commands(app)
    from appointments.reminders import send_due_reminders
    from appointments.settings import DEFAULTS
    from workstation.jobs import Job, add_job

    add_job(app, Job("appointment reminders", send_due_reminders,
                     "APPOINTMENT_REMINDER_INTERVAL", DEFAULTS["APPOINTMENT_REMINDER_INTERVAL"]))


def _customer_blueprints() -> list:
    """The customer's screens (linked from the mobile home) and the app's JSON API."""
    from appointments.customer_api import api_bp
    from appointments.customer_views import mobile_bp
    from workstation.customer_auth.mobile import MOBILE_HOME_LINKS
    from workstation.extensions import csrf

    link = ("Branch appointments", "appointments_mobile.index",
            "Book a branch visit, a large cash withdrawal or a card pickup")
    if link not in MOBILE_HOME_LINKS:
        MOBILE_HOME_LINKS.append(link)
    csrf.exempt(api_bp)  # bearer clients; customer_required checks CSRF for cookie sessions
    return [mobile_bp, api_bp]

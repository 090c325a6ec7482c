"""Appointments: branch calendars, capacity, large cash bookings, check-in, reminders, ICS."""

from __future__ import annotations

import importlib.util

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


def _customer_blueprints() -> list:
    """The customer's screens and API, when customer sign-in is part of this build."""
    if importlib.util.find_spec("appointments.customer_views") is None:
        return []
    from appointments.customer_views import api_bp, mobile_bp

    return [mobile_bp, api_bp]

"""Alerts for supervisors: unusual patterns (repeated resets, repeated loss reports) to look at."""

from __future__ import annotations

from flask import Flask

from workstation.alerts.service import acknowledge_alert, open_alerts, raise_alert

__all__ = ["acknowledge_alert", "init_alerts", "open_alerts", "raise_alert"]


def init_alerts(app: Flask) -> None:
    """Tables on the metadata and the supervisor pages."""
    from workstation.alerts import models  # noqa: F401  (tables on the metadata)
    from workstation.alerts.routes import bp

    app.register_blueprint(bp)

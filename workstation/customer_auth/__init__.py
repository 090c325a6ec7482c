"""Customer identity: phone + one-time code sign-in, signed-in devices, the mobile web shell."""

from __future__ import annotations

from flask import Flask


def register_customer_channel(app: Flask) -> None:
    """Mount customer sign-in, the mobile web shell, realtime handlers and customer tasks."""
    from workstation.api.openapi import bp as openapi_bp
    from workstation.customer_auth import models  # noqa: F401  (tables on the metadata)
    from workstation.customer_auth.api import bp as api_bp
    from workstation.customer_auth.demo import bp as demo_bp
    from workstation.customer_auth.mobile import bp as mobile_bp
    from workstation.extensions import csrf
    from workstation.realtime.events import register_socket_handlers

    app.register_blueprint(mobile_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(demo_bp)
    app.register_blueprint(openapi_bp)
    csrf.exempt(api_bp)
    register_socket_handlers()
    from workstation.tasks import register_tasks

    register_tasks(app)

"""Live screen-to-screen sessions: queue, invites, session rooms, chat, co-browse, video
signaling and the supervisor's board."""

from __future__ import annotations

import os

from flask import Flask


def init_live(app: Flask) -> None:
    """Read the STUN/TURN configuration, mount the views and the socket handlers."""
    from workstation.extensions import csrf
    from workstation.live import models  # noqa: F401  (tables on the metadata)
    from workstation.live.api import bp as api_bp
    from workstation.live.board import duration
    from workstation.live.events import register_events
    from workstation.live.mobile import bp as mobile_bp
    from workstation.live.routes import bp as staff_bp
    from workstation.live.signaling import parse_ice_servers

    if "ICE_SERVERS" not in app.config:
        app.config["ICE_SERVERS"] = parse_ice_servers(os.environ.get("ICE_SERVERS"))
    register_events()
    app.register_blueprint(staff_bp)
    app.register_blueprint(mobile_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # bearer clients; customer_required re-checks CSRF for cookies
    app.jinja_env.filters["live_duration"] = duration
    from workstation.customers.access import add_access_basis
    from workstation.live.service import has_active_session

    add_access_basis(
        app,
        "serving in a live session",
        lambda staff, customer: has_active_session(staff.id, customer.id),
    )
    from workstation.customer_auth.mobile import MOBILE_HOME_LINKS

    help_link = ("Get help", "live_mobile.start", "Talk to an adviser by video or chat")
    if help_link not in MOBILE_HOME_LINKS:
        MOBILE_HOME_LINKS.insert(0, help_link)

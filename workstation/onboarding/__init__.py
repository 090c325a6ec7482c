"""Cloud card application: remote debit card opening with eKYC, screening and approval."""

from __future__ import annotations

from flask import Flask


def init_onboarding(app: Flask) -> None:
    """Register the onboarding settings, tables, pages, customer API and task handler."""
    from workstation.extensions import csrf
    from workstation.onboarding import models  # noqa: F401  (tables on the metadata)
    from workstation.onboarding.api import bp as api_bp
    from workstation.onboarding.cli import register_commands
    from workstation.onboarding.handlers import register_handlers
    from workstation.onboarding.mobile import bp as mobile_bp
    from workstation.onboarding.settings import init_settings
    from workstation.onboarding.views import bp as staff_bp

    init_settings(app)
    app.register_blueprint(staff_bp)
    app.register_blueprint(mobile_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # bearer clients; cookie sessions are checked by customer_required
    register_handlers()
    register_commands(app)
    _add_mobile_home_link()
    _add_profile_link(app)


def _add_mobile_home_link() -> None:
    from workstation.customer_auth.mobile import MOBILE_HOME_LINKS

    link = ("Apply for a debit card", "onboarding_mobile.index",
            "Open a type II or III account with a card, from your phone")
    if link not in MOBILE_HOME_LINKS:
        MOBILE_HOME_LINKS.append(link)


def _add_profile_link(app: Flask) -> None:
    try:
        from workstation.customers.extensions import add_profile_link
    except ImportError:
        return
    add_profile_link(app, "Card applications", "onboarding.customer_applications",
                     roles=["agent", "manager", "supervisor", "auditor"])

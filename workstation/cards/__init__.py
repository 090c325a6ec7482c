"""Card services: lock, unlock, loss reports, replacements; PIN and password resets; alerts."""

from __future__ import annotations

from flask import Flask

MOBILE_LINK = ("My cards", "cards_mobile.index", "Card status, replacement progress, reports")


def init_cards(app: Flask) -> None:
    """Settings, tables, pages, task answer handlers, profile link and commands."""
    from workstation.alerts import init_alerts
    from workstation.cards import models  # noqa: F401  (tables on the metadata)
    from workstation.cards.answers import lapse_verbal_reports, on_card_request_answer
    from workstation.cards.api import bp as api_bp
    from workstation.cards.cli import cards_cli
    from workstation.cards.mobile import bp as mobile_bp
    from workstation.cards.replacements import SUBJECT as REPLACEMENT
    from workstation.cards.replacements import on_replacement_answer
    from workstation.cards.routes import bp as staff_bp
    from workstation.cards.service import SUBJECT as REQUEST
    from workstation.cards.settings import apply_settings
    from workstation.credentials import init_credentials
    from workstation.customer_auth.mobile import MOBILE_HOME_LINKS
    from workstation.customers.extensions import add_profile_link
    from workstation.jobs import Job, add_job
    from workstation.models import SERVING_ROLES
    from workstation.tasks.handlers import register_answer_handler

    apply_settings(app.config)
    app.register_blueprint(staff_bp)
    app.register_blueprint(mobile_bp)
    app.register_blueprint(api_bp)
    init_alerts(app)
    init_credentials(app)
    register_answer_handler(REQUEST, on_card_request_answer)
    register_answer_handler(REPLACEMENT, on_replacement_answer)
    add_profile_link(app, "Cards, PIN and password", "cards.index", roles=SERVING_ROLES)
    if MOBILE_LINK not in MOBILE_HOME_LINKS:
        MOBILE_HOME_LINKS.append(MOBILE_LINK)
    app.cli.add_command(cards_cli)
    add_job(app, Job("verbal loss report lapse", lapse_verbal_reports,
                     "CARD_VERBAL_SWEEP_INTERVAL", 300))
    _register_document_type()


def _register_document_type() -> None:
    """Offer the loss-report confirmation in the documents area, when it is installed."""
    try:
        from workstation.cards.loss_document import register
    except ImportError:  # the documents area is optional
        return
    register()

"""PIN and online-banking password resets: identity proof, confirmation, secret on the device."""

from __future__ import annotations

from flask import Flask


def init_credentials(app: Flask) -> None:
    """Tables, staff actions and the answer handler of reset tasks."""
    from workstation.credentials import models  # noqa: F401  (tables on the metadata)
    from workstation.credentials.answers import on_reset_answer
    from workstation.credentials.routes import bp
    from workstation.credentials.service import SUBJECT
    from workstation.tasks.handlers import register_answer_handler

    app.register_blueprint(bp)
    register_answer_handler(SUBJECT, on_reset_answer)

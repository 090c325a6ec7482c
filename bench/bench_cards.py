"""Card services on a temporary SQLite database, through the HTTP layer (Flask test client).

- lock round trip: staff POST of the lock form, the phone's answer to the confirm task, and
  the card locked; against the baseline of the staff cards page alone (GET), same run.
- PIN reset: start, code, confirmation and new PIN (five HTTP calls); against the baseline
  of one argon2 hash of a PIN, the floor any PIN setter pays.
- password rules: one check against the 10,000 common passwords; against a bare length check.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from argon2 import PasswordHasher

from bench.figures import Figure, median, timings_ms

LOCKS = 40
RESETS = 15


def _app(url: str):
    from cryptography.fernet import Fernet

    from tests.conftest import CsrfClient
    from workstation import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                      "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://",
                      "CARD_ALERT_THRESHOLD": 10**6, "CARD_STAFF_RESET_ALERT_PER_HOUR": 10**6})
    app.test_client_class = CsrfClient
    return app


def _setup(app):
    from flask_migrate import upgrade

    from tests import helpers
    from tests.cards.builders import card_id_of, phone_of

    with app.app_context():
        upgrade()
        world = helpers.build_world()
    staff = app.test_client()
    helpers.sign_in(staff, world.staff["manager"])
    customer = world.customers[0]
    phone = phone_of(app, customer)
    return staff, phone, customer, card_id_of(app, customer)


def _unlimited(app) -> None:
    # Answers are rate-limited per device (10 a minute); the bench measures the work, not that.
    from workstation.extensions import limiter

    with app.app_context():
        limiter.reset()


def _lock_cycle(staff, phone, customer, card):
    _unlimited(phone.app)
    for kind in ("lock", "unlock"):
        staff.post(f"/customers/{customer.id}/cards/{card}/requests",
                   data={"kind": kind, "reason": "Bench run", "request_key": uuid.uuid4().hex})
        phone.confirm_latest()


def _reset(app, staff, phone, customer, card):
    from tests.cards.builders import reset_code

    _unlimited(app)
    staff.post(f"/customers/{customer.id}/credentials/resets",
               data={"kind": "pin", "card_id": card, "reason": "Bench run",
                     "request_key": uuid.uuid4().hex})
    phone.answer(phone.latest("code"), data={"code": reset_code(app, customer.phone)})
    phone.confirm_latest()
    phone.answer(phone.latest("set_secret"), data={"secret": "739162", "repeat": "739162"})


def run() -> list[Figure]:
    """Lock round trip, PIN reset and password-rule figures with their baselines."""
    from sqlalchemy import delete

    from workstation.credentials.rules import check_password, common_passwords
    from workstation.customer_auth.models import SignInChallenge
    from workstation.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(f"sqlite:///{Path(tmp) / 'bench.db'}")
        staff, phone, customer, card = _setup(app)
        page = timings_ms(lambda: staff.get(f"/customers/{customer.id}/cards"), LOCKS)
        locks = timings_ms(lambda: _lock_cycle(staff, phone, customer, card), LOCKS // 2)

        def reset_once():
            with app.app_context():  # the per-phone limit of texted codes is not the subject
                db.session.execute(delete(SignInChallenge))
                db.session.commit()
            _reset(app, staff, phone, customer, card)

        resets = timings_ms(reset_once, RESETS, warmup=1)
    hasher = PasswordHasher()
    argon = timings_ms(lambda: hasher.hash("739162"), RESETS)
    common_passwords()
    rules = timings_ms(lambda: check_password("Harbour-Lantern-42"), 2000)
    bare = timings_ms(lambda: 10 <= len("Harbour-Lantern-42") <= 64, 2000)
    return [
        Figure("lock + unlock round trip (2 staff posts, 2 phone answers)",
               median(locks), "ms", median(page), "cards page GET"),
        Figure("PIN reset, start to PIN set (5 HTTP calls)", median(resets), "ms",
               median(argon), "one argon2 hash"),
        Figure("password rule check", median(rules) * 1000, "us", median(bare) * 1000,
               "bare length check"),
    ]

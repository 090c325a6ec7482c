"""Card-service settings: defaults, overridable from the environment or the app config."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from decimal import Decimal

DEFAULTS: dict = {
    # A verbal report (by phone, without the device) blocks the card for this many days.
    "CARD_VERBAL_REPORT_DAYS": 5,
    # How long the customer has to answer a confirmation pushed to the device.
    "CARD_CONFIRM_MINUTES": 10,
    # Replacement fee by reason, plus the delivery fee (one currency for the tariff).
    "CARD_REPLACEMENT_TARIFF": {
        "lost": "10.00", "stolen": "10.00", "damaged": "5.00", "retained": "0.00",
    },
    "CARD_DELIVERY_TARIFF": {"branch": "0.00", "address": "15.00"},
    "CARD_FEE_CURRENCY": "CNY",
    # Repeated loss reports or resets for one customer in this window raise an alert.
    "CARD_ALERT_WINDOW_HOURS": 24,
    "CARD_ALERT_THRESHOLD": 3,
    # One staff member starting this many resets in an hour raises an alert.
    "CARD_STAFF_RESET_ALERT_PER_HOUR": 10,
    # PIN / password reset: wrong codes and refused secrets allowed before the reset fails.
    "CREDENTIAL_CODE_ATTEMPTS": 3,
    "CREDENTIAL_SECRET_ATTEMPTS": 3,
}
_ENV_INTEGERS = ("CARD_VERBAL_REPORT_DAYS", "CARD_CONFIRM_MINUTES", "CARD_ALERT_WINDOW_HOURS",
                 "CARD_ALERT_THRESHOLD", "CARD_STAFF_RESET_ALERT_PER_HOUR",
                 "CREDENTIAL_CODE_ATTEMPTS", "CREDENTIAL_SECRET_ATTEMPTS")
_ENV_JSON = ("CARD_REPLACEMENT_TARIFF", "CARD_DELIVERY_TARIFF")


def apply_settings(config: dict) -> None:
    """Fill in defaults, taking environment values first (explicit config wins over both)."""
    for name, default in DEFAULTS.items():
        if name in config:
            continue
        raw = os.environ.get(name)
        if raw is None:
            config[name] = default
        elif name in _ENV_INTEGERS:
            config[name] = int(raw)
        elif name in _ENV_JSON:
            config[name] = json.loads(raw)
        else:
            config[name] = raw


def verbal_report_lifetime(config: dict) -> timedelta:
    """How long a verbal loss report blocks the card without a confirmation."""
    return timedelta(days=int(config["CARD_VERBAL_REPORT_DAYS"]))


def confirm_lifetime(config: dict) -> timedelta:
    """How long a confirmation pushed to the customer's device stays open."""
    return timedelta(minutes=int(config["CARD_CONFIRM_MINUTES"]))


def replacement_fee(config: dict, reason: str, delivery: str) -> Decimal:
    """The tariff fee for replacing a card blocked for `reason`, delivered by `delivery`."""
    base = Decimal(str(config["CARD_REPLACEMENT_TARIFF"].get(reason, "0.00")))
    return base + Decimal(str(config["CARD_DELIVERY_TARIFF"].get(delivery, "0.00")))

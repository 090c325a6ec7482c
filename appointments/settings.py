"""Appointment settings with their defaults; each can be overridden in the app config."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask import current_app

DEFAULTS = {
    # A withdrawal of at least this much needs purpose, source of funds and a business day's notice.
    "APPOINTMENT_LARGE_CASH_THRESHOLDS": {
        "CNY": "50000",
        "HKD": "50000",
        "USD": "10000",
        "EUR": "10000",
        "GBP": "10000",
    },
    "APPOINTMENT_REMINDER_DAY_BEFORE": True,
    "APPOINTMENT_REMINDER_LEAD_MINUTES": 60,
    "APPOINTMENT_REMINDER_INTERVAL": 60,  # seconds between reminder runs; 0 = use the CLI only
    "APPOINTMENT_CHECKIN_EARLY_MINUTES": 60,
    "APPOINTMENT_CHECKIN_LATE_MINUTES": 30,
}


@dataclass(frozen=True)
class AppointmentSettings:
    large_cash_thresholds: dict[str, Decimal]
    reminder_day_before: bool
    reminder_lead: timedelta | None
    checkin_early: timedelta
    checkin_late: timedelta


def init_settings(app) -> None:
    """Put the defaults under any value the deployment already set."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)


def current_settings() -> AppointmentSettings:
    """The settings of the running app."""
    config = current_app.config
    lead = int(config["APPOINTMENT_REMINDER_LEAD_MINUTES"] or 0)
    return AppointmentSettings(
        large_cash_thresholds={
            cur.upper(): Decimal(str(v))
            for cur, v in config["APPOINTMENT_LARGE_CASH_THRESHOLDS"].items()
        },
        reminder_day_before=bool(config["APPOINTMENT_REMINDER_DAY_BEFORE"]),
        reminder_lead=timedelta(minutes=lead) if lead > 0 else None,
        checkin_early=timedelta(minutes=int(config["APPOINTMENT_CHECKIN_EARLY_MINUTES"])),
        checkin_late=timedelta(minutes=int(config["APPOINTMENT_CHECKIN_LATE_MINUTES"])),
    )

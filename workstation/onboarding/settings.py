"""Settings of remote card opening; every figure can be overridden in the app config."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import Flask, current_app

DEFAULTS = {
    # Remote-opening rules for electronic channels (type II and type III accounts).
    "ONBOARDING_TYPE_II_DAILY_OUTFLOW": "10000",
    "ONBOARDING_TYPE_II_YEARLY_OUTFLOW": "200000",
    "ONBOARDING_TYPE_III_BALANCE_CAP": "2000",
    "ONBOARDING_TYPE_III_DAILY_OUTFLOW": "2000",
    "ONBOARDING_TYPE_III_YEARLY_OUTFLOW": "50000",
    "ONBOARDING_CURRENCY": "CNY",
    "ONBOARDING_MIN_AGE": 16,
    "ONBOARDING_ADULT_AGE": 18,
    "ONBOARDING_IMAGE_MAX_BYTES": 5 * 1024 * 1024,
    "ONBOARDING_IMAGE_MIN_SIDE": 64,
    "ONBOARDING_AUTO_APPROVE_BELOW": 30,
    "ONBOARDING_REJECT_FROM": 80,
    "ONBOARDING_VELOCITY_DAYS": 30,
    "ONBOARDING_MAX_PER_PHONE": 3,
    "ONBOARDING_MAX_PER_DEVICE": 3,
    "ONBOARDING_RECENT_REJECTION_DAYS": 90,
    "ONBOARDING_OWN_BINS": "622202",
}


@dataclass(frozen=True)
class OnboardingSettings:
    type_ii_daily: Decimal
    type_ii_yearly: Decimal
    type_iii_balance: Decimal
    type_iii_daily: Decimal
    type_iii_yearly: Decimal
    currency: str
    min_age: int
    adult_age: int
    image_max_bytes: int
    image_min_side: int
    auto_approve_below: int
    reject_from: int
    velocity_days: int
    max_per_phone: int
    max_per_device: int
    recent_rejection_days: int
    own_bins: tuple[str, ...]


def init_settings(app: Flask) -> None:
    """Put the defaults in the app config where nothing overrides them."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)


def settings_from(config) -> OnboardingSettings:
    """The onboarding settings read from a config mapping."""
    c = {**DEFAULTS, **{k: v for k, v in config.items() if k.startswith("ONBOARDING_")}}
    return OnboardingSettings(
        type_ii_daily=Decimal(str(c["ONBOARDING_TYPE_II_DAILY_OUTFLOW"])),
        type_ii_yearly=Decimal(str(c["ONBOARDING_TYPE_II_YEARLY_OUTFLOW"])),
        type_iii_balance=Decimal(str(c["ONBOARDING_TYPE_III_BALANCE_CAP"])),
        type_iii_daily=Decimal(str(c["ONBOARDING_TYPE_III_DAILY_OUTFLOW"])),
        type_iii_yearly=Decimal(str(c["ONBOARDING_TYPE_III_YEARLY_OUTFLOW"])),
        currency=str(c["ONBOARDING_CURRENCY"]),
        min_age=int(c["ONBOARDING_MIN_AGE"]),
        adult_age=int(c["ONBOARDING_ADULT_AGE"]),
        image_max_bytes=int(c["ONBOARDING_IMAGE_MAX_BYTES"]),
        image_min_side=int(c["ONBOARDING_IMAGE_MIN_SIDE"]),
        auto_approve_below=int(c["ONBOARDING_AUTO_APPROVE_BELOW"]),
        reject_from=int(c["ONBOARDING_REJECT_FROM"]),
        velocity_days=int(c["ONBOARDING_VELOCITY_DAYS"]),
        max_per_phone=int(c["ONBOARDING_MAX_PER_PHONE"]),
        max_per_device=int(c["ONBOARDING_MAX_PER_DEVICE"]),
        recent_rejection_days=int(c["ONBOARDING_RECENT_REJECTION_DAYS"]),
        own_bins=tuple(b.strip() for b in str(c["ONBOARDING_OWN_BINS"]).split(",") if b.strip()),
    )


def current_settings() -> OnboardingSettings:
    """The settings of the running app."""
    return settings_from(current_app.config)


def limit_upload_size() -> None:
    """Refuse a request body far above the photo limit (413) before it is read at all.

    Up to twice the limit (at least 1 MB over) the photo is read and refused with the
    readable message. Cookie-session forms are parsed earlier, by the CSRF check, so this
    guards the bearer API; the app-wide MAX_CONTENT_LENGTH guards the rest.
    """
    from flask import request

    limit = current_settings().image_max_bytes
    request.max_content_length = limit + max(limit, 1024 * 1024)

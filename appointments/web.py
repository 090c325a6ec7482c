"""The staff blueprint, its role sets and the template helpers for branch-local times."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, request

from appointments.models import SERVICE_KINDS
from appointments.prepared import read_prepared_request
from workstation.errors import ValidationFailed
from workstation.models import Role

bp = Blueprint("appointments", __name__, url_prefix="/appointments")

BOOKING_ROLES = (Role.AGENT, Role.MANAGER, Role.SUPERVISOR)
VIEW_ROLES = (Role.AGENT, Role.MANAGER, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)
SETUP_ROLES = (Role.SUPERVISOR, Role.ADMIN)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_day(text: str | None, default: date) -> date:
    """A YYYY-MM-DD date from a query or form, or the default when empty."""
    if not text:
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed("Enter the date as YYYY-MM-DD.", code="date") from None


def parse_start(text: str | None) -> datetime:
    """A slot start as sent by the slot picker: an ISO time with its UTC offset."""
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationFailed("Choose one of the offered slots.", code="slot") from None
    if moment.tzinfo is None:
        raise ValidationFailed("Choose one of the offered slots.", code="slot")
    return moment


def form_int(name: str) -> int | None:
    """An integer form or query field, or None."""
    raw = (request.values.get(name) or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@bp.app_template_filter("branch_time")
def branch_time(moment: datetime | None, branch, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC moment shown in the branch's own time zone."""
    from appointments.calendar import branch_zone

    if moment is None:
        return ""
    return moment.astimezone(branch_zone(branch)).strftime(fmt)


@bp.app_context_processor
def _helpers() -> dict:
    return {
        "service_kinds": SERVICE_KINDS,
        "prepared_fields": read_prepared_request,
        "weekdays": WEEKDAYS,
        "one_day": timedelta(days=1),
    }

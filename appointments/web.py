"""The staff blueprint, its role sets and the template helpers for branch-local times."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, request

from appointments.models import SERVICE_KINDS
from appointments.prepared import read_prepared_request
from workstation.errors import ValidationFailed
from workstation.models import Role
from workstation.types import whole_number

bp = Blueprint("appointments", __name__, url_prefix="/appointments")

BOOKING_ROLES = (Role.AGENT, Role.MANAGER, Role.SUPERVISOR)
VIEW_ROLES = (Role.AGENT, Role.MANAGER, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)
SETUP_ROLES = (Role.SUPERVISOR, Role.ADMIN)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# The calendar's reach: dates outside it are refused before any date arithmetic runs off the
# end of the calendar (a week after 9999-12-31 does not exist).
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _within_reach(day: date, message: str, code: str) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationFailed(message, code=code)


def parse_day(text: str | None, default: date) -> date:
    """A YYYY-MM-DD date from a query or form, or the default when empty."""
    if not text:
        return default
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed("Enter the date as YYYY-MM-DD.", code="date") from None
    _within_reach(day, f"Choose a date from {EARLIEST_DAY} to {LATEST_DAY}.", "date")
    return day


def parse_start(text: str | None) -> datetime:
    """A slot start as sent by the slot picker: an ISO time with its UTC offset."""
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationFailed("Choose one of the offered slots.", code="slot") from None
    if moment.tzinfo is None:
        raise ValidationFailed("Choose one of the offered slots.", code="slot")
    _within_reach(moment.date(), "Choose one of the offered slots.", "slot")
    return moment


def form_int(name: str) -> int | None:
    """An integer form or query field, or None."""
    return whole_number((request.values.get(name) or "").strip())


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

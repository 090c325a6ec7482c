"""Times are stored in UTC and shown in the viewer's local time (their branch's zone)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, g
from flask_login import current_user


def viewer_zone() -> ZoneInfo:
    """The staff member's branch zone, the customer's home-branch zone, or the bank's default.

    Worked out once per request and viewer: a page formats dozens of times."""
    viewer = _viewer()
    known = g.get("_viewer_zone")
    if known is not None and known[0] is viewer:
        return known[1]
    zone = zone_of(viewer)
    g._viewer_zone = (viewer, zone)
    return zone


def _viewer():
    """Who is looking: the signed-in staff member, else the signed-in customer, else None."""
    user = current_user._get_current_object()  # None outside a request
    if getattr(user, "is_authenticated", False):
        return user
    return g.get("customer")


def zone_of(viewer) -> ZoneInfo:
    """A staff member's branch zone, a customer's home-branch zone, or the bank's default."""
    name = None
    if viewer is not None:
        branch = getattr(viewer, "branch", None) or getattr(viewer, "home_branch", None)
        name = branch.timezone if branch is not None else None
    try:
        return ZoneInfo(name or current_app.config["DEFAULT_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):  # unknown, or not a zone name at all
        return ZoneInfo("UTC")


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
    """A stored UTC time formatted in the viewer's zone (empty for None)."""
    if value is None:
        return ""
    return value.astimezone(viewer_zone()).strftime(fmt)


def last_day(value: datetime | None) -> str:
    """The last day a period covers that ends at `value` (a validity ending at the start of
    a day ends with the day before), as YYYY-MM-DD in the viewer's zone."""
    if value is None:
        return ""
    return (value - timedelta(microseconds=1)).astimezone(viewer_zone()).strftime("%Y-%m-%d")


def deadline(value: datetime | None) -> str:
    """A time to act by, as short as is clear: "18:30" today, "30 Nov 18:30" on another day
    (a 7-day task is not due "by 18:30" today)."""
    if value is None:
        return ""
    zone = viewer_zone()
    local = value.astimezone(zone)
    if local.date() == datetime.now(zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M").lstrip("0")


def register_time_filters(app: Flask) -> None:
    """Expose `value|local_time` (and a format argument), `value|deadline` and
    `value|last_day` to every template."""
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["deadline"] = deadline
    app.jinja_env.filters["last_day"] = last_day

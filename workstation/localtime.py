"""Times are stored in UTC and shown in the viewer's local time (their branch's zone)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, g
from flask_login import current_user


def viewer_zone() -> ZoneInfo:
    """The staff member's branch zone, the customer's home-branch zone, or the bank's default."""
    name = None
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.branch:
        name = current_user.branch.timezone
    elif getattr(g, "customer", None) is not None and g.customer.home_branch is not None:
        name = g.customer.home_branch.timezone
    try:
        return ZoneInfo(name or current_app.config["DEFAULT_TIMEZONE"])
    except ZoneInfoNotFoundError:
        return ZoneInfo("UTC")


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
    """A stored UTC time formatted in the viewer's zone (empty for None)."""
    if value is None:
        return ""
    return value.astimezone(viewer_zone()).strftime(fmt)


def register_time_filters(app: Flask) -> None:
    """Expose `value|local_time` (and a format argument) to every template."""
    app.jinja_env.filters["local_time"] = local_time

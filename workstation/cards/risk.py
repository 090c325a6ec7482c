"""Risk rules: repeated loss reports or resets in a short time raise a supervisor alert."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from workstation.alerts import raise_alert
from workstation.cards.models import CardRequest
from workstation.types import utcnow

LOSS_KINDS = ("formal_loss", "verbal_loss")


def _window() -> timedelta:
    return timedelta(hours=int(current_app.config["CARD_ALERT_WINDOW_HOURS"]))


def _count_credential_resets(customer_id: int, since) -> int:
    from workstation.credentials.models import CredentialReset

    return db_count(select(func.count(CredentialReset.id)).where(
        CredentialReset.customer_id == customer_id, CredentialReset.created_at >= since))


def db_count(query) -> int:
    """A count query's answer as an int."""
    from workstation.extensions import db

    return int(db.session.scalar(query) or 0)


def check_customer(customer_id: int, staff_id: int | None) -> bool:
    """Raise an alert when this customer's loss reports and resets pile up (caller commits)."""
    window = _window()
    since = utcnow() - window
    # A formal report confirming a verbal one is the same loss: count it once.
    losses = db_count(select(func.count(CardRequest.id)).where(
        CardRequest.customer_id == customer_id, CardRequest.kind.in_(LOSS_KINDS),
        CardRequest.previous_status != "verbal_loss", CardRequest.created_at >= since))
    resets = _count_credential_resets(customer_id, since)
    threshold = int(current_app.config["CARD_ALERT_THRESHOLD"])
    if losses + resets < threshold:
        return False
    hours = int(window.total_seconds() // 3600)
    alert = raise_alert(
        "repeated_card_requests",
        f"{losses} loss report(s) and {resets} PIN/password reset(s) for this customer "
        f"in {hours} hours.",
        customer_id=customer_id, staff_id=staff_id, severity="high" if resets and losses
        else "warning", detail={"loss_reports": losses, "resets": resets, "hours": hours},
        dedupe_within=window)
    return alert is not None


def check_staff_resets(staff_id: int | None) -> bool:
    """Raise an alert when one staff member starts many resets within an hour."""
    from workstation.credentials.models import CredentialReset

    if staff_id is None:
        return False
    since = utcnow() - timedelta(hours=1)
    started = db_count(select(func.count(CredentialReset.id)).where(
        CredentialReset.staff_id == staff_id, CredentialReset.created_at >= since))
    if started < int(current_app.config["CARD_STAFF_RESET_ALERT_PER_HOUR"]):
        return False
    alert = raise_alert("many_resets_by_staff",
                        f"{started} PIN/password resets started by one staff member in an hour.",
                        staff_id=staff_id, detail={"resets": started},
                        dedupe_within=timedelta(hours=1))
    return alert is not None

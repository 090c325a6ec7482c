"""Raising, listing and acknowledging supervisor alerts."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from workstation import audit
from workstation.alerts.models import SEVERITIES, Alert
from workstation.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.masking import scrub_digits
from workstation.models import Role, Staff
from workstation.realtime import STAFF_NAMESPACE, staff_room
from workstation.realtime.after_commit import emit_after_commit
from workstation.types import utcnow

ALERTS_EVENT = "alerts:new"
MIN_NOTE = 5


def raise_alert(
    kind: str,
    message: str,
    *,
    customer_id: int | None = None,
    staff_id: int | None = None,
    severity: str = "warning",
    detail: dict | None = None,
    dedupe_within: timedelta | None = None,
) -> Alert | None:
    """Add an alert in the caller's transaction; None if an open one of the kind exists."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if dedupe_within is not None and _open_duplicate(kind, customer_id, staff_id, dedupe_within):
        return None
    alert = Alert(
        kind=kind,
        severity=severity,
        customer_id=customer_id,
        staff_id=staff_id,
        message=scrub_digits(message)[:2000],
        detail=json.dumps(detail or {}, sort_keys=True, default=str),
    )
    db.session.add(alert)
    db.session.flush()
    _tell_supervisors()
    return alert


def _open_duplicate(kind: str, customer_id, staff_id, within: timedelta) -> bool:
    return (
        db.session.scalar(
            select(Alert.id).where(
                Alert.kind == kind,
                Alert.customer_id.is_(None) if customer_id is None
                else Alert.customer_id == customer_id,
                Alert.staff_id.is_(None) if staff_id is None else Alert.staff_id == staff_id,
                Alert.acknowledged_at.is_(None),
                Alert.created_at > utcnow() - within,
            )
        )
        is not None
    )


def _tell_supervisors() -> None:
    """After commit: every open supervisor workstation hears that the alert list changed."""
    supervisors = db.session.scalars(
        select(Staff.id).where(Staff.role == Role.SUPERVISOR.value, Staff.active.is_(True))
    ).all()
    for staff_id in supervisors:
        emit_after_commit(staff_room(staff_id), ALERTS_EVENT, {"changed": True}, STAFF_NAMESPACE)


def _require_supervisor(staff: Staff) -> None:
    if staff.role != Role.SUPERVISOR.value:
        raise Forbidden("Only a supervisor handles alerts.")


def open_alerts(staff: Staff, *, include_acknowledged: bool = False, limit: int = 200):
    """Alerts for the supervisor's list, newest first (open ones only unless asked)."""
    _require_supervisor(staff)
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
    if not include_acknowledged:
        query = query.where(Alert.acknowledged_at.is_(None))
    return list(db.session.scalars(query))


def acknowledge_alert(actor: audit.Actor, staff: Staff, alert_id: int, note: str) -> Alert:
    """A supervisor closes an alert with a note of what was checked."""
    _require_supervisor(staff)
    note = (note or "").strip()
    if len(note) < MIN_NOTE:
        raise ValidationFailed(f"Write what you checked (at least {MIN_NOTE} characters).")
    alert = db.session.execute(
        select(Alert).where(Alert.id == alert_id).with_for_update()
    ).scalar_one_or_none()
    if alert is None:
        raise NotFound("No such alert.")
    if alert.acknowledged_at is not None:
        raise Conflict("This alert was already acknowledged.")
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by_id = staff.id
    alert.acknowledgement = scrub_digits(note)[:2000]
    audit.record(actor, "alert.acknowledged", customer_id=alert.customer_id,
                 object_type="alert", object_id=alert.id, reason=note,
                 detail={"kind": alert.kind})
    db.session.commit()
    return alert

"""Reminders: planned with the booking, moved with it, pushed to the customer's device when due."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from appointments.models import Appointment, Reminder
from appointments.settings import AppointmentSettings
from workstation.audit import Actor
from workstation.extensions import db
from workstation.tasks.service import create_task
from workstation.types import utcnow

BATCH = 200


def reminder_times(
    appointment: Appointment, zone, settings: AppointmentSettings
) -> list[tuple[str, datetime]]:
    """When each reminder is due: the same local time the day before, and a lead before."""
    times = []
    if settings.reminder_day_before:
        local = appointment.starts_at.astimezone(zone)
        day_before = (local.replace(tzinfo=None) - timedelta(days=1)).replace(tzinfo=zone)
        times.append(("day_before", day_before.astimezone(appointment.starts_at.tzinfo)))
    if settings.reminder_lead:
        times.append(("hour_before", appointment.starts_at - settings.reminder_lead))
    return times


def plan_reminders(appointment: Appointment, zone, settings: AppointmentSettings,
                   now: datetime) -> None:
    """Withdraw reminders not yet sent and plan new ones for the current start time."""
    withdraw_reminders(appointment, now)
    for kind, due in reminder_times(appointment, zone, settings):
        if due > now:
            db.session.add(Reminder(appointment_id=appointment.id, kind=kind, due_at=due))


def withdraw_reminders(appointment: Appointment, now: datetime) -> None:
    """Stop reminders that have not gone out (cancel, reschedule)."""
    db.session.execute(
        update(Reminder)
        .where(
            Reminder.appointment_id == appointment.id,
            Reminder.sent_at.is_(None),
            Reminder.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )


def pending_reminders(appointment_id: int) -> list[Reminder]:
    """Reminders still to go out for an appointment, earliest first."""
    return list(
        db.session.scalars(
            select(Reminder)
            .where(Reminder.appointment_id == appointment_id, Reminder.sent_at.is_(None),
                   Reminder.withdrawn_at.is_(None))
            .order_by(Reminder.due_at)
        )
    )


def reminder_payload(reminder: Reminder, zone) -> dict:
    """What the customer's device shows for a reminder."""
    appt = reminder.appointment
    local = appt.starts_at.astimezone(zone)
    when = "tomorrow" if reminder.kind == "day_before" else "soon"
    return {
        "message": f"Your branch appointment is {when}: {appt.service.label} at "
                   f"{appt.branch.name}, {local:%Y-%m-%d %H:%M} ({appt.branch.timezone}). "
                   f"Reference {appt.reference}, check-in code {appt.checkin_code}.",
    }


def send_due_reminders(now: datetime | None = None) -> int:
    """Push every due reminder once (safe with several workers: rows are locked and skipped)."""
    from appointments.calendar import branch_zone

    now = now or utcnow()
    due = list(
        db.session.scalars(
            select(Reminder)
            .where(Reminder.due_at <= now, Reminder.sent_at.is_(None),
                   Reminder.withdrawn_at.is_(None))
            .order_by(Reminder.due_at)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
    )
    actor = Actor.system("appointment-reminders")
    for reminder in due:
        appt = reminder.appointment
        if not appt.is_active or appt.status != "booked":
            reminder.withdrawn_at = now
            continue
        lifetime = min(max(appt.ends_at - now, timedelta(minutes=5)), timedelta(days=30))
        create_task(actor, appt.customer_id, "notice",
                    reminder_payload(reminder, branch_zone(appt.branch)), expires_in=lifetime,
                    subject=("appointment", appt.id))
        reminder.channel = "task"
        reminder.sent_at = now
    db.session.commit()
    return len(due)

"""Check-in at the branch by code or QR, and the branch queue where appointments go first."""

from __future__ import annotations

import re
from datetime import datetime

import segno
from sqlalchemy import func, select

from appointments.booking import transaction
from appointments.calendar import branch_zone, get_branch
from appointments.models import Appointment, QueueTicket
from appointments.queries import is_branch_staff
from appointments.settings import current_settings
from workstation import audit
from workstation.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Branch, Staff
from workstation.types import utcnow

_CODE = re.compile(r"(?:code=)?([A-Za-z0-9]{8})\s*$")


def checkin_payload(appt: Appointment) -> str:
    """What the customer's QR code carries: a recognisable prefix and the check-in code."""
    return f"COW-CHECKIN:{appt.checkin_code}"


def checkin_qr_svg(appt: Appointment) -> str:
    """The check-in QR code as an inline SVG document."""
    return segno.make(checkin_payload(appt), error="m").svg_inline(scale=5, border=2)


def parse_checkin_code(text: str) -> str:
    """The code from what was typed or scanned (a bare code, a QR payload or a link)."""
    match = _CODE.search((text or "").strip())
    if not match:
        raise ValidationFailed("Enter the 8-character check-in code or scan the QR code.",
                               code="code")
    return match.group(1).upper()


def _desk_of(staff: Staff, branch_id: int) -> Branch:
    """The branch whose desk the staff member works; only its own serving staff may."""
    branch = get_branch(branch_id)
    if not is_branch_staff(staff, branch):
        raise Forbidden(f"Only staff of {branch.name} work its check-in desk.", code="branch")
    return branch


def _lock_branch(branch_id: int) -> Branch:
    # Serialises ticket numbering per branch (a row lock on PostgreSQL).
    return db.session.scalar(select(Branch).where(Branch.id == branch_id).with_for_update())


def _next_ticket(branch: Branch, priority: int, now: datetime, **fields) -> QueueTicket:
    _lock_branch(branch.id)
    day = now.astimezone(branch_zone(branch)).date()
    last = db.session.scalar(
        select(func.max(QueueTicket.number)).where(
            QueueTicket.branch_id == branch.id, QueueTicket.day == day
        )
    )
    ticket = QueueTicket(branch_id=branch.id, day=day, number=(last or 0) + 1,
                         priority=priority, joined_at=now, **fields)
    db.session.add(ticket)
    db.session.flush()
    return ticket


def _check_window(appt: Appointment, now: datetime) -> None:
    settings = current_settings()
    if now < appt.starts_at - settings.checkin_early:
        raise Conflict(
            f"Too early to check in: check-in opens "
            f"{int(settings.checkin_early.total_seconds() // 60)} minutes before the appointment.",
            code="too_early",
        )
    if now > appt.ends_at + settings.checkin_late:
        raise Conflict("Too late to check in: the appointment has passed.", code="too_late")


@transaction
def check_in(actor: audit.Actor, staff: Staff, branch_id: int, code_text: str,
             now: datetime | None = None) -> QueueTicket:
    """Check a customer in by code; they join the branch queue ahead of walk-ins."""
    now = now or utcnow()
    branch = _desk_of(staff, branch_id)
    code = parse_checkin_code(code_text)
    appt = db.session.scalar(
        select(Appointment).where(Appointment.checkin_code == code).with_for_update()
    )
    if appt is None or appt.branch_id != branch.id:
        raise NotFound("No appointment at this branch has that check-in code.", code="code")
    if appt.status == "checked_in":
        raise Conflict("This customer is already checked in.", code="status")
    if appt.status != "booked":
        raise Conflict(f"A {appt.status.replace('_', ' ')} appointment cannot be checked in.",
                       code="status")
    _check_window(appt, now)
    appt.status = "checked_in"
    appt.checked_in_at = now
    appt.updated_at = now
    ticket = _next_ticket(branch, 1, now, appointment_id=appt.id, label=appt.service.label)
    audit.record(actor, "appointment.check_in", customer_id=appt.customer_id,
                 object_type="appointment", object_id=appt.reference,
                 detail={"ticket": ticket.display, "by": staff.username})
    db.session.commit()
    return ticket


@transaction
def add_walk_in(actor: audit.Actor, staff: Staff, branch_id: int, label: str,
                now: datetime | None = None) -> QueueTicket:
    """Give a walk-in customer a ticket (behind checked-in appointments)."""
    now = now or utcnow()
    branch = _desk_of(staff, branch_id)
    label = (label or "").strip()[:120] or "Walk-in"
    ticket = _next_ticket(branch, 0, now, label=label)
    audit.record(actor, "branch_queue.walk_in", object_type="queue_ticket",
                 object_id=ticket.id, detail={"ticket": ticket.display})
    db.session.commit()
    return ticket


def waiting(branch_id: int, now: datetime | None = None) -> list[QueueTicket]:
    """Today's waiting line: checked-in appointments first, then by arrival."""
    branch = get_branch(branch_id)
    day = (now or utcnow()).astimezone(branch_zone(branch)).date()
    return list(
        db.session.scalars(
            select(QueueTicket)
            .where(QueueTicket.branch_id == branch_id, QueueTicket.day == day,
                   QueueTicket.called_at.is_(None))
            .order_by(QueueTicket.priority.desc(), QueueTicket.joined_at, QueueTicket.id)
        )
    )


@transaction
def call_next(actor: audit.Actor, staff: Staff, branch_id: int,
              now: datetime | None = None) -> QueueTicket:
    """Call the first ticket of the line to the counter; its appointment is then served."""
    now = now or utcnow()
    _lock_branch(_desk_of(staff, branch_id).id)
    line = waiting(branch_id, now)
    if not line:
        raise Conflict("Nobody is waiting.", code="empty")
    ticket = line[0]
    ticket.called_at = now
    ticket.called_by_id = staff.id
    if ticket.appointment is not None:
        ticket.appointment.status = "completed"
        ticket.appointment.updated_at = now
    audit.record(actor, "branch_queue.call", object_type="queue_ticket", object_id=ticket.id,
                 customer_id=ticket.appointment.customer_id if ticket.appointment else None,
                 detail={"ticket": ticket.display})
    db.session.commit()
    return ticket

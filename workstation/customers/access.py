"""Who may open which customer record, and on what basis."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import NoReturn

from flask import Flask, current_app
from sqlalchemy import bindparam, select

from workstation import audit
from workstation.errors import Forbidden, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import AccessGrant, Customer, Role, Staff
from workstation.types import utcnow

ACCESS_REASONS = {
    "customer_request": "Customer asked for help (call, video or chat)",
    "colleague_cover": "Covering for the customer's account manager",
    "complaint": "Complaint or dispute handling",
    "fraud_check": "Fraud or risk check",
    "audit_review": "Audit or compliance review",
}
MIN_REASON_TEXT = 10


class ReasonRequired(Forbidden):
    """The record lies outside the staff member's work: a reason must be given first."""

    def __init__(self, message: str, *, customer_id: int | None = None) -> None:
        super().__init__(message)
        self.customer_id = customer_id  # whose reason page to send the staff member to


BasisCheck = Callable[[Staff, Customer], bool]
_PROVIDERS_KEY = "customer_access_bases"


def add_access_basis(app: Flask, label: str, check: BasisCheck) -> None:
    """Let another area vouch for access (e.g. the agent serving the customer in a session)."""
    app.extensions.setdefault(_PROVIDERS_KEY, []).append((label, check))


def access_basis(staff: Staff, customer: Customer) -> str | None:
    """Why this staff member may open this record now, or None if a reason is needed."""
    if staff.role == Role.MANAGER and customer.manager_id == staff.id:
        return "portfolio"
    for label, check in current_app.extensions.get(_PROVIDERS_KEY, []):
        if check(staff, customer):
            return label
    grant = db.session.scalar(
        select(AccessGrant.id).where(
            AccessGrant.staff_id == staff.id,
            AccessGrant.customer_id == customer.id,
            AccessGrant.expires_at > utcnow(),
        )
    )
    return "stated reason" if grant else None


# Built once: staff actions on a customer's record start here (a task push among them).
_CUSTOMER = select(Customer).where(Customer.id == bindparam("customer_id"))
_CUSTOMER_LOCKED = _CUSTOMER.with_for_update()


def customer_with_basis(actor: audit.Actor, staff: Staff, customer_id: int, action: str, *,
                        lock: bool = False) -> tuple[Customer, str]:
    """The customer and why this staff member may act on their record (the basis, for the
    caller's own audit row). Without a basis the refusal is put on record under `action`
    (committed) and ReasonRequired raised. `lock` takes the customer's row lock, which
    queues concurrent operations on one customer (double-sent forms too)."""
    customer = db.session.execute(_CUSTOMER_LOCKED if lock else _CUSTOMER,
                                  {"customer_id": customer_id}).scalar_one_or_none()
    if customer is None:
        raise NotFound("No customer with that number exists.")
    return customer, require_basis(actor, staff, customer, action)


def require_basis(actor: audit.Actor, staff: Staff, customer: Customer, action: str) -> str:
    """Why this staff member may open the customer's record. Without a basis the refusal is
    put on record under `action` (committed) and ReasonRequired raised; an allowed opening
    is the caller's to record, with the basis as its reason, beside what it does."""
    basis = access_basis(staff, customer)
    if basis is None:
        refuse_opening(actor, action, customer.id, "customer", customer.customer_no)
    return basis


def record_opening(actor: audit.Actor, action: str, *, allowed: bool, customer_id: int,
                   object_type: str, object_id: str | int) -> None:
    """Put an opening of a customer's data on record, refused or not (committed, so that a
    refusal stays on record too); ReasonRequired when it was refused."""
    if not allowed:
        refuse_opening(actor, action, customer_id, object_type, object_id)
    audit.record(actor, action, customer_id=customer_id, object_type=object_type,
                 object_id=object_id)
    db.session.commit()


def refuse_opening(actor: audit.Actor, action: str, customer_id: int, object_type: str,
                   object_id: str | int) -> NoReturn:
    """Put a refused opening of a customer's data on record (committed) and raise
    ReasonRequired: the staff member is sent to the page that asks why."""
    audit.record(actor, action, customer_id=customer_id, object_type=object_type,
                 object_id=object_id, outcome="reason_required")
    db.session.commit()
    raise ReasonRequired("State why you open this customer's record first.",
                         customer_id=customer_id)


def grant_access(
    actor: audit.Actor,
    staff: Staff,
    customer_id: int,
    reason_code: str,
    reason_text: str,
    lifetime: timedelta,
) -> AccessGrant:
    """Record a staff member's reason to open a record outside their work."""
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    reason_text = (reason_text or "").strip()
    if reason_code not in ACCESS_REASONS:
        raise ValidationFailed("Choose why you need to open this record.")
    if len(reason_text) < MIN_REASON_TEXT:
        raise ValidationFailed(
            f"Describe the reason in at least {MIN_REASON_TEXT} characters "
            "(for example the case or call it belongs to)."
        )
    grant = AccessGrant(
        staff_id=staff.id,
        customer_id=customer.id,
        reason_code=reason_code,
        reason_text=reason_text[:1000],
        expires_at=utcnow() + lifetime,
    )
    db.session.add(grant)
    audit.record(
        actor,
        "customer.access_reason",
        customer_id=customer.id,
        object_type="customer",
        object_id=customer.customer_no,
        reason=f"{ACCESS_REASONS[reason_code]}: {reason_text}",
    )
    db.session.commit()
    return grant


def recent_out_of_portfolio_access(since_hours: int = 24, limit: int = 50) -> list[AccessGrant]:
    """Reasons stated to open records outside one's work, newest first (for supervisors)."""
    since = utcnow() - timedelta(hours=since_hours)
    return list(
        db.session.scalars(
            select(AccessGrant)
            .where(AccessGrant.granted_at >= since)
            .order_by(AccessGrant.granted_at.desc())
            .limit(limit)
        )
    )

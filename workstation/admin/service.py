"""Creating and deactivating staff, resetting second factors, assigning portfolios."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from workstation import audit
from workstation.auth.passwords import hash_password, password_problem
from workstation.errors import Conflict, DomainError, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Branch, Customer, Role, Staff
from workstation.realtime import STAFF_NAMESPACE, staff_room
from workstation.realtime.after_commit import emit_after_commit
from workstation.types import utcnow

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,31}$")


@dataclass(frozen=True)
class NewStaff:
    username: str
    full_name: str
    role: str
    branch_id: int | None
    password: str


@dataclass(frozen=True)
class PortfolioResult:
    assigned: list[str]
    unknown: list[str]


def list_staff() -> list[Staff]:
    """Every staff account, active first."""
    return list(db.session.scalars(select(Staff).order_by(Staff.active.desc(), Staff.username)))


def list_branches() -> list[Branch]:
    """Every branch, by code."""
    return list(db.session.scalars(select(Branch).order_by(Branch.code)))


def _staff(staff_id: int) -> Staff:
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        raise NotFound("No such staff account.")
    return staff


def create_staff(actor: audit.Actor, new: NewStaff, min_password: int) -> Staff:
    """Open a staff account; the person sets a new password and a second factor at sign-in."""
    username = new.username.strip().lower()
    if not USERNAME.match(username):
        raise ValidationFailed(
            "A username is 3 to 32 characters: lower-case letters, digits, dot, dash, underscore."
        )
    if not new.full_name.strip():
        raise ValidationFailed("Enter the person's full name.")
    if new.role not in {r.value for r in Role}:
        raise ValidationFailed("Choose a role.")
    if new.branch_id is not None and db.session.get(Branch, new.branch_id) is None:
        raise ValidationFailed("Choose an existing branch.")
    problem = password_problem(new.password, min_password)
    if problem:
        raise ValidationFailed(f"Initial password: {problem}")
    if db.session.scalar(select(Staff.id).where(func.lower(Staff.username) == username)):
        raise Conflict(f"The username {username} is taken.")
    staff = Staff(
        username=username,
        full_name=new.full_name.strip()[:120],
        role=new.role,
        branch_id=new.branch_id,
        password_hash=hash_password(new.password),
        must_change_password=True,
    )
    db.session.add(staff)
    db.session.flush()
    audit.record(
        actor,
        "staff.created",
        object_type="staff",
        object_id=staff.id,
        detail={"username": username, "role": new.role},
    )
    db.session.commit()
    return staff


def _end_open_sessions(staff: Staff, reason: str) -> None:
    """Invalidate every session cookie and tell open workstation tabs at once."""
    staff.session_version += 1
    emit_after_commit(staff_room(staff.id), "signed_out", {"reason": reason}, STAFF_NAMESPACE)


def set_active(actor: audit.Actor, staff_id: int, active: bool) -> Staff:
    """Deactivate (ending every session at once) or reactivate an account."""
    staff = _staff(staff_id)
    if staff.id == actor.staff_id and not active:
        raise DomainError("You cannot deactivate your own account.")
    if staff.active == active:
        return staff
    staff.active = active
    _end_open_sessions(staff, "Your account was deactivated.")
    staff.deactivated_at = None if active else utcnow()
    audit.record(
        actor,
        "staff.activated" if active else "staff.deactivated",
        object_type="staff",
        object_id=staff.id,
    )
    db.session.commit()
    return staff


def reset_second_factor(actor: audit.Actor, staff_id: int) -> Staff:
    """Remove the authenticator; the person enrols a new one at next sign-in."""
    staff = _staff(staff_id)
    staff.totp_secret = None
    staff.totp_confirmed_at = None
    staff.totp_last_step = None
    _end_open_sessions(staff, "Your second factor was reset. Sign in again to set it up.")
    audit.record(actor, "staff.second_factor_reset", object_type="staff", object_id=staff.id)
    db.session.commit()
    return staff


def unlock(actor: audit.Actor, staff_id: int) -> Staff:
    """Lift a lockout after failed sign-ins."""
    staff = _staff(staff_id)
    staff.locked_until = None
    staff.failed_sign_ins = 0
    audit.record(actor, "staff.unlocked", object_type="staff", object_id=staff.id)
    db.session.commit()
    return staff


def managers_with_portfolio_size() -> list[tuple[Staff, int]]:
    """Active account managers and how many customers each one has."""
    rows = db.session.execute(
        select(Staff, func.count(Customer.id))
        .outerjoin(Customer, Customer.manager_id == Staff.id)
        .where(Staff.role == Role.MANAGER.value, Staff.active.is_(True))
        .group_by(Staff.id)
        .order_by(Staff.username)
    ).all()
    return [(staff, count) for staff, count in rows]


UNASSIGNED_SHOWN = 200


@dataclass(frozen=True)
class Unassigned:
    """Customers without an account manager: the first of them, and how many there are."""

    customers: list[Customer]
    total: int


def unassigned_customers(actor: audit.Actor) -> Unassigned:
    """The customers no account manager looks after, by home branch (the listing is audited)."""
    waiting = select(Customer).where(Customer.manager_id.is_(None))
    total = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    customers = list(db.session.scalars(
        waiting.outerjoin(Branch, Branch.id == Customer.home_branch_id)
        .order_by(Branch.code, Customer.customer_no).limit(UNASSIGNED_SHOWN)))
    audit.record(actor, "customer.unassigned_listed", object_type="customer",
                 detail={"shown": len(customers), "total": total})
    db.session.commit()
    return Unassigned(customers, total)


def assign_portfolio(actor: audit.Actor, manager_id: int, customer_numbers: str) -> PortfolioResult:
    """Give customers (by customer number) to an account manager; all or nothing."""
    manager = db.session.get(Staff, manager_id)
    if manager is None or manager.role != Role.MANAGER.value or not manager.active:
        raise ValidationFailed("Choose an active account manager.")
    numbers = sorted({n for n in re.split(r"[\s,;]+", customer_numbers or "") if n})
    if not numbers:
        raise ValidationFailed("Enter at least one customer number.")
    if len(numbers) > 500:
        raise ValidationFailed("Assign at most 500 customers at a time.")
    customers = db.session.scalars(select(Customer).where(Customer.customer_no.in_(numbers))).all()
    found = {c.customer_no for c in customers}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        return PortfolioResult(assigned=[], unknown=unknown)
    for customer in customers:
        previous = customer.manager_id
        customer.manager_id = manager.id
        audit.record(
            actor,
            "customer.manager_assigned",
            customer_id=customer.id,
            object_type="customer",
            object_id=customer.customer_no,
            detail={"manager": manager.username, "previous_manager_id": previous},
        )
    db.session.commit()
    return PortfolioResult(assigned=sorted(found), unknown=[])

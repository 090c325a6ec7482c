"""What each role's home page lists."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from workstation.customers.access import recent_out_of_portfolio_access
from workstation.extensions import db
from workstation.models import AuditEvent, Customer, Role, ServiceRecord, Staff
from workstation.types import utcnow

PAGE_SIZE = 25


def recently_opened_customers(staff_id: int, limit: int = 10) -> list[Customer]:
    """Customers whose profile this staff member opened lately, most recent first."""
    latest = (
        select(AuditEvent.customer_id, func.max(AuditEvent.id).label("last"))
        .where(
            AuditEvent.actor_id == staff_id,
            AuditEvent.action == "customer.view",
            AuditEvent.outcome == "ok",
        )
        .group_by(AuditEvent.customer_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Customer)
            .join(latest, latest.c.customer_id == Customer.id)
            .order_by(latest.c.last.desc())
            .limit(limit)
        )
    )


def handled_by(staff_id: int, limit: int = 10) -> list[ServiceRecord]:
    """The latest errands this staff member handled."""
    return list(
        db.session.scalars(
            select(ServiceRecord)
            .where(ServiceRecord.staff_id == staff_id)
            .order_by(ServiceRecord.started_at.desc())
            .limit(limit)
        )
    )


def portfolio(manager_id: int, page: int) -> tuple[list[Customer], int]:
    """One page of a manager's customers, and how many there are in all."""
    total = db.session.scalar(
        select(func.count(Customer.id)).where(Customer.manager_id == manager_id)
    )
    customers = db.session.scalars(
        select(Customer)
        .where(Customer.manager_id == manager_id)
        .order_by(Customer.full_name, Customer.id)
        .offset(max(page - 1, 0) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(customers), total or 0


def supervisor_overview(branch_id: int | None) -> dict:
    """Team, locked accounts and out-of-portfolio record access for a supervisor."""
    team_query = select(Staff).where(Staff.role.in_([Role.AGENT.value, Role.MANAGER.value]))
    if branch_id is not None:
        team_query = team_query.where(Staff.branch_id == branch_id)
    now = utcnow()
    return {
        "team": list(db.session.scalars(team_query.order_by(Staff.username))),
        "locked": list(db.session.scalars(select(Staff).where(Staff.locked_until > now))),
        "access": recent_out_of_portfolio_access(since_hours=24),
        "failed_sign_ins": db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action.in_(("auth.sign_in", "auth.second_factor")),
                AuditEvent.outcome == "failed",
                AuditEvent.occurred_at >= now - timedelta(hours=24),
            )
        ),
    }


def admin_overview() -> dict:
    """Counts for the administrator's home page."""
    return {
        "active_staff": db.session.scalar(select(func.count(Staff.id)).where(Staff.active)),
        "inactive_staff": db.session.scalar(
            select(func.count(Staff.id)).where(Staff.active.is_(False))
        ),
        "unassigned_customers": db.session.scalar(
            select(func.count(Customer.id)).where(Customer.manager_id.is_(None))
        ),
        "locked": list(db.session.scalars(select(Staff).where(Staff.locked_until > utcnow()))),
    }

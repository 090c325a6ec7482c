"""Reading the audit log with filters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from workstation.extensions import db
from workstation.models import AuditEvent, Customer
from workstation.types import whole_number

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    username: str = ""
    customer_no: str = ""
    before_id: int | None = None

    @classmethod
    def from_args(cls, args) -> AuditFilters:
        before = args.get("before", "")
        return cls(
            action=args.get("action", "").strip()[:64],
            username=args.get("username", "").strip()[:64],
            customer_no=args.get("customer_no", "").strip()[:16],
            before_id=whole_number(before),
        )


def find_events(filters: AuditFilters) -> tuple[list[AuditEvent], bool]:
    """A page of events, newest first, and whether older ones exist."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.action:
        query = query.where(AuditEvent.action.startswith(filters.action, autoescape=True))
    if filters.username:
        query = query.where(AuditEvent.actor_username == filters.username)
    if filters.customer_no:
        query = query.where(
            AuditEvent.customer_id.in_(
                select(Customer.id).where(
                    Customer.customer_no == filters.customer_no.strip().upper())
            )
        )
    if filters.before_id is not None:
        query = query.where(AuditEvent.id < filters.before_id)
    rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE

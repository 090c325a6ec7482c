"""Finding customers and assembling the customer profile."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from workstation import audit
from workstation.core import AccountInfo, CardInfo, CoreBanking, CustomerInfo, TransactionInfo
from workstation.customers.access import customer_with_basis
from workstation.errors import NotFound
from workstation.extensions import db
from workstation.masking import scrub_digits
from workstation.models import Card, Customer, ServiceRecord, Staff

MAX_QUERY = 64


@dataclass(frozen=True)
class CustomerHit:
    id: int
    customer_no: str
    full_name: str
    phone: str
    manager_name: str
    in_portfolio: bool


@dataclass(frozen=True)
class CustomerProfile:
    customer: CustomerInfo
    accounts: list[AccountInfo]
    cards: list[CardInfo]
    transactions: list[TransactionInfo]
    history: list[ServiceRecord]
    manager_name: str
    branch_name: str
    basis: str


def _criteria(query: str):
    digits = re.sub(r"\D", "", query)
    like = f"%{query}%"
    conditions = [
        Customer.full_name.ilike(like, escape="\\"),
        Customer.customer_no.ilike(like, escape="\\"),
    ]
    if len(digits) >= 4 and len(digits) == len(re.sub(r"[\s+\-()]", "", query)):
        conditions.append(Customer.phone.contains(digits, autoescape=True))
        if len(digits) == 4:
            conditions.append(
                Customer.id.in_(select(Card.customer_id).where(Card.pan_last4 == digits))
            )
    return or_(*conditions)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_customers(actor: audit.Actor, staff: Staff, query: str, limit: int) -> list[CustomerHit]:
    """Customers matching a name, phone, customer number or a card's last four digits."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    rows = db.session.execute(
        select(Customer, Staff.full_name)
        .outerjoin(Staff, Staff.id == Customer.manager_id)
        .where(_criteria(_escape_like(query)))
        .order_by(Customer.full_name, Customer.id)
        .limit(limit)
    ).all()
    hits = [
        CustomerHit(
            id=c.id,
            customer_no=c.customer_no,
            full_name=c.full_name,
            phone=c.phone,
            manager_name=manager or "",
            in_portfolio=c.manager_id == staff.id,
        )
        for c, manager in rows
    ]
    audit.record(
        actor,
        "customer.search",
        object_type="customer",
        detail={"query": scrub_digits(query), "results": len(hits)},
    )
    db.session.commit()
    return hits


def open_profile(
    actor: audit.Actor, staff: Staff, core: CoreBanking, customer_id: int
) -> CustomerProfile:
    """Everything the profile shows; refused without a basis, and audited either way."""
    customer, basis = customer_with_basis(actor, staff, customer_id, "customer.view")
    profile = CustomerProfile(
        customer=core.get_customer(customer.id),
        accounts=core.accounts_of(customer.id),
        cards=core.cards_of(customer.id),
        transactions=core.recent_transactions(customer.id, limit=20),
        history=list(
            db.session.scalars(
                select(ServiceRecord)
                .where(ServiceRecord.customer_id == customer.id)
                .order_by(ServiceRecord.started_at.desc())
                .limit(20)
            )
        ),
        manager_name=customer.manager.full_name if customer.manager else "",
        branch_name=customer.home_branch.name if customer.home_branch else "",
        basis=basis,
    )
    audit.record(
        actor,
        "customer.view",
        customer_id=customer.id,
        object_type="customer",
        object_id=customer.customer_no,
        reason=basis,
    )
    db.session.commit()
    return profile


def customer_brief(customer_id: int) -> Customer:
    """The customer row for a page header (name and number only are shown)."""
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No customer with that number exists.")
    return customer

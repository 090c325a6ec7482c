"""Demo calendars: opening hours, holidays, every service and cash capacity for each branch."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from sqlalchemy import select

from appointments.models import BranchService, CashCapacity, Closure, OpeningHours
from workstation.extensions import db
from workstation.models import Branch

WEEKDAY_HOURS = [(time(9, 0), time(12, 0)), (time(13, 30), time(17, 0))]
SATURDAY_HOURS = [(time(9, 30), time(15, 0))]
SERVICES = {
    # kind: slot minutes, capacity, buffer, notice minutes, horizon days
    "counter": (15, 3, 0, 30, 14),
    "large_cash": (30, 2, 10, 120, 30),
    "card_pickup": (15, 2, 0, 60, 30),
    "account_opening": (30, 1, 10, 120, 30),
    "wealth": (45, 1, 15, 24 * 60, 60),
    "video": (20, 2, 5, 30, 14),
}
CASH = {"CNY": Decimal("2000000"), "USD": Decimal("100000"), "HKD": Decimal("500000")}
HOLIDAYS = [
    (date(2026, 12, 25), "Christmas Day"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 2, 6), "Spring Festival"),
    (date(2027, 2, 7), "Spring Festival"),
    (date(2027, 2, 8), "Spring Festival"),
]


def _seed_branch(branch: Branch) -> int:
    added = 0
    has_hours = select(OpeningHours.id).where(OpeningHours.branch_id == branch.id)
    if db.session.scalar(has_hours) is None:
        for weekday in range(5):
            for opens, closes in WEEKDAY_HOURS:
                db.session.add(OpeningHours(branch_id=branch.id, weekday=weekday, opens=opens,
                                            closes=closes))
        for opens, closes in SATURDAY_HOURS:
            db.session.add(OpeningHours(branch_id=branch.id, weekday=5, opens=opens,
                                        closes=closes))
        added += 1
    have = set(db.session.scalars(select(BranchService.kind).where(
        BranchService.branch_id == branch.id)))
    for kind, (slot, cap, buffer, notice, horizon) in SERVICES.items():
        if kind not in have:
            db.session.add(BranchService(branch_id=branch.id, kind=kind, slot_minutes=slot,
                                         capacity=cap, buffer_minutes=buffer,
                                         min_notice_minutes=notice, horizon_days=horizon))
            added += 1
    currencies = set(db.session.scalars(select(CashCapacity.currency).where(
        CashCapacity.branch_id == branch.id)))
    for currency, limit in CASH.items():
        if currency not in currencies:
            db.session.add(CashCapacity(branch_id=branch.id, currency=currency,
                                        daily_limit=limit))
    days = set(db.session.scalars(select(Closure.day).where(Closure.branch_id == branch.id)))
    for day, reason in HOLIDAYS:
        if day not in days:
            db.session.add(Closure(branch_id=branch.id, day=day, reason=reason))
    return added


def seed_appointments_demo() -> str:
    """Give every branch demo hours, holidays, services and cash capacity (safe to run again)."""
    branches = list(db.session.scalars(select(Branch).order_by(Branch.code)))
    changed = sum(_seed_branch(branch) for branch in branches)
    db.session.commit()
    return f"appointments: {len(branches)} branches set up ({changed} additions)"

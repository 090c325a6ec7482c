"""Seat and cash counters: conditional updates that let exactly one request take the last seat.

Each booking first makes sure the counter row exists (insert, ignoring a conflict) and then
increments it with `UPDATE ... WHERE booked < capacity`. On PostgreSQL the UPDATE waits for a
concurrent writer of the same row and re-checks the condition after it commits; on SQLite every
transaction starts with BEGIN IMMEDIATE, so writers queue. Either way the count never passes
the capacity, whatever the number of concurrent requests.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, literal, update
from sqlalchemy.dialects import postgresql, sqlite

from appointments.models import CashLoad, SlotLoad
from workstation.errors import Conflict
from workstation.extensions import db, on_postgresql


def _insert_ignore(model, **values) -> None:
    insert = postgresql.insert if on_postgresql() else sqlite.insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing())


class SlotFull(Conflict):
    """Every seat of the slot is taken."""


class CashCapacityExceeded(Conflict):
    """The branch cannot pay out that much more cash on that day."""


def take_seat(service_id: int, starts_at: datetime, capacity: int) -> None:
    """Take one seat in a slot, or raise SlotFull."""
    _insert_ignore(SlotLoad, service_id=service_id, starts_at=starts_at, booked=0)
    result = db.session.execute(
        update(SlotLoad)
        .where(
            SlotLoad.service_id == service_id,
            SlotLoad.starts_at == starts_at,
            SlotLoad.booked < capacity,
        )
        .values(booked=SlotLoad.booked + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise SlotFull("That slot is fully booked: choose another time.", code="full")


def release_seat(service_id: int, starts_at: datetime) -> None:
    """Give a seat back."""
    db.session.execute(
        update(SlotLoad)
        .where(
            SlotLoad.service_id == service_id,
            SlotLoad.starts_at == starts_at,
            SlotLoad.booked > 0,
        )
        .values(booked=SlotLoad.booked - 1)
        .execution_options(synchronize_session=False)
    )


def _cents(amount: Decimal):
    return literal(int((amount * 100).to_integral_value()), BigInteger)


def reserve_cash(branch_id: int, currency: str, day: date, amount: Decimal, limit: Decimal):
    """Promise cash of a currency on a branch-local day, or raise CashCapacityExceeded."""
    _insert_ignore(CashLoad, branch_id=branch_id, currency=currency, day=day,
                   booked_amount=Decimal("0"))
    result = db.session.execute(
        update(CashLoad)
        .where(
            CashLoad.branch_id == branch_id,
            CashLoad.currency == currency,
            CashLoad.day == day,
            CashLoad.booked_amount + _cents(amount) <= _cents(limit),
        )
        .values(booked_amount=CashLoad.booked_amount + _cents(amount))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise CashCapacityExceeded(
            f"The amount is over the branch's daily cash capacity for {currency} on "
            f"{day.isoformat()}: choose another day or a smaller amount.",
            code="cash_capacity",
        )


def release_cash(branch_id: int, currency: str, day: date, amount: Decimal) -> None:
    """Give promised cash back to the day's capacity."""
    db.session.execute(
        update(CashLoad)
        .where(CashLoad.branch_id == branch_id, CashLoad.currency == currency,
               CashLoad.day == day)
        .values(booked_amount=CashLoad.booked_amount - _cents(amount))
        .execution_options(synchronize_session=False)
    )

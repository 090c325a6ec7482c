"""Column types: timezone-aware UTC times and exact money amounts on every database; the
checks that turn typed digits into numbers those columns can hold."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")
DB_INT_MAX = 2**63 - 1  # the largest integer PostgreSQL's BIGINT and SQLite hold


def is_digits(text: object) -> bool:
    """Only the ASCII digits 0-9: str.isdigit() alone also takes '²' or '١', which int()
    refuses or reads as other numbers."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def whole_number(text: object, limit: int = DB_INT_MAX) -> int | None:
    """A whole number from 0 to `limit` written in ASCII digits, or None."""
    if not is_digits(text) or len(text) > len(str(limit)):
        return None
    value = int(text)
    return value if value <= limit else None


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_money(value: Decimal | int | str) -> Decimal:
    """An exact amount rounded to cents (banker's rounding)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


class UTCDateTime(TypeDecorator):
    """Stores UTC and always returns an aware datetime, also on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Money(TypeDecorator):
    """A Decimal amount kept as whole cents, so no database rounds it."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(CENT)

"""Calendar and booking rules, free of the database: slots, notice, horizon, large cash."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from workstation.errors import ValidationFailed

MAX_CASH_AMOUNT = Decimal("100000000")


class BookingRefused(ValidationFailed):
    """A booking rule refused the request; `code` names the rule."""


@dataclass(frozen=True)
class Schedule:
    """When a branch is open, in its own time zone."""

    zone: ZoneInfo
    hours: dict[int, list[tuple[time, time]]] = field(default_factory=dict)
    closures: dict[date, str] = field(default_factory=dict)

    def local_date(self, moment: datetime) -> date:
        """The branch-local calendar date of a UTC moment."""
        return moment.astimezone(self.zone).date()

    def is_business_day(self, day: date) -> bool:
        """Open on this date: opening hours on its weekday and no closure."""
        return bool(self.hours.get(day.weekday())) and day not in self.closures


@dataclass(frozen=True)
class SlotRules:
    slot_minutes: int
    capacity: int
    buffer_minutes: int = 0
    min_notice_minutes: int = 0
    horizon_days: int = 30

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)


def local_moment(zone: ZoneInfo, day: date, at: time) -> datetime | None:
    """The UTC moment of a branch-local wall-clock time, or None if the clock skips it (DST)."""
    aware = datetime.combine(day, at).replace(tzinfo=zone)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != datetime.combine(day, at):
        return None
    return utc


def day_slots(schedule: Schedule, rules: SlotRules, day: date) -> list[datetime]:
    """UTC start times of every slot on a branch-local date (none on closures)."""
    if day in schedule.closures:
        return []
    step = timedelta(minutes=rules.slot_minutes + rules.buffer_minutes)
    starts = []
    for opens, closes in sorted(schedule.hours.get(day.weekday(), [])):
        cursor = datetime.combine(day, opens)
        last = datetime.combine(day, closes) - rules.length
        while cursor <= last:
            moment = local_moment(schedule.zone, day, cursor.time())
            if moment is not None:
                starts.append(moment)
            cursor += step
    return starts


def _within_hours(schedule: Schedule, local: datetime) -> bool:
    return any(
        opens <= local.time() < closes for opens, closes in schedule.hours.get(local.weekday(), [])
    )


def check_slot(schedule: Schedule, rules: SlotRules, start: datetime, now: datetime) -> None:
    """Refuse a start time that breaks a calendar rule, naming the rule."""
    local = start.astimezone(schedule.zone)
    if start <= now:
        raise BookingRefused("That time is in the past: choose a later slot.", code="past")
    if start < now + timedelta(minutes=rules.min_notice_minutes):
        raise BookingRefused(
            f"Under the notice period: this service needs at least "
            f"{rules.min_notice_minutes} minutes' notice.",
            code="notice",
        )
    last_day = schedule.local_date(now) + timedelta(days=rules.horizon_days)
    if local.date() > last_day:
        raise BookingRefused(
            f"Beyond the booking horizon: bookings open {rules.horizon_days} days ahead "
            f"(until {last_day.isoformat()}).",
            code="horizon",
        )
    if local.date() in schedule.closures:
        raise BookingRefused(
            f"The branch is closed on {local.date().isoformat()} "
            f"({schedule.closures[local.date()]}): it is a holiday or closure.",
            code="holiday",
        )
    if not _within_hours(schedule, local):
        raise BookingRefused(
            f"{local:%H:%M} on {local:%A} is outside the branch's opening hours.",
            code="hours",
        )
    if start not in day_slots(schedule, rules, local.date()):
        raise BookingRefused(
            "That time is not the start of a slot: choose one of the offered slots.", code="slot"
        )


def next_business_day(schedule: Schedule, after: date, limit: int = 60) -> date:
    """The first business day strictly after a date."""
    day = after
    for _ in range(limit):
        day += timedelta(days=1)
        if schedule.is_business_day(day):
            return day
    return day


def parse_amount(text: str) -> Decimal:
    """A positive amount with at most two decimals."""
    try:
        amount = Decimal((text or "").replace(",", "").strip())
    except InvalidOperation:
        raise BookingRefused("Enter the amount as a number, e.g. 60000.00.",
                             code="amount") from None
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:
        raise BookingRefused(
            "The amount must be positive with at most two decimals.", code="amount"
        )
    if amount > MAX_CASH_AMOUNT:
        raise BookingRefused("The amount is larger than any branch can pay out.", code="amount")
    return amount


@dataclass(frozen=True)
class CashRequest:
    amount: Decimal
    currency: str
    purpose: str
    source_of_funds: str


def check_large_cash(
    request: CashRequest,
    thresholds: dict[str, Decimal],
    schedule: Schedule,
    visit_day: date,
    today: date,
) -> None:
    """Above the currency's threshold: purpose, source of funds and a business day's notice."""
    threshold = thresholds.get(request.currency)
    if threshold is None or request.amount < threshold:
        return
    label = f"{threshold:,.2f} {request.currency}"
    if len(request.purpose.strip()) < 3:
        raise BookingRefused(
            f"Withdrawals of {label} or more need the purpose of the withdrawal.", code="purpose"
        )
    if len(request.source_of_funds.strip()) < 3:
        raise BookingRefused(
            f"Withdrawals of {label} or more need the source of funds.", code="source_of_funds"
        )
    earliest = next_business_day(schedule, today)
    if visit_day < earliest:
        raise BookingRefused(
            f"Withdrawals of {label} or more must be booked at least one business day ahead: "
            f"the earliest date is {earliest.isoformat()}.",
            code="cash_notice",
        )

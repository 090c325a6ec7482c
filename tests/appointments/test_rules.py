"""Slot rules in branch time zones, daylight-saving changes included, and large cash rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from appointments.reminders import reminder_times
from appointments.rules import (
    BookingRefused,
    CashRequest,
    Schedule,
    SlotRules,
    check_large_cash,
    check_slot,
    day_slots,
    local_moment,
    parse_amount,
)
from appointments.settings import AppointmentSettings

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WEEK = {d: [(time(9, 0), time(12, 0))] for d in range(5)}
RULES = SlotRules(slot_minutes=30, capacity=2, buffer_minutes=0, min_notice_minutes=120,
                  horizon_days=30)


def schedule(zone=LONDON, closures=None) -> Schedule:
    return Schedule(zone=zone, hours=WEEK, closures=closures or {})


def test_nine_oclock_in_london_moves_in_utc_across_the_clock_change():
    # British Summer Time starts on Sunday 28 March 2027.
    friday = day_slots(schedule(), RULES, date(2027, 3, 26))
    monday = day_slots(schedule(), RULES, date(2027, 3, 29))
    assert friday[0] == datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
    assert monday[0] == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    assert [s.astimezone(LONDON).strftime("%H:%M") for s in monday] == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def test_new_york_autumn_change_keeps_local_hours():
    # New York falls back on Sunday 7 November 2027; a Sunday-open branch keeps 09:00 local.
    sched = Schedule(zone=NEW_YORK, hours={6: [(time(9, 0), time(10, 0))]})
    before = day_slots(sched, RULES, date(2027, 10, 31))
    after = day_slots(sched, RULES, date(2027, 11, 7))
    assert before[0].hour == 13 and after[0].hour == 14
    assert len(after) == 2


def test_a_wall_clock_time_skipped_by_the_clock_change_has_no_slot():
    assert local_moment(LONDON, date(2027, 3, 28), time(1, 30)) is None
    night = Schedule(zone=LONDON, hours={6: [(time(0, 30), time(3, 0))]})
    local = [s.astimezone(LONDON).strftime("%H:%M") for s in day_slots(night, RULES,
                                                                      date(2027, 3, 28))]
    assert "01:00" not in local and "01:30" not in local and "02:00" in local


NOW = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)  # Monday 08:00 in London


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (datetime(2027, 3, 22, 7, 0, tzinfo=UTC), "past"),
        (datetime(2027, 3, 22, 9, 0, tzinfo=UTC), "notice"),
        (datetime(2027, 5, 3, 8, 0, tzinfo=UTC), "horizon"),
        (datetime(2027, 3, 24, 9, 0, tzinfo=UTC), "holiday"),
        (datetime(2027, 3, 23, 14, 0, tzinfo=UTC), "hours"),
        (datetime(2027, 3, 27, 10, 0, tzinfo=UTC), "hours"),
        (datetime(2027, 3, 23, 9, 10, tzinfo=UTC), "slot"),
    ],
)
def test_each_calendar_rule_is_named_when_it_refuses(start, code):
    sched = schedule(closures={date(2027, 3, 24): "Staff training"})
    with pytest.raises(BookingRefused) as refused:
        check_slot(sched, RULES, start, NOW)
    assert refused.value.code == code
    assert refused.value.message


def test_a_slot_that_follows_every_rule_passes():
    check_slot(schedule(), RULES, datetime(2027, 3, 23, 9, 30, tzinfo=UTC), NOW)


def test_buffer_spaces_the_slots():
    rules = SlotRules(slot_minutes=30, capacity=1, buffer_minutes=15)
    local = [s.astimezone(LONDON).strftime("%H:%M")
             for s in day_slots(schedule(), rules, date(2027, 3, 23))]
    assert local == ["09:00", "09:45", "10:30", "11:15"]


THRESHOLDS = {"CNY": Decimal("50000"), "USD": Decimal("10000")}


def cash(amount, purpose="House purchase", source="Salary savings", currency="CNY"):
    return CashRequest(Decimal(amount), currency, purpose, source)


def test_large_cash_needs_purpose_source_and_a_business_day_ahead():
    sched = schedule()
    monday = date(2027, 3, 22)
    with pytest.raises(BookingRefused) as refused:
        check_large_cash(cash("60000", purpose=""), THRESHOLDS, sched, date(2027, 3, 23), monday)
    assert refused.value.code == "purpose"
    with pytest.raises(BookingRefused) as refused:
        check_large_cash(cash("60000", source=" "), THRESHOLDS, sched, date(2027, 3, 23), monday)
    assert refused.value.code == "source_of_funds"
    with pytest.raises(BookingRefused) as refused:
        check_large_cash(cash("50000"), THRESHOLDS, sched, monday, monday)
    assert refused.value.code == "cash_notice"
    assert "2027-03-23" in refused.value.message
    check_large_cash(cash("50000"), THRESHOLDS, sched, date(2027, 3, 23), monday)


def test_business_day_notice_skips_the_weekend():
    friday, saturday_closed_monday = date(2027, 3, 26), date(2027, 3, 29)
    with pytest.raises(BookingRefused):
        check_large_cash(cash("60000"), THRESHOLDS, schedule(), friday, friday)
    check_large_cash(cash("60000"), THRESHOLDS, schedule(), saturday_closed_monday, friday)


def test_below_threshold_same_day_is_fine_and_thresholds_are_per_currency():
    monday = date(2027, 3, 22)
    check_large_cash(cash("49999.99", purpose="", source=""), THRESHOLDS, schedule(), monday,
                     monday)
    with pytest.raises(BookingRefused):
        check_large_cash(cash("10000", purpose="", currency="USD"), THRESHOLDS, schedule(),
                         monday, monday)


@pytest.mark.parametrize("text", ["", "abc", "-5", "0", "12.345", "NaN", "1e12"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(BookingRefused):
        parse_amount(text)


def test_day_before_reminder_keeps_the_local_time_across_the_clock_change():
    settings = AppointmentSettings({}, True, timedelta(minutes=60), timedelta(0), timedelta(0))
    start = datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # Monday 09:00 BST
    appt = SimpleNamespace(starts_at=start)
    times = dict(reminder_times(appt, LONDON, settings))
    assert times["day_before"].astimezone(LONDON).strftime("%a %H:%M") == "Sun 09:00"
    assert times["day_before"] == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert times["hour_before"] == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)

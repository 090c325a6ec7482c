"""The rules a new PIN or online-banking password must meet, and the card state machine."""

from __future__ import annotations

from datetime import date

import pytest

from workstation.cards import states
from workstation.credentials.rules import (
    RuleBroken,
    check_password,
    check_pin,
    common_passwords,
)
from workstation.errors import Conflict

BIRTH = date(1986, 7, 23)


@pytest.mark.parametrize("pin, message", [
    ("12345", "exactly 6 digits"),
    ("12345a", "exactly 6 digits"),
    ("１２３４５６", "exactly 6 digits"),  # full-width digits are not accepted
    ("777777", "repeat one digit"),
    ("345678", "straight sequence"),
    ("890123", "straight sequence"),
    ("654321", "straight sequence"),
    ("210987", "straight sequence"),
    ("860723", "date of birth"),  # YYMMDD
    ("230786", "date of birth"),  # DDMMYY
    ("072386", "date of birth"),  # MMDDYY
    ("198607", "date of birth"),  # YYYYMM
    ("071986", "date of birth"),  # MMYYYY
    ("072311", "date of birth"),  # starts with MMDD
    ("552307", "date of birth"),  # ends with DDMM
])
def test_pins_that_break_a_rule(pin, message):
    with pytest.raises(RuleBroken, match=message):
        check_pin(pin, BIRTH)


@pytest.mark.parametrize("pin", ["739162", "240586", "135792", "112358"])
def test_pins_that_pass(pin):
    check_pin(pin, BIRTH)


@pytest.mark.parametrize("password, message", [
    ("Short1!", "10 to 64 characters"),
    ("x" * 65 + "1", "10 to 64 characters"),
    (" Leading-space-1", "space"),
    ("password123", "10,000 most common"),
    ("QWERTYUIOP", "10,000 most common"),  # compared in lower case
    ("onlyletterswithoutdigits", "digit or symbol"),
    ("9081726354", "letters"),
    ("ab1ab1ab1ab1", "too few different"),
    ("Wang-Harbour-42", "name, phone number"),
])
def test_passwords_that_break_a_rule(password, message):
    with pytest.raises(RuleBroken, match=message):
        check_password(password, personal=("Wang", "13800138001", "19860723"))


def test_a_good_password_passes_and_the_list_holds_ten_thousand():
    check_password("Harbour-Lantern-42", personal=("Wang",))
    common = common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "#1bitch"} <= common


@pytest.mark.parametrize("action, status, message", [
    ("lock", "lost", "blocked for good"),
    ("lock", "locked", "already locked"),
    ("unlock", "active", "not locked"),
    ("replacement", "active", "this card is active"),
    ("replacement", "verbal_loss", "must be confirmed"),
    ("verbal_loss", "verbal_loss", "already in force"),
    ("activate", "active", "already active"),
    ("pin_reset", "stolen", "blocked for good"),
])
def test_impossible_steps_are_refused_with_a_reason(action, status, message):
    with pytest.raises(Conflict, match=message):
        states.require(action, status)


def test_possible_steps():
    assert states.actions_for("active") == ["lock", "verbal_loss", "formal_loss", "pin_reset"]
    assert states.actions_for("lost") == ["replacement"]
    assert states.actions_for("not_activated") == ["activate", "pin_reset"]

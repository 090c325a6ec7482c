"""Rules for a new card PIN and a new online-banking password (checked on the server)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from workstation.types import is_digits

PIN_LENGTH = 6
PASSWORD_MIN = 10
PASSWORD_MAX = 64
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"


class RuleBroken(ValueError):
    """A new secret breaks a rule; the message tells the customer which one."""


def birth_date_forms(birth: date) -> set[str]:
    """The 6-digit ways of writing a birth date people use as a PIN."""
    yyyy, yy, mm, dd = f"{birth.year:04d}", f"{birth.year % 100:02d}", f"{birth.month:02d}", \
        f"{birth.day:02d}"
    return {yy + mm + dd, dd + mm + yy, mm + dd + yy, yyyy + mm, mm + yyyy, yyyy[2:] + dd + mm}


def _is_straight(digits: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})


def check_pin(pin: str, birth: date | None) -> None:
    """A 6-digit PIN: not all the same digit, not a straight run, not the birth date."""
    if not is_digits(pin) or len(pin) != PIN_LENGTH:
        raise RuleBroken(f"The PIN must be exactly {PIN_LENGTH} digits.")
    if len(set(pin)) == 1:
        raise RuleBroken("The PIN must not repeat one digit (like 111111).")
    if _is_straight(pin):
        raise RuleBroken("The PIN must not be a straight sequence (like 123456 or 987654).")
    if birth is not None:
        month_day = {f"{birth.month:02d}{birth.day:02d}", f"{birth.day:02d}{birth.month:02d}"}
        if pin in birth_date_forms(birth) or pin[:4] in month_day or pin[-4:] in month_day:
            raise RuleBroken("The PIN must not contain your date of birth.")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of the 10,000 most common passwords (lower case)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    # The first lines are a header, marked "## "; a password may itself start with "#".
    return frozenset(line for line in lines if line and not line.startswith("## "))


def check_password(password: str, *, personal: tuple[str, ...] = ()) -> None:
    """Online-banking password: 10-64 characters, letters and digits or symbols, not common."""
    if not isinstance(password, str):
        raise RuleBroken("Type a password.")
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise RuleBroken(f"The password needs {PASSWORD_MIN} to {PASSWORD_MAX} characters.")
    if password != password.strip() or any(ord(c) < 32 for c in password):
        raise RuleBroken("The password must not start or end with a space or hold control "
                         "characters.")
    if password.lower() in common_passwords():
        raise RuleBroken("This is one of the 10,000 most common passwords; choose another.")
    has_letter = any(c.isalpha() for c in password)
    has_other = any(not c.isalpha() for c in password)
    if not (has_letter and has_other):
        raise RuleBroken("The password needs letters and at least one digit or symbol.")
    if len(set(password)) < 4:
        raise RuleBroken("The password repeats too few different characters.")
    lowered = password.lower()
    for value in personal:
        if value and len(value) >= 4 and value.lower() in lowered:
            raise RuleBroken("The password must not contain your name, phone number or "
                             "date of birth.")

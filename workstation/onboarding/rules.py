"""Step rules: identity numbers, age, and which account a remote channel may open."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum import luhn
from stdnum.cn import ric

from workstation.errors import ValidationFailed
from workstation.onboarding.settings import OnboardingSettings
from workstation.types import is_digits

OCCUPATIONS = {
    "employee": "Employee",
    "civil_servant": "Civil servant",
    "self_employed": "Self-employed / business owner",
    "student": "Student",
    "retired": "Retired",
    "farmer": "Farmer",
    "unemployed": "Not working",
    "other": "Other",
}
PURPOSES = {
    "salary": "Receiving salary",
    "savings": "Savings",
    "daily_spending": "Daily spending and online payments",
    "investment": "Investments and wealth products",
    "business": "Business receipts and payments",
    "other": "Other",
}
ACCOUNT_CLASSES = {
    "II": "Type II account with debit card",
    "III": "Type III account (small payments)",
}
BRANCH_ONLY_CLASSES = {"I": "A type I account is opened at a branch, in person."}


def name_key(name: str) -> str:
    """A name as compared for matching: case, width and spaces ignored."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return re.sub(r"[\s·.\-]+", "", folded)


def clean_name(raw: str) -> str:
    """A person's name as given, trimmed; ValidationFailed when empty or implausible."""
    name = " ".join((raw or "").split())
    if not 2 <= len(name) <= 120:
        raise ValidationFailed("Enter the full name as printed on the ID card.")
    if any(ch.isdigit() for ch in name):
        raise ValidationFailed("A name cannot contain digits.")
    return name


def checked_id_number(raw: str) -> tuple[str, date]:
    """A resident ID number with a valid check digit and birth date, and that birth date."""
    number = (raw or "").strip().upper().replace(" ", "")
    if not number:
        raise ValidationFailed("Enter the ID number.")
    try:
        number = ric.validate(number)
        born = ric.get_birth_date(number)
    except Exception as exc:  # stdnum raises several ValidationError kinds
        raise ValidationFailed(
            "The ID number is not valid: its check digit or birth date does not match."
        ) from exc
    return number, born


def age_on(born: date, today: date) -> int:
    """Completed years of age on a day."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check_age(born: date, today: date, settings: OnboardingSettings) -> int:
    """The applicant's age; ValidationFailed when under the minimum for a remote account."""
    age = age_on(born, today)
    if born > today or age > 120:
        raise ValidationFailed("The birth date in the ID number is not plausible.")
    if age < settings.min_age:
        raise ValidationFailed(
            f"The applicant is {age}: a card can be opened remotely from the age of "
            f"{settings.min_age}. A parent or guardian can open one at a branch."
        )
    return age


def check_id_expiry(raw: str, today: date) -> date:
    """The ID card's expiry date; ValidationFailed when missing, malformed or past."""
    try:
        expires = date.fromisoformat((raw or "").strip())
    except ValueError as exc:
        raise ValidationFailed("Enter the ID card's expiry date (YYYY-MM-DD).") from exc
    if expires < today:
        raise ValidationFailed("The ID card has expired. Renew it before applying.")
    return expires


@dataclass(frozen=True)
class AccountTerms:
    account_class: str
    daily_outflow: Decimal
    yearly_outflow: Decimal
    balance_cap: Decimal | None
    currency: str

    @property
    def product(self) -> str:
        return f"Type {self.account_class} account"


def terms_for(account_class: str, settings: OnboardingSettings) -> AccountTerms:
    """The limits a remotely opened account of this class carries."""
    if account_class in BRANCH_ONLY_CLASSES:
        raise ValidationFailed(BRANCH_ONLY_CLASSES[account_class], code="branch_visit")
    if account_class == "II":
        return AccountTerms("II", settings.type_ii_daily, settings.type_ii_yearly, None,
                            settings.currency)
    if account_class == "III":
        return AccountTerms("III", settings.type_iii_daily, settings.type_iii_yearly,
                            settings.type_iii_balance, settings.currency)
    raise ValidationFailed("Choose a type II or type III account.")


def check_bound_account(number_raw: str, holder: str, bank: str, applicant: str,
                        settings: OnboardingSettings) -> str:
    """The same-name type I account at another bank that a type II account is bound to."""
    number = re.sub(r"[\s-]", "", number_raw or "")
    if not (bank or "").strip():
        raise ValidationFailed("Enter the bank that holds your type I account.")
    if not is_digits(number) or not 16 <= len(number) <= 19 or not luhn.is_valid(number):
        raise ValidationFailed("The bound card or account number is not valid (check digit).")
    if any(number.startswith(b) for b in settings.own_bins):
        raise ValidationFailed("Bind a type I account held at another bank, not at ours.")
    if name_key(holder) != name_key(applicant):
        raise ValidationFailed(
            "The bound account must be in the applicant's own name (same-name account)."
        )
    return number

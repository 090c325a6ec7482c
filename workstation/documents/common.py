"""Pieces every document type shares: parsing form input, masked holder and account blocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from workstation.core import AccountInfo
from workstation.documents.registry import PrepareRequest
from workstation.errors import ValidationFailed
from workstation.localtime import zone_of
from workstation.masking import MASK, mask_tail
from workstation.models import Customer
from workstation.types import to_money, whole_number

MAX_AMOUNT = Decimal("999999999999.99")


def mask_name(name: str) -> str:
    """A holder's name reduced for the public verify page: "Wang F•••", "王•"."""
    words = name.split()
    if len(words) > 1:
        return " ".join([words[0], *(w[0] + MASK * 3 for w in words[1:])])
    return name[:1] + MASK * max(len(name) - 1, 1)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant a local day begins."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def local_today(request: PrepareRequest) -> date:
    """Today's date in the customer's zone (their home branch's, else the bank's)."""
    return request.now.astimezone(zone_of(request.customer)).date()


def parse_date(value: str | None, label: str, default: date | None = None) -> date:
    """A yyyy-mm-dd date from a form, or a clear refusal."""
    value = (value or "").strip()
    if not value and default is not None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"Give the {label} as a date (yyyy-mm-dd).") from None


def parse_amount(value: str | None, label: str) -> Decimal:
    """A positive amount from a form (two decimals at most)."""
    try:
        amount = Decimal((value or "").strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(f"Give the {label} as a number, for example 5000.00.") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationFailed(f"The {label} must be a positive amount.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(f"The {label} has at most two decimals.")
    return to_money(amount)


def parse_int(value: str | None, label: str, default: int, low: int, high: int) -> int:
    """A whole number within bounds from a form."""
    value = (value or "").strip()
    if not value:
        return default
    number = whole_number(value, high)
    if number is None or number < low:
        raise ValidationFailed(f"The {label} must be a whole number from {low} to {high}.")
    return number


def pick_account(request: PrepareRequest) -> AccountInfo:
    """The customer's active account chosen in the form."""
    raw = (request.params.get("account_id") or "").strip()
    accounts = {str(a.id): a for a in request.core.accounts_of(request.customer.id)}
    account = accounts.get(raw)
    if account is None:
        raise ValidationFailed("Choose one of the customer's accounts.")
    if account.status != "active":
        raise ValidationFailed("That account is not active.")
    return account


def validity_end(request: PrepareRequest) -> tuple[date, datetime]:
    """The last valid local day chosen in the form, and the UTC instant validity ends."""
    settings = request.settings
    days = parse_int(request.params.get("validity_days"), "validity in days",
                     settings["DOCUMENTS_CERTIFICATE_VALIDITY_DAYS"], 1,
                     settings["DOCUMENTS_CERTIFICATE_MAX_VALIDITY_DAYS"])
    last_day = local_today(request) + timedelta(days=days)
    return last_day, start_of_day(last_day + timedelta(days=1), zone_of(request.customer))


def holder_block(customer: Customer) -> dict:
    """The holder as printed: full name, masked ID, customer number."""
    return {
        "name": customer.full_name,
        "id_masked": mask_tail(customer.id_number_last4),
        "id_type": customer.id_type,
        "customer_no": customer.customer_no,
    }


def account_block(account: AccountInfo) -> dict:
    """The account as printed: masked number, product, class and currency."""
    return {
        "masked": mask_tail(account.number_last4),
        "product": account.product,
        "account_class": account.account_class,
        "currency": account.currency,
    }


def branch_block(customer: Customer, bank_name: str) -> dict:
    """The issuing branch: the customer's home branch."""
    branch = customer.home_branch
    return {
        "bank": bank_name,
        "name": branch.name if branch else bank_name,
        "address": branch.address if branch else "",
        "code": branch.code if branch else "",
        "timezone": zone_of(customer).key,
    }


def basic_essentials(customer: Customer) -> dict:
    """What the verify page may show about any document's holder."""
    return {"holder": mask_name(customer.full_name),
            "id_masked": mask_tail(customer.id_number_last4)}

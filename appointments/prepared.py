"""'Order online, process at the branch': the service request prepared before the visit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from workstation.errors import ValidationFailed
from workstation.masking import scrub_digits
from workstation.types import is_digits


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 200


PREPARED_FORMS: dict[str, tuple[FormField, ...]] = {
    "counter": (
        FormField("errand", "Errand", True,
                  ("transfer", "bill payment", "statement", "foreign exchange", "other")),
        FormField("details", "Details for the counter"),
    ),
    "large_cash": (
        FormField("denominations", "Denominations wanted", False,
                  ("largest notes", "mixed notes", "small notes")),
        FormField("account_last4", "Paying account (last 4 digits)", True, max_length=4),
    ),
    "card_pickup": (
        FormField("card_product", "Card product", True,
                  ("debit card", "credit card", "social security card")),
        FormField("application_reference", "Application reference", True, max_length=40),
    ),
    "account_opening": (
        FormField("account_class", "Account type", True, ("I", "II", "III")),
        FormField("currency", "Currency", True, ("CNY", "HKD", "USD", "EUR", "GBP")),
        FormField("purpose", "Purpose of the account", True),
    ),
    "wealth": (
        FormField("topic", "Topic", True,
                  ("deposits", "funds", "insurance", "retirement", "other")),
        FormField("horizon", "Investment horizon", False,
                  ("under 1 year", "1-3 years", "over 3 years")),
    ),
    "video": (FormField("topic", "What the call is about", True),),
}


def form_for(kind: str) -> tuple[FormField, ...]:
    """The prepared-request fields of a service kind."""
    return PREPARED_FORMS.get(kind, ())


def build_prepared_request(kind: str, values: dict, now: datetime) -> str:
    """Validate submitted fields; '' when nothing was filled in, else the stored JSON."""
    fields = form_for(kind)
    wrong = [f.label for f in fields if not isinstance(values.get(f.name) or "", str)]
    if wrong:
        raise ValidationFailed(f"Prepared request: '{wrong[0]}' must be text.", code="prepared")
    cleaned = {f.name: (values.get(f.name) or "").strip() for f in fields}
    if not any(cleaned.values()):
        return ""
    for f in fields:
        value = cleaned[f.name]
        if f.required and not value:
            raise ValidationFailed(f"Prepared request: fill in '{f.label}'.", code="prepared")
        if f.choices and value and value not in f.choices:
            raise ValidationFailed(
                f"Prepared request: '{f.label}' must be one of {', '.join(f.choices)}.",
                code="prepared",
            )
        if len(value) > f.max_length:
            raise ValidationFailed(
                f"Prepared request: '{f.label}' is longer than {f.max_length} characters.",
                code="prepared",
            )
    if "account_last4" in cleaned and cleaned["account_last4"] and not (
        is_digits(cleaned["account_last4"]) and len(cleaned["account_last4"]) == 4
    ):
        raise ValidationFailed("Prepared request: give exactly the last 4 digits.", code="prepared")
    cleaned = {k: scrub_digits(v) if k != "account_last4" else v for k, v in cleaned.items()}
    return json.dumps({"kind": kind, "fields": cleaned, "prepared_at": now.isoformat()})


def read_prepared_request(stored: str) -> list[tuple[str, str]]:
    """(label, value) pairs of a stored prepared request, for display."""
    if not stored:
        return []
    data = json.loads(stored)
    labels = {f.name: f.label for f in form_for(data.get("kind", ""))}
    return [(labels.get(k, k), v) for k, v in data.get("fields", {}).items() if v]


def prepared_values(stored: str) -> dict[str, str]:
    """The stored field values by name (to fill the form in again)."""
    return json.loads(stored).get("fields", {}) if stored else {}

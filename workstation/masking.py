"""The one place where card, ID, account and phone numbers are masked for display."""

from __future__ import annotations

import re

MASK = "•"
_LONG_DIGIT_RUN = re.compile(r"\d[\d \-]{6,}\d")


def mask_card(first6: str | None, last4: str | None, length: int = 16) -> str:
    """A card number showing at most the first six and last four digits."""
    first6 = (first6 or "")[:6]
    last4 = (last4 or "")[-4:]
    hidden = max(length - len(first6) - len(last4), 4)
    digits = first6 + MASK * hidden + last4
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def mask_tail(last4: str | None, visible_prefix: str = "") -> str:
    """A number shown only by its last four characters (ID numbers, accounts)."""
    return f"{visible_prefix}{MASK * 4} {(last4 or '')[-4:]}".strip()


def mask_phone(phone: str | None) -> str:
    """A phone number with the middle digits hidden."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) <= 6:
        return MASK * len(digits)
    return digits[:-8] + MASK * 4 + digits[-4:] if len(digits) > 8 else MASK * 4 + digits[-4:]


def scrub_digits(text: str | None) -> str:
    """Free text with any run of eight or more digits masked (for logs and audit reasons)."""
    if not text:
        return ""

    def _mask(match: re.Match) -> str:
        run = re.sub(r"\D", "", match.group(0))
        return MASK * (len(run) - 4) + run[-4:]

    return _LONG_DIGIT_RUN.sub(_mask, text)


def register_filters(app) -> None:
    """Make the masking helpers available in every template."""
    app.jinja_env.filters.update(
        masked_card=lambda card: mask_card(card.pan_first6, card.pan_last4),
        masked_id=lambda holder: mask_tail(holder.id_number_last4),
        masked_account=lambda record: mask_tail(
            getattr(record, "number_last4", None) or getattr(record, "account_last4", "")
        ),
        masked_phone=mask_phone,
        scrub_digits=scrub_digits,
    )

"""Records and operations exchanged with the core-banking system."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class CustomerInfo:
    id: int
    customer_no: str
    full_name: str
    phone: str
    email: str
    birth_date: date
    id_type: str
    id_number_last4: str
    address: str
    manager_id: int | None
    home_branch_id: int | None


@dataclass(frozen=True)
class AccountInfo:
    id: int
    customer_id: int
    number_last4: str
    account_class: str
    product: str
    currency: str
    balance: Decimal
    held: Decimal
    status: str
    opened_at: datetime | None = None

    @property
    def available(self) -> Decimal:
        return self.balance - self.held


@dataclass(frozen=True)
class CardInfo:
    id: int
    customer_id: int
    account_id: int
    pan_first6: str
    pan_last4: str
    product: str
    status: str
    expiry_month: int
    expiry_year: int
    pin_set: bool

    @property
    def expiry(self) -> str:
        return f"{self.expiry_month:02d}/{self.expiry_year % 100:02d}"


@dataclass(frozen=True)
class TransactionInfo:
    id: int
    account_id: int
    posted_at: datetime
    amount: Decimal
    currency: str
    balance_after: Decimal
    description: str
    channel: str
    account_last4: str = ""


@dataclass(frozen=True)
class HoldInfo:
    id: int
    account_id: int
    amount: Decimal
    currency: str
    reason: str
    expires_at: datetime | None
    released_at: datetime | None


class CoreBanking(Protocol):
    """What the workstation asks of a core-banking system. Callers commit."""

    def get_customer(self, customer_id: int) -> CustomerInfo | None:
        """One customer, or None."""

    def accounts_of(self, customer_id: int) -> list[AccountInfo]:
        """A customer's accounts with balance and amount on hold."""

    def cards_of(self, customer_id: int) -> list[CardInfo]:
        """A customer's cards (display parts only)."""

    def recent_transactions(self, customer_id: int, limit: int = 20) -> list[TransactionInfo]:
        """The latest transactions across a customer's accounts, newest first."""

    def transactions_between(
        self, account_id: int, start: datetime, end: datetime
    ) -> list[TransactionInfo]:
        """One account's transactions posted in [start, end), oldest first."""

    def balance_at(self, account_id: int, moment: datetime) -> Decimal:
        """The account's balance just before `moment`."""

    def open_account(
        self, customer_id: int, account_class: str, currency: str, product: str
    ) -> AccountInfo:
        """Open an account (class I, II or III) for a customer."""

    def issue_card(self, customer_id: int, account_id: int, product: str) -> IssuedCard:
        """Issue a card with a new number (valid check digit) on an account."""

    def place_hold(
        self, account_id: int, amount: Decimal, reason: str, expires_at: datetime | None
    ) -> HoldInfo:
        """Reserve an amount on an account; refuses more than is available."""

    def release_hold(self, hold_id: int, reason: str) -> HoldInfo:
        """Release a hold (idempotent)."""

    def capture_hold(self, hold_id: int, description: str, reference: str) -> TransactionInfo:
        """Debit a held amount from its account and end the hold, once: a second call with
        the same reference returns the first posting. A released hold cannot be captured."""

    def set_pin(self, card_id: int, pin: str) -> None:
        """Store a new PIN for a card; only a strong hash is kept."""

    def verify_pin(self, card_id: int, pin: str) -> bool:
        """Whether a PIN matches the card's."""


@dataclass(frozen=True)
class IssuedCard:
    """A newly issued card; the clear number is handed out once, for the customer only."""

    card: CardInfo
    pan: str

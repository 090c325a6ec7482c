"""The shipped core-banking adapter, on the workstation's own tables."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import func, select

from workstation.core.interface import (
    AccountInfo,
    CardInfo,
    CustomerInfo,
    HoldInfo,
    IssuedCard,
    TransactionInfo,
)
from workstation.core.numbers import new_account_number, new_card_number
from workstation.crypto import cipher
from workstation.errors import Conflict, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Account, AccountTransaction, Card, Customer, Hold
from workstation.types import Money, to_money, utcnow

_pin_hasher = PasswordHasher()


def _customer_info(c: Customer) -> CustomerInfo:
    return CustomerInfo(
        id=c.id,
        customer_no=c.customer_no,
        full_name=c.full_name,
        phone=c.phone,
        email=c.email,
        birth_date=c.birth_date,
        id_type=c.id_type,
        id_number_last4=c.id_number_last4,
        address=c.address,
        manager_id=c.manager_id,
        home_branch_id=c.home_branch_id,
    )


ACCOUNT_CLASSES = ("I", "II", "III")


def add_card(
    customer_id: int,
    account_id: int,
    pan: str,
    product: str,
    years_valid: int,
    status: str = "active",
) -> Card:
    """Store a card: the number encrypted, its display parts and lookup digest beside it."""
    now = utcnow()
    card = Card(
        customer_id=customer_id,
        account_id=account_id,
        pan=pan,
        pan_first6=pan[:6],
        pan_last4=pan[-4:],
        pan_digest=cipher.lookup_digest(pan),
        product=product,
        status=status,
        expiry_month=now.month,
        expiry_year=now.year + years_valid,
    )
    db.session.add(card)
    db.session.flush()
    return card


def _account_info(a: Account, held: Decimal) -> AccountInfo:
    return AccountInfo(
        id=a.id,
        customer_id=a.customer_id,
        number_last4=a.number_last4,
        account_class=a.account_class,
        product=a.product,
        currency=a.currency,
        balance=a.balance,
        held=held,
        status=a.status,
        opened_at=a.opened_at,
    )


def _card_info(card: Card) -> CardInfo:
    return CardInfo(
        id=card.id,
        customer_id=card.customer_id,
        account_id=card.account_id,
        pan_first6=card.pan_first6,
        pan_last4=card.pan_last4,
        product=card.product,
        status=card.status,
        expiry_month=card.expiry_month,
        expiry_year=card.expiry_year,
        pin_set=card.pin_hash is not None,
    )


def _transaction_info(t: AccountTransaction, account: Account) -> TransactionInfo:
    return TransactionInfo(
        id=t.id,
        account_id=t.account_id,
        posted_at=t.posted_at,
        amount=t.amount,
        currency=account.currency,
        balance_after=t.balance_after,
        description=t.description,
        channel=t.channel,
        account_last4=account.number_last4,
    )


def _hold_info(hold: Hold) -> HoldInfo:
    return HoldInfo(
        id=hold.id,
        account_id=hold.account_id,
        amount=hold.amount,
        currency=hold.currency,
        reason=hold.reason,
        expires_at=hold.expires_at,
        released_at=hold.released_at,
    )


class LocalCoreBanking:
    """Customers, accounts, cards, holds and PINs kept in our own database."""

    def get_customer(self, customer_id: int) -> CustomerInfo | None:
        customer = db.session.get(Customer, customer_id)
        return _customer_info(customer) if customer else None

    def _held_by_account(self, account_ids: list[int]) -> dict[int, Decimal]:
        if not account_ids:
            return {}
        rows = db.session.execute(
            select(Hold.account_id, func.sum(Hold.amount, type_=Money()))
            .where(Hold.account_id.in_(account_ids), Hold.released_at.is_(None),
                   Hold.expires_at.is_(None) | (Hold.expires_at > utcnow()))
            .group_by(Hold.account_id)
        ).all()
        return {account_id: total for account_id, total in rows}

    def accounts_of(self, customer_id: int) -> list[AccountInfo]:
        accounts = db.session.scalars(
            select(Account).where(Account.customer_id == customer_id).order_by(Account.id)
        ).all()
        held = self._held_by_account([a.id for a in accounts])
        return [_account_info(a, held.get(a.id, Decimal("0.00"))) for a in accounts]

    def open_account(
        self, customer_id: int, account_class: str, currency: str, product: str
    ) -> AccountInfo:
        customer = db.session.get(Customer, customer_id)
        if customer is None:
            raise NotFound("Unknown customer.")
        if account_class not in ACCOUNT_CLASSES:
            raise ValidationFailed("An account is of class I, II or III.")
        branch_code = customer.home_branch.code if customer.home_branch else "0000"
        number = new_account_number(branch_code)
        while db.session.scalar(select(Account.id).where(Account.number == number)):
            number = new_account_number(branch_code)
        account = Account(
            customer_id=customer_id,
            number=number,
            account_class=account_class,
            currency=currency,
            product=product,
            balance=Decimal("0.00"),
        )
        db.session.add(account)
        db.session.flush()
        return _account_info(account, Decimal("0.00"))

    def issue_card(self, customer_id: int, account_id: int, product: str) -> IssuedCard:
        account = db.session.get(Account, account_id)
        if account is None or account.customer_id != customer_id:
            raise NotFound("Unknown account for this customer.")
        pan = new_card_number()
        while db.session.scalar(
            select(Card.id).where(Card.pan_digest == cipher.lookup_digest(pan))
        ):
            pan = new_card_number()
        card = add_card(customer_id, account_id, pan, product, years_valid=5)
        return IssuedCard(card=_card_info(card), pan=pan)

    def cards_of(self, customer_id: int) -> list[CardInfo]:
        cards = db.session.scalars(
            select(Card).where(Card.customer_id == customer_id).order_by(Card.id)
        ).all()
        return [_card_info(card) for card in cards]

    def recent_transactions(self, customer_id: int, limit: int = 20) -> list[TransactionInfo]:
        rows = db.session.execute(
            select(AccountTransaction, Account)
            .join(Account, Account.id == AccountTransaction.account_id)
            .where(Account.customer_id == customer_id)
            .order_by(AccountTransaction.posted_at.desc(), AccountTransaction.id.desc())
            .limit(limit)
        ).all()
        return [_transaction_info(t, account) for t, account in rows]

    def transactions_between(
        self, account_id: int, start: datetime, end: datetime
    ) -> list[TransactionInfo]:
        rows = db.session.execute(
            select(AccountTransaction, Account)
            .join(Account, Account.id == AccountTransaction.account_id)
            .where(
                AccountTransaction.account_id == account_id,
                AccountTransaction.posted_at >= start,
                AccountTransaction.posted_at < end,
            )
            .order_by(AccountTransaction.posted_at, AccountTransaction.id)
        ).all()
        return [_transaction_info(t, account) for t, account in rows]

    def balance_at(self, account_id: int, moment: datetime) -> Decimal:
        def nearest(before: bool):
            posted = AccountTransaction.posted_at
            return db.session.scalar(
                select(AccountTransaction)
                .where(
                    AccountTransaction.account_id == account_id,
                    posted < moment if before else posted >= moment,
                )
                .order_by(
                    *(
                        (posted.desc(), AccountTransaction.id.desc())
                        if before
                        else (posted, AccountTransaction.id)
                    )
                )
                .limit(1)
            )

        earlier = nearest(before=True)
        if earlier is not None:
            return earlier.balance_after
        later = nearest(before=False)
        if later is not None:
            return later.balance_after - later.amount
        account = db.session.get(Account, account_id)
        if account is None:
            raise NotFound("Unknown account.")
        return account.balance

    def place_hold(
        self, account_id: int, amount: Decimal, reason: str, expires_at: datetime | None
    ) -> HoldInfo:
        account = db.session.execute(
            select(Account).where(Account.id == account_id).with_for_update()
        ).scalar_one_or_none()
        if account is None:
            raise NotFound("Unknown account.")
        amount = to_money(amount)
        if amount <= 0:
            raise Conflict("A hold must be for a positive amount.")
        held = self._held_by_account([account_id]).get(account_id, Decimal("0.00"))
        if amount > account.balance - held:
            raise Conflict("The account does not have that much available.")
        hold = Hold(
            account_id=account_id,
            amount=amount,
            currency=account.currency,
            reason=reason,
            expires_at=expires_at,
        )
        db.session.add(hold)
        db.session.flush()
        return _hold_info(hold)

    def release_hold(self, hold_id: int, reason: str) -> HoldInfo:
        hold = db.session.get(Hold, hold_id)
        if hold is None:
            raise NotFound("Unknown hold.")
        if hold.released_at is None:
            hold.released_at = utcnow()
            hold.release_reason = reason
            db.session.flush()
        return _hold_info(hold)

    def capture_hold(self, hold_id: int, description: str, reference: str) -> TransactionInfo:
        hold = db.session.execute(
            select(Hold).where(Hold.id == hold_id).with_for_update()
        ).scalar_one_or_none()
        if hold is None:
            raise NotFound("Unknown hold.")
        account = db.session.execute(
            select(Account).where(Account.id == hold.account_id).with_for_update()
        ).scalar_one()
        posted = db.session.scalar(select(AccountTransaction).where(
            AccountTransaction.account_id == account.id,
            AccountTransaction.reference == reference))
        if posted is not None:
            return _transaction_info(posted, account)
        if hold.released_at is not None:
            raise Conflict("The hold was released; there is nothing to capture.")
        now = utcnow()
        account.balance -= hold.amount
        posting = AccountTransaction(
            account_id=account.id,
            posted_at=now,
            amount=-hold.amount,
            balance_after=account.balance,
            description=description[:255],
            channel="fee",
            reference=reference,
        )
        hold.released_at = now
        hold.release_reason = f"Debited: {description}"[:255]
        db.session.add(posting)
        db.session.flush()
        return _transaction_info(posting, account)

    def set_pin(self, card_id: int, pin: str) -> None:
        card = db.session.get(Card, card_id)
        if card is None:
            raise NotFound("Unknown card.")
        card.pin_hash = _pin_hasher.hash(pin)
        card.pin_set_at = utcnow()
        db.session.flush()

    def verify_pin(self, card_id: int, pin: str) -> bool:
        card = db.session.get(Card, card_id)
        if card is None or card.pin_hash is None:
            return False
        try:
            return _pin_hasher.verify(card.pin_hash, pin)
        except (VerifyMismatchError, InvalidHashError):
            return False

"""Account history for statements and dated balances.

The core adapter answers this when it offers `transactions_between(account_id, start, end)`;
otherwise the embedded core's own transaction table is read.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from workstation.core import AccountInfo, CoreBanking, TransactionInfo
from workstation.extensions import db
from workstation.models import Account, AccountTransaction


def _info(t: AccountTransaction, currency: str) -> TransactionInfo:
    return TransactionInfo(
        id=t.id, account_id=t.account_id, posted_at=t.posted_at, amount=t.amount,
        currency=currency, balance_after=t.balance_after, description=t.description,
        channel=t.channel,
    )


def transactions_between(
    core: CoreBanking, account: AccountInfo, start: datetime, end: datetime
) -> list[TransactionInfo]:
    """An account's transactions posted in [start, end), oldest first."""
    if hasattr(core, "transactions_between"):
        return list(core.transactions_between(account.id, start, end))
    rows = db.session.scalars(
        select(AccountTransaction)
        .where(AccountTransaction.account_id == account.id,
               AccountTransaction.posted_at >= start, AccountTransaction.posted_at < end)
        .order_by(AccountTransaction.posted_at, AccountTransaction.id)
    )
    return [_info(t, account.currency) for t in rows]


def balance_at(core: CoreBanking, account: AccountInfo, moment: datetime) -> Decimal:
    """The account's balance just before `moment` (the current balance if nothing followed)."""
    if hasattr(core, "balance_at"):
        return core.balance_at(account.id, moment)
    before = db.session.scalar(
        select(AccountTransaction)
        .where(AccountTransaction.account_id == account.id,
               AccountTransaction.posted_at < moment)
        .order_by(AccountTransaction.posted_at.desc(), AccountTransaction.id.desc())
        .limit(1)
    )
    if before is not None:
        return before.balance_after
    after = db.session.scalar(
        select(AccountTransaction)
        .where(AccountTransaction.account_id == account.id,
               AccountTransaction.posted_at >= moment)
        .order_by(AccountTransaction.posted_at, AccountTransaction.id)
        .limit(1)
    )
    if after is not None:
        return after.balance_after - after.amount
    current = db.session.get(Account, account.id)
    return current.balance if current else account.balance

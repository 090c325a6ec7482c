"""Account history for statements and dated balances.

Transactions come from the core adapter; the balance before a date is read from them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from workstation.core import AccountInfo, CoreBanking, TransactionInfo


def transactions_between(
    core: CoreBanking, account: AccountInfo, start: datetime, end: datetime
) -> list[TransactionInfo]:
    """An account's transactions posted in [start, end), oldest first."""
    return list(core.transactions_between(account.id, start, end))


def balance_at(core: CoreBanking, account: AccountInfo, moment: datetime) -> Decimal:
    """The account's balance just before `moment` (the current balance if nothing followed)."""
    return core.balance_at(account.id, moment)

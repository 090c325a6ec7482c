"""The core-banking boundary: what the workstation needs from the bank's core system.

A bank plugs in its own core by providing an object with the `CoreBanking` interface;
`LocalCoreBanking` keeps everything in the workstation's own tables (the embedded default).
"""

from workstation.core.interface import (
    AccountInfo,
    CardInfo,
    CoreBanking,
    CustomerInfo,
    HoldInfo,
    IssuedCard,
    TransactionInfo,
)
from workstation.core.local import LocalCoreBanking

__all__ = [
    "AccountInfo",
    "CardInfo",
    "CoreBanking",
    "CustomerInfo",
    "HoldInfo",
    "IssuedCard",
    "LocalCoreBanking",
    "TransactionInfo",
    "core_banking",
]


def core_banking() -> CoreBanking:
    """The adapter configured for the running app."""
    from flask import current_app

    return current_app.extensions["core_banking"]

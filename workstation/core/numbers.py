"""Card and account numbers: generation with valid check digits, and validation."""

from __future__ import annotations

import random
import secrets

from stdnum import luhn

from workstation.types import is_digits

DEFAULT_BIN = "622202"
CARD_LENGTH = 16


def new_card_number(bin_prefix: str = DEFAULT_BIN, rng: random.Random | None = None) -> str:
    """A card number with the given BIN and a valid Luhn check digit."""
    body_length = CARD_LENGTH - len(bin_prefix) - 1
    if rng is None:
        body = "".join(str(secrets.randbelow(10)) for _ in range(body_length))
    else:
        body = "".join(str(rng.randrange(10)) for _ in range(body_length))
    partial = bin_prefix + body
    return partial + luhn.calc_check_digit(partial)


def is_valid_card_number(number: str) -> bool:
    """Whether a card number has 13-19 digits and a valid Luhn check digit."""
    return is_digits(number) and 13 <= len(number) <= 19 and luhn.is_valid(number)


def new_account_number(branch_code: str = "0000", rng: random.Random | None = None) -> str:
    """A 19-digit account number with a Luhn check digit, prefixed by the branch's digits."""
    prefix = ("".join(c for c in branch_code if c.isdigit()) + "0000")[:4]
    body_length = 18 - len(prefix)
    if rng is None:
        body = "".join(str(secrets.randbelow(10)) for _ in range(body_length))
    else:
        body = "".join(str(rng.randrange(10)) for _ in range(body_length))
    partial = prefix + body
    return partial + luhn.calc_check_digit(partial)

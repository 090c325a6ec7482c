from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from stdnum import luhn

from workstation.auth import totp
from workstation.core.numbers import is_valid_card_number, new_account_number, new_card_number
from workstation.crypto import FieldCipher
from workstation.types import DB_INT_MAX, Money, UTCDateTime, is_digits, to_money, whole_number


def test_money_round_trips_exact_cents():
    column = Money()
    stored = column.process_bind_param(Decimal("1234567.89"), None)
    assert stored == 123456789
    assert column.process_result_value(stored, None) == Decimal("1234567.89")
    assert to_money("0.125") == Decimal("0.12")  # banker's rounding


def test_utc_datetime_refuses_naive_and_returns_aware():
    column = UTCDateTime()

    class Sqlite:
        name = "sqlite"

    with pytest.raises(ValueError):
        column.process_bind_param(datetime(2026, 1, 1), Sqlite)
    local = datetime(2026, 3, 29, 2, 30, tzinfo=timezone(timedelta(hours=8)))
    stored = column.process_bind_param(local, Sqlite)
    back = column.process_result_value(stored, Sqlite)
    assert back == local and back.tzinfo == UTC


def test_field_cipher_encrypts_and_rotates_keys():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    cipher = FieldCipher()
    cipher.configure(old)
    token = cipher.encrypt("6222021234567890")
    assert "6222021234567890" not in token
    rotated = FieldCipher()
    rotated.configure(f"{new},{old}")
    assert rotated.decrypt(token) == "6222021234567890"
    stranger = FieldCipher()
    stranger.configure(new)
    with pytest.raises(ValueError):
        stranger.decrypt(token)


def test_lookup_digest_is_keyed_and_stable():
    a, b = FieldCipher(), FieldCipher()
    a.configure(Fernet.generate_key().decode())
    b.configure(Fernet.generate_key().decode())
    assert a.lookup_digest("x") == a.lookup_digest("x")
    assert a.lookup_digest("x") != b.lookup_digest("x")


def test_generated_numbers_have_valid_check_digits():
    for _ in range(50):
        pan = new_card_number()
        assert len(pan) == 16 and pan.startswith("622202") and is_valid_card_number(pan)
        assert luhn.is_valid(new_account_number("BJ01"))
    broken = pan[:-1] + str((int(pan[-1]) + 1) % 10)
    assert not is_valid_card_number(broken)


def test_totp_code_is_single_use_and_tolerates_one_step_of_drift():
    secret = totp.new_secret()
    now = 1_800_000_000
    import pyotp

    code = pyotp.TOTP(secret).at(now)
    step = totp.matching_step(secret, code, None, at=now)
    assert step == now // 30
    assert totp.matching_step(secret, code, step, at=now) is None  # replay refused
    previous = pyotp.TOTP(secret).at(now - 30)
    assert totp.matching_step(secret, previous, None, at=now) == step - 1
    stale = pyotp.TOTP(secret).at(now - 90)
    assert totp.matching_step(secret, stale, None, at=now) is None
    assert totp.matching_step(secret, "12ab56", None, at=now) is None


def test_enrolment_qr_is_an_svg_data_uri():
    uri = totp.provisioning_uri(totp.new_secret(), "agent1")
    assert uri.startswith("otpauth://totp/")
    assert totp.qr_data_uri(uri).startswith("data:image/svg+xml")


@pytest.mark.parametrize(("text", "digits", "number"), [
    ("042", True, 42), ("²³", False, None), ("١٣٥", False, None), ("", False, None),
    (str(DB_INT_MAX), True, DB_INT_MAX), (str(DB_INT_MAX + 1), True, None), ("9" * 30, True, None),
    (None, False, None), (7, False, None),
])
def test_only_ascii_digits_make_a_number_the_database_can_hold(text, digits, number):
    """str.isdigit() alone takes '²' (int() refuses it) and '١' (int() reads it as 1)."""
    assert is_digits(text) is digits
    assert whole_number(text) == number

"""Photo checks and step rules: what a user sees refused, and why."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import resident_id
from tests.onboarding.builders import noisy_png, other_bank_card, photo
from workstation.errors import ValidationFailed
from workstation.onboarding import rules
from workstation.onboarding.images import check_image
from workstation.onboarding.settings import settings_from

SETTINGS = settings_from({})
LIMIT = 200 * 1024


def test_jpeg_and_png_photos_are_accepted_by_their_bytes():
    jpeg = check_image(photo("JPEG"), LIMIT, 64)
    png = check_image(photo("PNG"), LIMIT, 64)
    assert (jpeg.content_type, jpeg.width, jpeg.height) == ("image/jpeg", 640, 400)
    assert png.content_type == "image/png"


@pytest.mark.parametrize("content, message", [
    (photo("GIF"), "Only JPEG or PNG"),
    (b"%PDF-1.7 not a photo", "Only JPEG or PNG"),
    (b"hello, this is text named selfie.jpg", "Only JPEG or PNG"),
    (photo("JPEG")[:300], "not a readable image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "not a readable image"),
    (b"", "empty"),
    (photo("PNG", (32, 32)), "too small"),
])
def test_wrong_type_broken_or_tiny_files_are_refused(content, message):
    with pytest.raises(ValidationFailed, match=message):
        check_image(content, LIMIT, 64)


def test_a_photo_over_the_size_limit_is_refused_with_the_limit():
    big = noisy_png(400, 400)
    assert len(big) > 10 * 1024
    with pytest.raises(ValidationFailed, match="too large.*limit is 10 KB"):
        check_image(big, 10 * 1024, 64)


def test_id_number_with_a_bad_check_digit_is_refused():
    good = resident_id(date(1990, 5, 17), 7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert rules.checked_id_number(good) == (good, date(1990, 5, 17))
    with pytest.raises(ValidationFailed, match="check digit"):
        rules.checked_id_number(bad)


def test_under_age_applicant_is_refused_and_minor_allowed():
    today = date(2026, 11, 28)
    with pytest.raises(ValidationFailed, match="from the age of 16"):
        rules.check_age(date(2012, 1, 1), today, SETTINGS)
    assert rules.check_age(date(2009, 1, 1), today, SETTINGS) == 17


def test_expired_id_card_is_refused():
    with pytest.raises(ValidationFailed, match="expired"):
        rules.check_id_expiry("2020-01-01", date(2026, 11, 28))


def test_type_one_needs_a_branch_and_limits_come_from_settings():
    with pytest.raises(ValidationFailed, match="branch") as refused:
        rules.terms_for("I", SETTINGS)
    assert refused.value.code == "branch_visit"
    two = rules.terms_for("II", SETTINGS)
    three = rules.terms_for("III", settings_from({"ONBOARDING_TYPE_III_BALANCE_CAP": "3000"}))
    assert (two.daily_outflow, two.yearly_outflow, two.balance_cap) == (10000, 200000, None)
    assert (three.daily_outflow, three.yearly_outflow, three.balance_cap) == (2000, 50000, 3000)


def test_type_two_binding_must_be_a_same_name_account_at_another_bank():
    card = other_bank_card()
    assert rules.check_bound_account(card, "WANG  fang", "Other Bank", "Wang Fang",
                                     SETTINGS) == card
    with pytest.raises(ValidationFailed, match="own name"):
        rules.check_bound_account(card, "Li Wei", "Other Bank", "Wang Fang", SETTINGS)
    with pytest.raises(ValidationFailed, match="check digit"):
        rules.check_bound_account(card[:-1] + str((int(card[-1]) + 1) % 10), "Wang Fang",
                                  "Other Bank", "Wang Fang", SETTINGS)
    with pytest.raises(ValidationFailed, match="another bank"):
        from workstation.core.numbers import new_card_number

        rules.check_bound_account(new_card_number(), "Wang Fang", "Us", "Wang Fang", SETTINGS)

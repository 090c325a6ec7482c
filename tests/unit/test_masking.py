import pytest

from workstation.masking import mask_card, mask_phone, mask_tail, scrub_digits


def test_card_shows_at_most_first_six_and_last_four():
    masked = mask_card("622202", "1234")
    digits = masked.replace(" ", "")
    assert digits.startswith("622202") and digits.endswith("1234")
    assert sum(c.isdigit() for c in digits) == 10
    assert len(digits) == 16


def test_id_and_account_show_last_four_only():
    assert mask_tail("123X") == "•••• 123X"


@pytest.mark.parametrize(
    "phone,expected_end", [("+8613800138001", "8001"), ("+442071234567", "4567")]
)
def test_phone_hides_middle_digits(phone, expected_end):
    masked = mask_phone(phone)
    assert masked.endswith(expected_end)
    assert "•" in masked
    assert phone not in masked


@pytest.mark.parametrize(
    "text",
    [
        "card 6222021234567890 lost",
        "id 11010119800101001X please",
        "number 6222 0212 3456 7890 given",
    ],
)
def test_free_text_loses_long_digit_runs(text):
    scrubbed = scrub_digits(text)
    assert "6222021234567890" not in scrubbed.replace(" ", "")
    assert "1101011980010100" not in scrubbed
    assert scrubbed != text


def test_short_numbers_in_free_text_stay():
    assert scrub_digits("call back at 14:30, ticket 4411") == "call back at 14:30, ticket 4411"


@pytest.mark.parametrize(("title", "shown"), [
    ("Deposit Certificate DC-2026-00000001", "Deposit Certificate DC-2026-00000001"),
    ("Card 6222021234567890 blocked", "Card •••• 7890 blocked"),
    ("Card 6222-0212-3456-7890 blocked", "Card •••• 7890 blocked"),
    ("Account 6222021234567890123", "Account •••• 0123"),
])
def test_task_titles_hide_card_numbers_but_keep_document_references(title, shown):
    from workstation.tasks.kinds import hide_long_numbers

    assert hide_long_numbers(title) == shown

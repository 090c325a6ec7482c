"""Amounts written out in words, as printed on certificates."""

from decimal import Decimal

import pytest

from workstation.documents.words import amount_in_words


@pytest.mark.parametrize(
    ("amount", "language", "currency", "expected"),
    [
        ("12345.67", "en", "CNY", "Twelve thousand three hundred forty-five yuan and 67/100"),
        ("1000000.00", "en", "USD", "One million US dollars and 00/100"),
        ("12345.67", "es", "EUR", "Doce mil trescientos cuarenta y cinco euros con 67/100"),
        ("21000.00", "es", "EUR", "Veintiún mil euros con 00/100"),
        ("1000000.00", "es", "EUR", "Un millón de euros con 00/100"),
        ("100.00", "es", "USD", "Cien dólares estadounidenses con 00/100"),
        ("12345.67", "zh", "CNY", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("1001.05", "zh", "CNY", "人民币壹仟零壹元零伍分"),
        ("100000.10", "zh", "CNY", "人民币壹拾万元壹角"),
        ("10010.00", "zh", "CNY", "人民币壹万零壹拾元整"),
        ("21021021.21", "zh", "USD", "美元贰仟壹佰零贰万壹仟零贰拾壹元贰角壹分"),
    ],
)
def test_amounts_are_written_out_in_each_language(amount, language, currency, expected):
    assert amount_in_words(Decimal(amount), currency, language) == expected

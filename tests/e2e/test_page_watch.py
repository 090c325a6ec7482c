"""The number check of the browser tests finds a full number however it is spaced."""

from __future__ import annotations

from tests.e2e.browsing import PageWatch

PAN = "6222021234567890"
ID_NUMBER = "11010119800101123X"


def test_a_full_number_is_found_with_spaces_or_dashes():
    watch = PageWatch("http://127.0.0.1")
    watch.bodies["GET /a"] = "<td>6222 0212 3456 7890</td>"
    watch.bodies["GET /b"] = "<td>110101-19800101-123X</td>"
    shown = watch.full_numbers_shown({PAN, ID_NUMBER})
    assert shown == ["6222… in GET /a", "1101… in GET /b"]


def test_masked_numbers_pass():
    watch = PageWatch("http://127.0.0.1")
    watch.bodies["GET /a"] = "<td>6222 02•• •••• 7890</td><dd>•••• 123X</dd>"
    assert watch.full_numbers_shown({PAN, ID_NUMBER}) == []

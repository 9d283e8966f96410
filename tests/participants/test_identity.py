"""Normalising phone numbers and names, and the keyed identity hashes."""

import pytest

from surveyapp.participants import identity


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "0084 912-345-678",
        " (091) 234 5678 ",
    ],
)
def test_phone_formats_normalise_to_one_number(raw):
    assert identity.normalise_phone(raw) == "0912345678"


def test_landline_with_eleven_digits():
    assert identity.normalise_phone("0216 3852 123") == "02163852123"
    assert identity.normalise_phone("+84 216 3852 123") == "02163852123"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "12345",
        "091234567",
        "091234567890",
        "+1 202 555 0100",
        "0a12345678",
        "00912345678",
        "０９１２３４５６７８",
    ],
)
def test_not_a_vietnamese_number(raw):
    assert identity.normalise_phone(raw) is None


def test_name_key_ignores_case_spaces_and_accents():
    a = identity.name_key("s", "Nguyễn Thị  Lan", 1985, 7)
    b = identity.name_key("s", " nguyen thi lan ", 1985, 7)
    c = identity.name_key("s", "NGUYỄN THỊ LAN", 1985, 7)
    assert a == b == c
    assert a != identity.name_key("s", "Nguyễn Thị Lan", 1986, 7)
    assert a != identity.name_key("s", "Nguyễn Thị Lan", 1985, 8)
    assert a != identity.name_key("other-secret", "Nguyễn Thị Lan", 1985, 7)
    assert len(a) == 64 and "lan" not in a


def test_phone_key_is_keyed_hash():
    key = identity.phone_key("s", "0912345678")
    assert len(key) == 64
    assert "0912345678" not in key
    assert key != identity.phone_key("t", "0912345678")


def test_given_name_is_the_last_word():
    assert identity.given_name("  Nguyễn   Thị Lan ") == "Lan"
    assert identity.given_name("Đặng Văn Đức") == "Đức"
    assert identity.given_name("") == ""
